"""DQN on CartPole-v1: lerax against rejax and the hand-fused limit reference, in one run.

Every contestant does the same work: CartPole-v1 (500-step limit), a 64x64 ReLU Q-network,
a replay buffer, batches of 64, one Adam step per 4 environment steps (after 1,000 steps of
random acting), Double-DQN Huber targets, a hard target copy every 500 steps, epsilon
decayed linearly to 0.05 over the first 20 % of 100,000 steps. For each contestant and
buffer size it reports

- the compile time (trace, lower and compile of the whole run, ahead of time),
- environment steps per second of the compiled run for 1 seed and for 16 vmapped seeds
  (wall clock, and per second of process CPU time, which the other users of a shared
  machine disturb less),
- the greedy mean return of every final network (10 episodes each, on the same inline
  CartPole evaluator), as the mean and the median over seeds,

and the ratios to the limit reference (`bench/dqn_reference.py`) and to rejax.

rejax is a benchmark-only dependency (rejax 0.1.3 needs gymnax 0.0.9); run with the
virtualenv described in bench/README.md:

    .bench-venv-rejax/bin/python bench/dqn_cartpole.py            # everything (~20 min)
    .bench-venv-rejax/bin/python bench/dqn_cartpole.py --only lerax reference --seeds 16
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dqn_reference as ref  # noqa: E402

# The settings every contestant shares.
COMMON = dict(
    learning_rate=1e-3,
    gamma=0.99,
    target_update_interval=500,
    exploration_fraction=0.2,
    eps_end=0.05,
    max_grad_norm=10.0,
    learning_starts=1_000,
    train_freq=4,
    batch_size=64,
    width=64,
)


@dataclass
class Contestant:
    """`train(key) -> params` (jit-able, vmap-able) and `q(params, obs) -> q_values`."""

    name: str
    buffer_size: int
    train: Callable
    q: Callable


@dataclass
class Result:
    name: str
    buffer_size: int
    seeds: int
    compile_s: tuple[float, float]  # wall, CPU
    run_s: float
    cpu_s: float
    steps: int
    returns: list[float] = field(default_factory=list)

    @property
    def sps(self) -> float:
        return self.steps * self.seeds / self.run_s

    @property
    def cpu_sps(self) -> float:
        return self.steps * self.seeds / self.cpu_s


# --------------------------------------------------------------------------- contestants


def reference(buffer_size: int, steps: int) -> Contestant:
    cfg = ref.Config(
        total_steps=steps,
        buffer_size=buffer_size,
        learning_starts=COMMON["learning_starts"],
        train_freq=COMMON["train_freq"],
        batch_size=COMMON["batch_size"],
        width=COMMON["width"],
        learning_rate=COMMON["learning_rate"],
        gamma=COMMON["gamma"],
        target_update_interval=COMMON["target_update_interval"],
        exploration_fraction=COMMON["exploration_fraction"],
        eps_end=COMMON["eps_end"],
        max_grad_norm=COMMON["max_grad_norm"],
    )
    return Contestant("reference", buffer_size, ref.make_train(cfg), ref.mlp)


def lerax_dqn(buffer_size: int, steps: int, num_envs: int = 1) -> Contestant:
    """lerax's DQN; `num_envs=4` (one step in each of 4 environments per gradient step) is
    rejax's layout, `num_envs=1` (4 steps in one environment) the reference's."""
    import lerax.env
    from lerax.algorithm import DQN
    from lerax.policy import MLPQPolicy

    env = lerax.env.make("CartPole-v1")
    algo = DQN(
        buffer_size=buffer_size,
        learning_starts=COMMON["learning_starts"],
        num_envs=num_envs,
        num_steps=COMMON["train_freq"] // num_envs,
        gradient_steps=1,
        batch_size=COMMON["batch_size"],
        learning_rate=COMMON["learning_rate"],
        gamma=COMMON["gamma"],
        target_update_interval=COMMON["target_update_interval"],
        exploration_fraction=COMMON["exploration_fraction"],
        exploration_final_eps=COMMON["eps_end"],
        max_grad_norm=COMMON["max_grad_norm"],
    )
    skeleton = MLPQPolicy(env, width_size=COMMON["width"], depth=2, key=jax.random.key(0))
    static = eqx.filter(skeleton, eqx.is_array, inverse=True)

    def train(key):
        k_init, k_learn = jax.random.split(key)
        policy = MLPQPolicy(env, width_size=COMMON["width"], depth=2, key=k_init)
        policy = algo.learn(env, policy, steps, key=k_learn)
        return eqx.filter(policy, eqx.is_array)

    def q(params, obs):
        return eqx.combine(params, static).q_values(None, obs)[1]

    return Contestant("lerax" if num_envs == 1 else f"lerax-{num_envs}env", buffer_size, train, q)


def rejax_dqn(buffer_size: int, steps: int) -> Contestant:
    """rejax 0.1.3's DQN at the common settings.

    rejax takes one step in each of `num_envs` environments per iteration, then
    `num_epochs` gradient steps, so one gradient step per 4 environment steps is
    `num_envs=4, num_epochs=1` (compare with `lerax-4env`). What rejax does not let us
    match: it regresses with the squared error (not Huber), clips gradients elementwise
    (`optax.clip`, not by global norm), treats truncations as terminals (gymnax 0.0.9's
    `step` returns one `done`), and samples batches without replacement.
    """
    import rejax

    algo = rejax.DQN.create(
        env="CartPole-v1",
        agent_kwargs={"activation": "relu"},  # rejax fixes the hidden layers at 64x64
        total_timesteps=steps,
        eval_freq=steps,
        skip_initial_evaluation=True,
        num_envs=COMMON["train_freq"],
        num_epochs=1,
        buffer_size=buffer_size,
        fill_buffer=COMMON["learning_starts"],
        batch_size=COMMON["batch_size"],
        learning_rate=COMMON["learning_rate"],
        gamma=COMMON["gamma"],
        max_grad_norm=COMMON["max_grad_norm"],
        target_update_freq=COMMON["target_update_interval"],
        polyak=0.0,
        eps_start=1.0,
        eps_end=COMMON["eps_end"],
        exploration_fraction=COMMON["exploration_fraction"],
        ddqn=True,
    )
    # No evaluation during training: we score the final network ourselves.
    algo = algo.replace(eval_callback=lambda algo, ts, rng: jnp.zeros(()))

    def train(key):
        ts, _ = algo.train(rng=key)
        return ts.q_ts.params

    def q(params, obs):
        return algo.agent.apply(params, obs[None])[0]

    return Contestant("rejax", buffer_size, train, q)


CONTESTANTS = {
    "reference": reference,
    "lerax": lerax_dqn,
    "lerax-4env": lambda buf, steps: lerax_dqn(buf, steps, num_envs=4),
    "rejax": rejax_dqn,
}
# Each row's ratio is taken against the contestant doing the same work in the same layout.
BASELINE = {"lerax": "reference", "lerax-4env": "rejax"}


# --------------------------------------------------------------------------- measuring


def measure_group(
    contestants: list[Contestant], seeds: int, steps: int, repeats: int, hlo: Path | None
) -> list[Result]:
    """Compile each contestant ahead of time, then time their runs interleaved.

    The runs alternate between contestants (`repeats` rounds, the fastest of each kept) so
    that a change in the load of a shared machine hits all of them alike. rejax, many times
    slower at a large buffer, runs once.
    """
    compiled = []
    for c in contestants:
        fn, key, compile_s = compile_run(c, seeds)
        if hlo is not None:
            (hlo / f"{c.name}_{c.buffer_size}_{seeds}.hlo.txt").write_text(fn.as_text())
        compiled.append((fn, key, compile_s))
    best = [[float("inf"), float("inf"), None] for _ in contestants]
    for round_ in range(repeats):
        for c, (fn, key, _), b in zip(contestants, compiled, best):
            if c.name == "rejax" and round_ > 0:
                continue
            w0, p0 = time.perf_counter(), time.process_time()
            params = jax.block_until_ready(fn(key))
            wall, cpu = time.perf_counter() - w0, time.process_time() - p0
            b[0], b[1], b[2] = min(b[0], wall), min(b[1], cpu), params
    return [
        Result(
            c.name, c.buffer_size, seeds, compile_s, wall, cpu, steps, evaluate(c, params, seeds)
        )
        for c, (_, _, compile_s), (wall, cpu, params) in zip(contestants, compiled, best)
    ]


def compile_run(c: Contestant, seeds: int):
    """The whole run for 1 seed or `seeds` vmapped seeds, compiled ahead of time."""
    if seeds == 1:
        fn, key = c.train, jax.random.key(1)
    else:
        fn, key = jax.vmap(c.train), jax.random.split(jax.random.key(1), seeds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0, p0 = time.perf_counter(), time.process_time()
        compiled = jax.jit(fn).lower(key).compile()
    return compiled, key, (time.perf_counter() - t0, time.process_time() - p0)


def evaluate(c: Contestant, params, seeds: int) -> list[float]:
    """Greedy mean return over 10 episodes of each seed's final network."""

    def one(p, key):
        return ref.greedy_return(lambda obs: c.q(p, obs), key, num_episodes=10)

    if seeds == 1:
        return [float(jax.jit(one)(params, jax.random.key(123)))]
    keys = jax.random.split(jax.random.key(123), seeds)
    return [float(x) for x in jax.jit(jax.vmap(one))(params, keys)]


