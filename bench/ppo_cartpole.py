"""PPO on CartPole-v1: lerax against rejax and the hand-fused limit reference, in one run.

Every contestant does the same work, at PureJaxRL's CartPole PPO settings: CartPole-v1
(500-step limit), 4 environments x 128 steps per iteration, 4 epochs of 4 shuffled
minibatches, GAE (lambda 0.95, gamma 0.99), clip 0.2, entropy coefficient 0.01, value
coefficient 0.5, gradients clipped to norm 0.5, Adam at 2.5e-4 annealed linearly to zero over
all minibatch updates, advantages normalised per minibatch, 500,000 steps by default (rounded
down to whole iterations of 512 steps). The network is the one lerax's
`MLPActorCriticPolicy(feature_size=64, feature_depth=0, value_width=64, value_depth=1,
action_width=64, action_depth=1, activation=tanh)` builds: a shared Linear(4, 64), then a
value head 64-64-1 and an action head 64-64-2 (tanh, Categorical logits). (A depth-0
`eqx.nn.MLP` applies no activation after its one layer, so lerax's shared layer is linear; the
reference applies a tanh there, 64 more transcendentals per forward pass: it does slightly
more work than lerax.)

- `reference` (`bench/ppo_reference.py`) is the limit: one hand-written jitted `lax.scan`
  in plain JAX with the inline CartPole, the same network and a hand-written Adam.
- `lerax` is `lerax.algorithm.PPO` with that policy on `lerax.env.make("CartPole-v1")`.
- `rejax` is rejax 0.1.3's PPO, configured as closely as it allows. Its actor and critic
  are two separate 4-64-64 tanh MLPs (no shared layer: the nearest it offers, about 3 %
  more multiply-adds per forward pass), initialised by flax's defaults (LeCun-normal
  weights, zero biases; no 0.01 scaling of the last actor layer). It also differs in what
  its config cannot change: two Adam optimisers (actor, critic) instead of one on the
  summed loss, gradients clipped elementwise (`optax.clip(0.5)`) instead of by global
  norm, the value loss clipped (PPO-style, with the policy's clip 0.2; lerax's
  `clip_value_loss` is off) and halved (lerax weighs the plain squared error), and
  time-limit truncations treated as terminals (gymnax 0.0.9's `step` returns a single
  `done`; lerax and the reference bootstrap from the final observation's value). Its
  annealed learning rate is the same optax schedule.

For each contestant and seed count it reports the compile time (trace, lower and compile of
the whole run, ahead of time; wall and CPU seconds), environment steps per second of the
compiled run for 1 seed and for N seeds under `jax.vmap` (wall clock, and per second of
process CPU time), the greedy mean return (10 episodes, mode action, on the reference's inline
CartPole) of every seed's final policy, and lerax's ratios to the reference (goal >= 0.9) and
to rejax (goal >= 1.2).

rejax is a benchmark-only dependency; run with the virtualenv described in bench/README.md:

    .bench-venv-rejax/bin/python bench/ppo_cartpole.py                    # everything
    .bench-venv-rejax/bin/python bench/ppo_cartpole.py --rejax-seeds 1    # rejax: 1 seed only
    .venv/bin/python bench/ppo_cartpole.py --only reference lerax --seeds 1
    .venv/bin/python bench/ppo_cartpole.py --only reference lerax --profile /tmp/prof
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
import traceback
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dqn_reference  # noqa: E402
import ppo_reference as ref  # noqa: E402

# The settings every contestant shares (PureJaxRL's CartPole PPO).
COMMON = dict(
    num_envs=4,
    num_steps=128,
    num_epochs=4,
    num_minibatches=4,
    gamma=0.99,
    gae_lambda=0.95,
    clip_coefficient=0.2,
    entropy_coefficient=0.01,
    value_coefficient=0.5,
    max_grad_norm=0.5,
    learning_rate=2.5e-4,
    width=64,
)
# lerax's ratio to each baseline, and the goal the issue sets for it.
GOALS = {"reference": 0.9, "rejax": 1.2}


def config(steps: int) -> ref.Config:
    return ref.Config(total_steps=steps, **COMMON)


@dataclass
class Contestant:
    """`train(key) -> params` (jit-able, vmap-able) and `scores(params, obs)`, whose argmax
    over the two actions is the greedy action."""

    name: str
    train: Callable
    scores: Callable


@dataclass
class Result:
    name: str
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


def reference(cfg: ref.Config) -> Contestant:
    return Contestant("reference", ref.make_train(cfg), ref.logits)


def lerax_ppo(cfg: ref.Config) -> Contestant:
    """lerax's PPO; `algo.learn` is one `eqx.filter_jit` call, traced here inside the
    benchmark's own `jax.jit` so that the policy's initialisation is compiled with it."""
    import optax

    from lerax.algorithm import PPO
    from lerax.env import make
    from lerax.policy import MLPActorCriticPolicy

    env = make("CartPole-v1")
    policy_kwargs = dict(
        feature_size=cfg.width,
        feature_depth=0,
        value_width=cfg.width,
        value_depth=1,
        action_width=cfg.width,
        action_depth=1,
        activation=jax.nn.tanh,
    )
    algo = PPO(
        num_envs=cfg.num_envs,
        num_steps=cfg.num_steps,
        num_epochs=cfg.num_epochs,
        num_batches=cfg.num_minibatches,
        gae_lambda=cfg.gae_lambda,
        gamma=cfg.gamma,
        clip_coefficient=cfg.clip_coefficient,
        entropy_loss_coefficient=cfg.entropy_coefficient,
        value_loss_coefficient=cfg.value_coefficient,
        max_grad_norm=cfg.max_grad_norm,
        normalize_advantages=True,
        learning_rate=optax.linear_schedule(cfg.learning_rate, 0.0, cfg.num_updates),
    )
    steps = cfg.num_iterations * cfg.batch_size
    skeleton = MLPActorCriticPolicy(env, **policy_kwargs, key=jax.random.key(0))
    static = eqx.filter(skeleton, eqx.is_array, inverse=True)

    def train(key):
        k_init, k_learn = jax.random.split(key)
        policy = MLPActorCriticPolicy(env, **policy_kwargs, key=k_init)
        policy = algo.learn(env, policy, steps, key=k_learn)
        return eqx.filter(policy, eqx.is_array)

    def scores(params, obs):
        action = eqx.combine(params, static)(None, obs)[1]  # no key: the mode
        return jax.nn.one_hot(action, 2)

    return Contestant("lerax", train, scores)


def rejax_ppo(cfg: ref.Config) -> Contestant:
    """rejax 0.1.3's PPO at the common settings (differences: see the module docstring)."""
    import optax
    import rejax

    steps = cfg.num_iterations * cfg.batch_size
    algo = rejax.PPO.create(
        env="CartPole-v1",
        agent_kwargs={"activation": "tanh", "hidden_layer_sizes": (cfg.width, cfg.width)},
        total_timesteps=steps,
        eval_freq=steps,  # one evaluation, at the end, switched off below
        skip_initial_evaluation=True,
        num_envs=cfg.num_envs,
        num_steps=cfg.num_steps,
        num_epochs=cfg.num_epochs,
        num_minibatches=cfg.num_minibatches,
        gamma=cfg.gamma,
        gae_lambda=cfg.gae_lambda,
        clip_eps=cfg.clip_coefficient,
        ent_coef=cfg.entropy_coefficient,
        vf_coef=cfg.value_coefficient,
        max_grad_norm=cfg.max_grad_norm,
        learning_rate=optax.linear_schedule(cfg.learning_rate, 0.0, cfg.num_updates),
    )
    # No evaluation during training: the final policy is scored like the others'.
    algo = algo.replace(eval_callback=lambda algo, ts, rng: jnp.zeros(()))

    def train(key):
        ts, _ = algo.train(rng=key)
        return ts.actor_ts.params

    def scores(params, obs):
        return algo.actor.apply(
            params, obs[None], method=lambda m, x: m.action_logits(m.features(x))
        )[0]

    return Contestant("rejax", train, scores)


