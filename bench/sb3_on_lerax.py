"""Stable-Baselines3 trains on a lerax environment as it does on Gymnasium's.

SB3's PPO at the RL Zoo's CartPole-v1 settings trains, seed by seed, on Gymnasium's
`CartPole-v1` and on `LeraxToGymEnv(lerax.env.make("CartPole-v1"))` (lerax's CartPole with its
500-step time limit, seen through the Gymnasium bridge). Each final policy is scored by SB3's
`evaluate_policy` (10 deterministic episodes) on the environment it trained on. The script
prints every seed's return, the medians, and the wall time of each run.

Stable-Baselines3 (and torch) are benchmark-only dependencies; run with the virtualenv of
bench/README.md:

    .bench-venv-sb3/bin/python bench/sb3_on_lerax.py
    .bench-venv-sb3/bin/python bench/sb3_on_lerax.py --seeds 1 --timesteps 20000
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any


def linear(start: float) -> Callable[[float], float]:
    """SB3's linear schedule: `start` times the remaining progress (1 -> 0)."""
    return lambda progress: start * progress


# The RL Zoo's PPO settings for CartPole-v1 (hyperparams/ppo.yml).
ZOO = dict(
    n_steps=32,
    batch_size=256,
    gae_lambda=0.8,
    gamma=0.98,
    n_epochs=20,
    ent_coef=0.0,
    learning_rate=linear(1e-3),
    clip_range=linear(0.2),
)
NUM_ENVS = 8


def make_env(kind: str) -> Callable[[], Any]:
    """A factory of one environment of `kind` ("gymnasium" or "lerax")."""

    def make() -> Any:
        import gymnasium

        if kind == "gymnasium":
            return gymnasium.make("CartPole-v1")
        from lerax.compatibility.gym import LeraxToGymEnv
        from lerax.env import make as lerax_make

        return LeraxToGymEnv(lerax_make("CartPole-v1"))

    return make


def train_and_score(kind: str, seed: int, timesteps: int, episodes: int) -> tuple[float, float]:
    """Train SB3's PPO on `kind` with `seed`; return the greedy mean return and wall time."""
    import torch
    from stable_baselines3 import PPO
    from stable_baselines3.common.env_util import make_vec_env
    from stable_baselines3.common.evaluation import evaluate_policy
    from stable_baselines3.common.monitor import Monitor

    torch.set_num_threads(1)  # a thread pool spins and slows down on a small shared machine
    t0 = time.perf_counter()
    env = make_vec_env(make_env(kind), n_envs=NUM_ENVS, seed=seed)
    model = PPO("MlpPolicy", env, seed=seed, verbose=0, **ZOO)
    model.learn(total_timesteps=timesteps)
    wall = time.perf_counter() - t0
    eval_env = Monitor(make_env(kind)())
    eval_env.reset(seed=1000 + seed)
    mean, _ = evaluate_policy(model, eval_env, n_eval_episodes=episodes, deterministic=True)
    return float(mean), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="SB3 seeds 0..N-1 (default 3)")
    parser.add_argument("--timesteps", type=int, default=100_000)
    parser.add_argument("--episodes", type=int, default=10)
    args = parser.parse_args()

    import stable_baselines3
    import torch

    print(f"# SB3 PPO on Gymnasium's and lerax's CartPole-v1, {datetime.date.today()}")
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}; stable-baselines3 {stable_baselines3.__version__}, "
        f"torch {torch.__version__}",
        flush=True,
    )
    rows: dict[str, tuple[list[float], list[float]]] = {}
    for kind in ("gymnasium", "lerax"):
        returns, walls = [], []
        for seed in range(args.seeds):
            mean, wall = train_and_score(kind, seed, args.timesteps, args.episodes)
            print(f"  {kind} seed {seed}: greedy return {mean:.1f}, {wall:.0f} s", flush=True)
            returns.append(mean)
            walls.append(wall)
        rows[kind] = (returns, walls)
    print()
    print("| environment | steps | seeds | greedy returns | median | wall time per seed |")
    print("|---|---:|---:|---|---:|---:|")
    for kind, (returns, walls) in rows.items():
        listed = ", ".join(f"{r:.0f}" for r in returns)
        print(
            f"| {kind} | {args.timesteps:,} | {args.seeds} | {listed} | "
            f"{statistics.median(returns):.1f} | {statistics.mean(walls):.0f} s |"
        )


if __name__ == "__main__":
    main()