def profile(c: Contestant, seeds: int, steps: int, out: Path, top: int = 15) -> str:
    """Trace one short run with `jax.profiler` and count the compiled ops it executes.

    The number of ops (XLA thunks) executed per environment step does not depend on the
    load of a shared machine, unlike their durations, and on CPU each op has a fixed cost:
    it is the figure to compare. Keep the run short (a few thousand steps): the trace holds
    one event per op executed.
    """
    compiled, key, _ = compile_run(c, seeds)
    jax.block_until_ready(compiled(key))
    trace_dir = out / f"{c.name}_{c.buffer_size}_{seeds}"
    jax.profiler.start_trace(str(trace_dir))
    jax.block_until_ready(compiled(key))
    jax.profiler.stop_trace()
    counts: dict[str, int] = {}
    times: dict[str, float] = {}
    for path in trace_dir.rglob("*.xplane.pb"):
        for plane in jax.profiler.ProfileData.from_file(str(path)).planes:
            for line in plane.lines:
                if "XLAEigen" not in line.name:  # the threads that run compiled ops
                    continue
                for event in line.events:
                    if event.name.startswith(("end:", "Threadpool")):
                        continue
                    name = event.name.rstrip("0123456789.")
                    counts[name] = counts.get(name, 0) + 1
                    times[name] = times.get(name, 0.0) + event.duration_ns
    total = sum(counts.values())
    rows = [f"{total / steps:.1f} ops executed per environment step; the most frequent:"]
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1])[:top]:
        rows.append(f"{n / steps:8.1f} per step {times[name] / 1e6:9.1f} ms  {name}")
    return "\n".join(rows)