CONTESTANTS = {"reference": reference, "lerax": lerax_ppo, "rejax": rejax_ppo}


def build(names: list[str], cfg: ref.Config) -> list[Contestant]:
    """The contestants that can be built here; lerax's and rejax's imports are optional."""
    out = []
    for name in names:
        try:
            out.append(CONTESTANTS[name](cfg))
        except ImportError as e:
            print(f"# {name}: skipped, cannot import it ({e})", flush=True)
    return out


# --------------------------------------------------------------------------- measuring


def compile_run(c: Contestant, seeds: int):
    """The whole run for 1 seed or `seeds` vmapped seeds, compiled ahead of time."""
    if seeds == 1:
        fn, key = c.train, jax.random.key(1)
    else:
        fn, key = jax.vmap(c.train), jax.random.split(jax.random.key(1), seeds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w0, p0 = time.perf_counter(), time.process_time()
        compiled = jax.jit(fn).lower(key).compile()
    return compiled, key, (time.perf_counter() - w0, time.process_time() - p0)


def measure_group(
    contestants: list[Contestant], seeds: int, steps: int, repeats: int, hlo: Path | None
) -> list[Result]:
    """Compile each contestant ahead of time, then time their runs interleaved.

    The runs alternate between contestants (`repeats` rounds, the fastest of each kept) so
    that a change in the load of a shared machine hits all of them alike. A contestant that
    fails to compile is reported and left out.
    """
    compiled = []
    for c in contestants:
        try:
            fn, key, compile_s = compile_run(c, seeds)
        except Exception:  # noqa: BLE001 - a library under construction must not stop the rest
            print(f"# {c.name}: skipped, compiling it failed:", flush=True)
            traceback.print_exc()
            continue
        if hlo is not None:
            (hlo / f"ppo_{c.name}_{seeds}.hlo.txt").write_text(fn.as_text())
        compiled.append((c, fn, key, compile_s))
    best = [[float("inf"), float("inf"), None] for _ in compiled]
    for _ in range(repeats):
        for (_, fn, key, _), b in zip(compiled, best):
            w0, p0 = time.perf_counter(), time.process_time()
            params = jax.block_until_ready(fn(key))
            wall, cpu = time.perf_counter() - w0, time.process_time() - p0
            b[0], b[1], b[2] = min(b[0], wall), min(b[1], cpu), params
    return [
        Result(c.name, seeds, compile_s, wall, cpu, steps, evaluate(c, params, seeds))
        for (c, _, _, compile_s), (wall, cpu, params) in zip(compiled, best)
    ]


def evaluate(c: Contestant, params, seeds: int) -> list[float]:
    """Greedy mean return over 10 episodes of each seed's final policy."""

    def one(p, key):
        return dqn_reference.greedy_return(lambda obs: c.scores(p, obs), key, num_episodes=10)

    if seeds == 1:
        return [float(jax.jit(one)(params, jax.random.key(123)))]
    keys = jax.random.split(jax.random.key(123), seeds)
    return [float(x) for x in jax.jit(jax.vmap(one))(params, keys)]


def profile(c: Contestant, seeds: int, steps: int, out: Path, top: int = 15) -> str:
    """Trace one short run with `jax.profiler`; count the compiled ops executed per step.

    On CPU each executed op (XLA thunk) has a fixed cost and their number does not depend
    on the machine's load: it is the figure to compare between contestants. Keep the run
    short (a few iterations): the trace holds one event per op executed.
    """
    fn, key, _ = compile_run(c, seeds)
    jax.block_until_ready(fn(key))
    trace_dir = out / f"ppo_{c.name}_{seeds}"
    jax.profiler.start_trace(str(trace_dir))
    jax.block_until_ready(fn(key))
    jax.profiler.stop_trace()
    counts: dict[str, int] = {}
    durations: dict[str, float] = {}
    for path in trace_dir.rglob("*.xplane.pb"):
        for plane in jax.profiler.ProfileData.from_file(str(path)).planes:
            for line in plane.lines:
                if "XLAEigen" not in line.name:  # the threads that run compiled ops
                    continue
                for event in line.events:
                    if event.name.startswith(("end:", "Threadpool")):
                        continue
                    op = event.name.rstrip("0123456789.")
                    counts[op] = counts.get(op, 0) + 1
                    durations[op] = durations.get(op, 0.0) + event.duration_ns
    lines = [f"{sum(counts.values()) / steps:.1f} ops executed per environment step; top:"]
    for op, n in sorted(counts.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"{n / steps:8.2f} per step {durations[op] / 1e6:9.1f} ms  {op}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- reporting


def machine() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next(ln.split(":", 1)[1].strip() for ln in out.splitlines() if "Model name" in ln)
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{model}, {os.cpu_count()} cores, load average {load:.1f}; python "
        f"{platform.python_version()}, jax {jax.__version__}, {jax.devices()[0].platform}"
    )


def ratios(results: list[Result]) -> list[dict]:
    """lerax's speed over each baseline's, at each seed count, against the goals."""
    out = []
    for r in results:
        if r.name != "lerax":
            continue
        for base, goal in GOALS.items():
            o = next((x for x in results if (x.name, x.seeds) == (base, r.seeds)), None)
            if o is None:
                continue
            wall, cpu = r.sps / o.sps, r.cpu_sps / o.cpu_sps
            out.append(
                dict(seeds=r.seeds, baseline=base, wall=wall, cpu=cpu, goal=goal, met=wall >= goal)
            )
    return out


def report(results: list[Result]) -> str:
    lines = [
        "| contestant | seeds | compile s (CPU s) | steps/s | steps/CPU s "
        "| greedy return mean (median) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        mean, med = statistics.fmean(r.returns), statistics.median(r.returns)
        lines.append(
            f"| {r.name} | {r.seeds} | {r.compile_s[0]:.1f} ({r.compile_s[1]:.1f}) | "
            f"{r.sps:,.0f} | {r.cpu_sps:,.0f} | {mean:.1f} ({med:.1f}) |"
        )
    rows = ratios(results)
    if rows:
        lines += ["", "Goals (lerax's steps/s over the baseline's; CPU-time ratio in brackets):"]
    for x in rows:
        lines.append(
            f"- {x['seeds']:>3} seed(s): lerax / {x['baseline']:9s} = {x['wall']:.2f} "
            f"({x['cpu']:.2f}); goal >= {x['goal']}: {'met' if x['met'] else 'NOT met'}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=list(CONTESTANTS), default=list(CONTESTANTS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 64])
    parser.add_argument(
        "--steps", type=int, default=500_000, help="rounded down to whole iterations of 512"
    )
    parser.add_argument(
        "--repeats", type=int, default=2, help="timed rounds, interleaved; the fastest run is kept"
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
    parser.add_argument("--profile-steps", type=int, default=4 * 512)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()

    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
        cfg = config(args.profile_steps)
        steps = cfg.num_iterations * cfg.batch_size
        for c in build(args.only, cfg):
            for seeds in args.seeds:
                print(f"## {c.name}, {seeds} seed(s), {steps:,} steps")
                print(profile(c, seeds, steps * seeds, args.profile), flush=True)
        return
    if args.hlo is not None:
        args.hlo.mkdir(parents=True, exist_ok=True)

    cfg = config(args.steps)
    steps = cfg.num_iterations * cfg.batch_size
    print(
        f"# PPO CartPole-v1, {steps:,} steps ({cfg.num_iterations} iterations of "
        f"{cfg.batch_size}), {datetime.date.today()}"
    )
    print(f"# {machine()}", flush=True)
    contestants = build(args.only, cfg)
    results = []
    for seeds in args.seeds:
        group = [
            c
            for c in contestants
            if not (c.name == "rejax" and args.rejax_seeds and seeds not in args.rejax_seeds)
        ]
        for r in measure_group(group, seeds, steps, args.repeats, args.hlo):
            results.append(r)
            mean, median = statistics.fmean(r.returns), statistics.median(r.returns)
            print(
                f"{r.name:10s} seeds {seeds:>3}: compile {r.compile_s[0]:5.1f} s "
                f"({r.compile_s[1]:5.1f} CPU), {r.sps:10,.0f} steps/s "
                f"({r.cpu_sps:10,.0f} per CPU s), return {mean:6.1f} (median {median:.1f})",
                flush=True,
            )
    print()
    print(report(results))
    print(f"\n# load average at the end: {os.getloadavg()[0]:.1f}")
    if args.json is not None:
        settings = dict(COMMON, total_steps=steps, iterations=cfg.num_iterations)
        payload = dict(
            date=str(datetime.date.today()),
            machine=machine(),
            settings=settings,
            results=[dict(asdict(r), sps=r.sps, cpu_sps=r.cpu_sps) for r in results],
            ratios=ratios(results),
        )
        args.json.write_text(json.dumps(payload, indent=1))


if __name__ == "__main__":
    main()
