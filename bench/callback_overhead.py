"""Overhead of the progress bar and console logging on a DQN CartPole run.

Trains `lerax.algorithm.DQN` (the CLI's CartPole-v1 preset, 64x64 MLP) for 50k steps without
callbacks, then with `ProgressBarCallback` + `LoggingCallback(ConsoleBackend)` (drawing on a
terminal-like console that writes to the null device), each compiled once beforehand and
timed `--repeats` times, interleaved; prints the minimum and median wall-clock and process
CPU times and their ratios (goal: < 1.10). On a busy shared machine the wall-clock figures
mostly measure the other processes: run it on a quiet one.

    python bench/callback_overhead.py [--timesteps 50000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import time

import jax
import numpy as np
from rich.console import Console

import lerax.env
from lerax.algorithm import DQN
from lerax.callback import (
    CallbackList,
    CheckFiniteCallback,
    ConsoleBackend,
    LoggingCallback,
    ProgressBarCallback,
)
from lerax.cli._presets import preset
from lerax.policy import MLPQPolicy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timesteps", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--update-interval", type=int, default=None, help="progress bar (default: auto)"
    )
    parser.add_argument("--log-interval", type=int, default=100)
    parser.add_argument("--width", type=int, default=None, help="Q-network width (preset: 256)")
    parser.add_argument(
        "--check-finite",
        action="store_true",
        help="time CheckFiniteCallback instead of the progress bar and logging",
    )
    args = parser.parse_args()

    env = lerax.env.make("CartPole-v1")
    algo_kwargs, policy_kwargs = preset("dqn", "CartPole-v1", args.timesteps)
    algo = DQN(**algo_kwargs)
    # The cheaper the training step, the larger the callbacks' share: --width 64 is the worst case.
    policy_kwargs["width_size"] = args.width or policy_kwargs["width_size"]
    policy = MLPQPolicy(env, **policy_kwargs, key=jax.random.key(0))
    null = open(os.devnull, "w")
    callback = CallbackList(
        [
            ProgressBarCallback(
                update_interval=args.update_interval,
                console=Console(file=null, force_terminal=True),
            ),
            LoggingCallback(ConsoleBackend(file=null), log_interval=args.log_interval),
        ]
    )
    if args.check_finite:
        callback = CallbackList([CheckFiniteCallback()])

    def run(cb):
        wall, cpu = time.perf_counter(), time.process_time()
        trained = algo.learn(env, policy, args.timesteps, key=jax.random.key(1), callback=cb)
        jax.block_until_ready(trained)
        jax.effects_barrier()
        return time.perf_counter() - wall, time.process_time() - cpu

    for name, cb in (("plain", None), ("callbacks", callback)):
        print(f"compile + first run ({name}): {run(cb)[0]:.2f} s", flush=True)
    times: dict[str, list[tuple[float, float]]] = {"plain": [], "callbacks": []}
    for _ in range(args.repeats):
        times["plain"].append(run(None))
        times["callbacks"].append(run(callback))
    iterations = algo.num_iterations(args.timesteps)
    print(f"DQN CartPole-v1, {args.timesteps} steps ({iterations} iterations), {args.repeats} runs")
    if args.check_finite:
        print("  CheckFiniteCallback after every iteration")
    else:
        bar = callback.callbacks[0].interval(iterations)
        print(f"  progress bar every {bar} iterations, console log every {args.log_interval}")
    stats = {}
    for name, ts in times.items():
        wall, cpu = np.array([t[0] for t in ts]), np.array([t[1] for t in ts])
        stats[name] = (wall.min(), np.median(wall), cpu.min(), np.median(cpu))
        print(
            f"  {name:9s}: wall min {wall.min():.3f} s, median {np.median(wall):.3f} s; "
            f"process CPU min {cpu.min():.3f} s, median {np.median(cpu):.3f} s"
        )
    ratios = [c / p for c, p in zip(stats["callbacks"], stats["plain"])]
    labels = ("wall min", "wall median", "CPU min", "CPU median")
    print("  ratio callbacks / plain: " + ", ".join(f"{k} {r:.3f}" for k, r in zip(labels, ratios)))


if __name__ == "__main__":
    main()