# --------------------------------------------------------------------------- reporting


def machine() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next(
            line.split(":", 1)[1].strip() for line in out.splitlines() if "Model name" in line
        )
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{model}, {os.cpu_count()} cores, load average {load:.1f}; python "
        f"{platform.python_version()}, jax {jax.__version__}, {jax.devices()[0].platform}"
    )


def report(results: list[Result]) -> str:
    def find(name, buf, seeds):
        return next(
            (r for r in results if (r.name, r.buffer_size, r.seeds) == (name, buf, seeds)), None
        )

    lines = [
        "| contestant | buffer | seeds | compile s (CPU s) | steps/s | steps/CPU s | ratio (CPU) "
        "| greedy return mean (median) |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        ratio = ""
        o = find(BASELINE.get(r.name), r.buffer_size, r.seeds)
        if o is not None:
            ratio = f"{r.sps / o.sps:.2f} ({r.cpu_sps / o.cpu_sps:.2f}) x {o.name}"
        mean, med = statistics.fmean(r.returns), statistics.median(r.returns)
        lines.append(
            f"| {r.name} | {r.buffer_size:,} | {r.seeds} | "
            f"{r.compile_s[0]:.0f} ({r.compile_s[1]:.1f}) | {r.sps:,.0f} | "
            f"{r.cpu_sps:,.0f} | {ratio} | {mean:.1f} ({med:.1f}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=list(CONTESTANTS), default=list(CONTESTANTS))
    parser.add_argument("--buffers", nargs="+", type=int, default=[100_000, 5_000])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 16])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument(
        "--repeats", type=int, default=2, help="timed rounds, interleaved; the fastest run is kept"
    )
    parser.add_argument(
        "--rejax-buffers",
        nargs="+",
        type=int,
        default=None,
        help="buffer sizes for rejax (default: --buffers)",
    )
    parser.add_argument(
        "--rejax-seeds",
        nargs="+",
        type=int,
        default=None,
        help="seed counts for rejax (default: --seeds)",
    )
    parser.add_argument("--hlo", type=Path, default=None, help="write the compiled HLO here")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="instead of benchmarking, trace short runs (--profile-steps) into "
        "this folder and print the compiled ops executed per environment step",
    )
    parser.add_argument("--profile-steps", type=int, default=4_000)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
        for buf in args.buffers:
            for seeds in args.seeds:
                for name in args.only:
                    c = CONTESTANTS[name](buf, args.profile_steps)
                    print(
                        f"## {name}, buffer {buf:,}, {seeds} seed(s), {args.profile_steps:,} steps"
                    )
                    print(profile(c, seeds, args.profile_steps, args.profile), flush=True)
        return
    if args.hlo is not None:
        args.hlo.mkdir(parents=True, exist_ok=True)
    print(f"# DQN CartPole-v1, {args.steps:,} steps, {datetime.date.today()}")
    print(f"# {machine()}", flush=True)
    results = []
    for buf in args.buffers:
        for seeds in args.seeds:
            names = [
                n
                for n in args.only
                if not (
                    n == "rejax"
                    and args.rejax_buffers is not None
                    and buf not in args.rejax_buffers
                )
                and not (
                    n == "rejax" and args.rejax_seeds is not None and seeds not in args.rejax_seeds
                )
            ]
            group = [CONTESTANTS[n](buf, args.steps) for n in names]
            for r in measure_group(group, seeds, args.steps, args.repeats, args.hlo):
                results.append(r)
                mean, median = statistics.fmean(r.returns), statistics.median(r.returns)
                print(
                    f"{r.name:10s} buffer {buf:>7,} seeds {seeds:>2}: "
                    f"compile {r.compile_s[0]:4.0f} s ({r.compile_s[1]:4.1f} CPU), "
                    f"{r.sps:8,.0f} steps/s ({r.cpu_sps:8,.0f} per CPU s), "
                    f"return {mean:6.1f} (median {median:.1f})",
                    flush=True,
                )
    print()
    print(report(results))
    print(f"\n# load average at the end: {os.getloadavg()[0]:.1f}")
    if args.json is not None:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))


if __name__ == "__main__":
    main()
