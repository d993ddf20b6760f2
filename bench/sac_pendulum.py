"""SAC and TD3 on Pendulum-v1: lerax against rejax and the hand-fused limit references.

Every contestant does the same work for each algorithm: Pendulum-v1 (200-step limit), one
environment, one gradient step per environment step on a minibatch of 256 once 1,000 steps
have been taken (uniformly random actions before), a replay buffer as large as the run,
gamma 0.99, Polyak rate 0.005, Adam at 3e-4 for every optimiser, twin ReLU critics
``[obs, action] - W - W - 1`` (W = `--width`, default 256), 5,000 steps by default.

- SAC: lerax's `SAC(policy_frequency=2, autotune=True, initial_alpha=1.0)` (CleanRL's delayed
  schedule: every second gradient step, two actor steps each followed by a temperature
  step; target entropy -1) with `MLPSACPolicy(feature_size=W, width_size=W, depth=2)`: a
  ReLU trunk 3-W-W-W (activation after the feature layer too), linear mean and log-std
  heads, ``log_std = -5 + 7 (tanh(raw) + 1) / 2``, a tanh-squashed Gaussian on ``[-2, 2]``.
- TD3: lerax's `TD3(policy_frequency=2, policy_noise=0.2, noise_clip=0.5)` with
  `MLPDeterministicPolicy(width_size=W, depth=2, exploration_noise=0.1)`: ReLU 3-W-W-1 and
  a tanh scaled to the bounds (noises relative to the half-width of the bounds).

Contestants:

- `reference` (`bench/sac_reference.py`) is the limit: for each algorithm one hand-written
  jitted `lax.scan` in plain JAX with the inline Pendulum, the same networks, a ring
  buffer and a hand-written Adam.
- `lerax` is `lerax.algorithm.SAC` / `TD3` on `lerax.env.make("Pendulum-v1")`.
- `rejax` is rejax 0.1.3's SAC / TD3 on gymnax 0.0.9's Pendulum-v1, configured as closely
  as it allows: `num_envs=1`, `num_epochs=1` (one gradient step per environment step), the
  same batch, buffer, learning rate, gamma, ``polyak = 1 - tau``, target entropy -1
  (its default for one action dimension), initial temperature 1 (its fixed
  ``log_alpha = 0``; lerax and the reference are set to match), TD3's `policy_delay=2`,
  noises given in torque units (0.1, 0.2 and 0.5 of the half-width 2), and `fill_buffer`
  set so that it takes the same number of gradient steps as lerax (SAC: 999; TD3: 998,
  which leaves it one uniformly random step short). Its networks are rejax's own classes,
  set on the algorithm after `create` because its config cannot size them separately
  (SAC gives actor and critic one `hidden_layer_sizes`; TD3 fixes both at 64x64): SAC's
  `SquashedGaussianPolicy` with a ReLU trunk W-W-W and `log_std_range=(-5, 2)`, TD3's
  `DeterministicPolicy` W-W, and `QNetwork` W-W critics, all ReLU. What stays different:

  - SAC updates actor, critics and temperature on every gradient step, in that order (no
    delay: the same number of actor and temperature steps as lerax's bursts, a different
    schedule); it acts with its policy during the warm-up instead of uniformly; the
    log-std is clipped, not tanh-squashed; its log-density omits the ``log 2`` of the
    affine rescaling; its temperature loss is ``-alpha (log pi + target)`` (lerax and
    CleanRL: ``log_alpha (-log pi - target)``).
  - TD3's actor loss averages the Q of both critics (lerax, the reference and the paper
    use Q1 only): one more critic pass per actor step, more work for rejax.
  - Critics read the raw torque in ``[-2, 2]`` (lerax: rescaled to ``[-1, 1]``); losses are
    halved (`optax.l2_loss`); every optimiser is `optax.chain(optax.clip(inf), adam)`
    (elementwise clipping it cannot switch off); initialisation is flax's (LeCun-normal
    weights, zero biases; lerax: equinox's uniform); target networks are also averaged
    during the warm-up.
  - Its replay buffer samples without replacement, through `jax.random.choice(p=...)` over
    the whole buffer (work that grows with the buffer; lerax draws uniform indices with
    replacement).
  - gymnax 0.0.9's `step` returns one `done`, so the 200-step time limit is a terminal for
    rejax (no bootstrap through it; lerax and the reference bootstrap from the final
    observation).

For each algorithm, contestant and seed count it reports the compile time (trace, lower and
compile of the whole run, ahead of time; wall and CPU seconds), environment steps per
second of the compiled run for 1 seed and for N seeds under `jax.vmap` (wall clock, and per
second of process CPU time), the greedy mean return (10 episodes, squashed-mean or
deterministic action, on the reference's inline Pendulum) of every seed's final policy,
and lerax's ratios to the reference (goal >= 0.9) and to rejax (goal >= 1.5): of the fastest
runs, and the median of the ratios of runs timed back to back in each interleaved round
(`--repeats` rounds, every other one in reverse order; the steadier figure on a shared
machine). At the
default 5,000 steps the returns only show that learning has begun; Pendulum is solved
around -150 to -200 (the reference and lerax's TD3 reached about -190 after 10,000 steps at
width 64 in a one-seed trial).

rejax is a benchmark-only dependency; run with the virtualenv described in bench/README.md:

    .bench-venv-rejax/bin/python bench/sac_pendulum.py                  # everything
    .bench-venv-rejax/bin/python bench/sac_pendulum.py --rejax-seeds 1  # rejax: 1 seed only
    .venv/bin/python bench/sac_pendulum.py --only reference lerax --algos sac --seeds 1
    .venv/bin/python bench/sac_pendulum.py --only reference lerax --width 64
    .venv/bin/python bench/sac_pendulum.py --only reference lerax --seeds 1 --profile /tmp/prof
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sac_reference as ref  # noqa: E402
from ppo_cartpole import compile_run, machine  # noqa: E402

# The settings every contestant shares.
COMMON = dict(
    num_envs=1,
    num_steps=1,
    gradient_steps=1,
    batch_size=256,
    learning_starts=1_000,
    gamma=0.99,
    tau=0.005,
    learning_rate=3e-4,
    policy_frequency=2,
    initial_alpha=1.0,
    target_entropy=-1.0,
    policy_noise=0.2,
    noise_clip=0.5,
    exploration_noise=0.1,
)
ALGOS = ("sac", "td3")
# lerax's ratio to each baseline, and the goal set for it.
GOALS = {"reference": 0.9, "rejax": 1.5}


def config(steps: int, width: int, buffer_size: int | None = None) -> ref.Config:
    """The shared settings; the replay buffer holds the whole run unless `buffer_size`."""
    shared = {k: v for k, v in COMMON.items() if k in ref.Config.__dataclass_fields__}
    return ref.Config(total_steps=steps, width=width, buffer_size=buffer_size, **shared)


@dataclass
class Contestant:
    """`train(key) -> params` (jit-able, vmap-able) and `act(params, obs) -> torque`, the
    greedy action of the final policy."""

    algo: str
    name: str
    train: Callable
    act: Callable


@dataclass
class Result:
    algo: str
    name: str
    seeds: int
    compile_s: tuple[float, float]  # wall, CPU
    run_s: float
    cpu_s: float
    steps: int
    returns: list[float] = field(default_factory=list)
    runs_s: list[float] = field(default_factory=list)  # every timed run's wall seconds

    @property
    def sps(self) -> float:
        return self.steps * self.seeds / self.run_s

    @property
    def cpu_sps(self) -> float:
        return self.steps * self.seeds / self.cpu_s


# --------------------------------------------------------------------------- contestants


def reference(algo: str, cfg: ref.Config) -> Contestant:
    make_train, torque = ref.TRAINERS[algo]
    return Contestant(algo, "reference", make_train(cfg), torque)


def lerax_offpolicy(algo: str, cfg: ref.Config) -> Contestant:
    """lerax's SAC or TD3; `algo.learn` is one `eqx.filter_jit` call, traced here inside the
    benchmark's own `jax.jit` so that the policy's initialisation is compiled with it."""
    from lerax.algorithm import SAC, TD3
    from lerax.env import make
    from lerax.policy import MLPDeterministicPolicy, MLPSACPolicy

    env = make("Pendulum-v1")
    shared = dict(
        buffer_size=cfg.capacity,
        gamma=cfg.gamma,
        learning_starts=cfg.learning_starts,
        num_envs=COMMON["num_envs"],
        num_steps=COMMON["num_steps"],
        batch_size=cfg.batch_size,
        tau=cfg.tau,
        policy_frequency=cfg.policy_frequency,
        q_lr=cfg.learning_rate,
        q_width_size=cfg.width,
        q_depth=2,
        gradient_steps=COMMON["gradient_steps"],
    )
    if algo == "sac":
        learner = SAC(
            **shared,
            autotune=True,
            initial_alpha=cfg.initial_alpha,
            policy_lr=cfg.learning_rate,
            alpha_lr=cfg.learning_rate,
        )

        def make_policy(key):
            return MLPSACPolicy(env, feature_size=cfg.width, width_size=cfg.width, depth=2, key=key)

    else:
        learner = TD3(
            **shared,
            policy_noise=cfg.policy_noise,
            noise_clip=cfg.noise_clip,
            actor_lr=cfg.learning_rate,
        )

        def make_policy(key):
            return MLPDeterministicPolicy(
                env,
                width_size=cfg.width,
                depth=2,
                exploration_noise=cfg.exploration_noise,
                key=key,
            )

    static = eqx.filter(make_policy(jax.random.key(0)), eqx.is_array, inverse=True)

    def train(key):
        k_init, k_learn = jax.random.split(key)
        policy = learner.learn(env, make_policy(k_init), cfg.total_steps, key=k_learn)
        return eqx.filter(policy, eqx.is_array)

    def act(params, obs):
        return eqx.combine(params, static)(None, obs)[1]  # no key: squashed mean / deterministic

    return Contestant(algo, "lerax", train, act)


def rejax_offpolicy(algo: str, cfg: ref.Config) -> Contestant:
    """rejax 0.1.3's SAC or TD3 at the common settings (differences: see the module
    docstring)."""
    import rejax
    from flax import linen as nn
    from rejax.networks import DeterministicPolicy, QNetwork, SquashedGaussianPolicy

    w = cfg.width
    shared = dict(
        env="Pendulum-v1",
        total_timesteps=cfg.total_steps,
        eval_freq=cfg.total_steps,  # one evaluation, at the end, switched off below
        skip_initial_evaluation=True,
        num_envs=COMMON["num_envs"],
        num_epochs=COMMON["gradient_steps"],
        buffer_size=cfg.capacity,
        batch_size=cfg.batch_size,
        learning_rate=cfg.learning_rate,
        gamma=cfg.gamma,
        polyak=1.0 - cfg.tau,
        target_update_freq=1,
    )
    critic = QNetwork(hidden_layer_sizes=(w, w), activation=nn.relu)
    if algo == "sac":
        # rejax learns once `global_step > fill_buffer`, counted after the step's collection.
        algo_ = rejax.SAC.create(
            **shared, fill_buffer=cfg.learning_starts - 1, agent_kwargs={"activation": "relu"}
        )
        space = algo_.action_space
        actor = SquashedGaussianPolicy(
            1,
            (space.low, space.high),
            hidden_layer_sizes=(w, w, w),
            activation=nn.relu,
            log_std_range=(ref.LOG_STD_MIN, ref.LOG_STD_MAX),
        )

        def greedy(m, x):
            return m.action_loc + jnp.tanh(m._action_dist(x).loc) * m.action_scale

    else:
        half = ref.MAX_TORQUE  # half-width of [-2, 2]: rejax's noises are in torque units
        # rejax TD3 learns once `global_step > fill_buffer`, counted before the collection.
        algo_ = rejax.TD3.create(
            **shared,
            fill_buffer=cfg.learning_starts - 2,
            policy_delay=cfg.policy_frequency,
            exploration_noise=cfg.exploration_noise * half,
            target_noise=cfg.policy_noise * half,
            target_noise_clip=cfg.noise_clip * half,
        )
        space = algo_.action_space
        actor = DeterministicPolicy(
            1, (space.low, space.high), hidden_layer_sizes=(w, w), activation=nn.relu
        )

        def greedy(m, x):
            return m(x)

    # Its own network classes at our sizes; no evaluation during training (the final
    # policy is scored like the others').
    algo_ = algo_.replace(
        actor=actor, critic=critic, eval_callback=lambda algo, ts, rng: jnp.zeros(())
    )

    def train(key):
        ts, _ = algo_.train(rng=key)
        return ts.actor_ts.params

    def act(params, obs):
        return algo_.actor.apply(params, obs[None], method=greedy)[0]

    return Contestant(algo, "rejax", train, act)


CONTESTANTS = {"reference": reference, "lerax": lerax_offpolicy, "rejax": rejax_offpolicy}


def build(names: list[str], algo: str, cfg: ref.Config) -> list[Contestant]:
    """The contestants that can be built here; lerax's and rejax's imports are optional."""
    out = []
    for name in names:
        try:
            out.append(CONTESTANTS[name](algo, cfg))
        except ImportError as e:
            print(f"# {algo} {name}: skipped, cannot import it ({e})", flush=True)
    return out


# --------------------------------------------------------------------------- measuring


def measure_group(
    contestants: list[Contestant], seeds: int, steps: int, repeats: int, hlo: Path | None
) -> list[Result]:
    """Compile each contestant ahead of time, then time their runs interleaved.

    The runs alternate between contestants (`repeats` rounds, the fastest of each kept) so
    that a change in the load of a shared machine hits all of them alike. Every other round
    runs them in reverse order: on a machine that slows down or speeds up during a round, a
    fixed order would favour whoever runs first in every round's pairs. A contestant that
    fails to compile is reported and left out.
    """
    compiled = []
    for c in contestants:
        try:
            fn, key, compile_s = compile_run(c, seeds)
        except Exception:  # noqa: BLE001 - a library under construction must not stop the rest
            print(f"# {c.algo} {c.name}: skipped, compiling it failed:", flush=True)
            traceback.print_exc()
            continue
        if hlo is not None:
            (hlo / f"{c.algo}_{c.name}_{seeds}.hlo.txt").write_text(fn.as_text())
        compiled.append((c, fn, key, compile_s))
    walls: list[list[float]] = [[] for _ in compiled]
    cpus: list[list[float]] = [[] for _ in compiled]
    params = [None for _ in compiled]
    for round_ in range(repeats):
        order = list(enumerate(compiled))
        for i, (_, fn, key, _) in order if round_ % 2 == 0 else order[::-1]:
            w0, p0 = time.perf_counter(), time.process_time()
            params[i] = jax.block_until_ready(fn(key))
            walls[i].append(time.perf_counter() - w0)
            cpus[i].append(time.process_time() - p0)
    return [
        Result(c.algo, c.name, seeds, compile_s, min(w), min(p), steps, evaluate(c, out, seeds), w)
        for (c, _, _, compile_s), w, p, out in zip(compiled, walls, cpus, params)
    ]


def evaluate(c: Contestant, params, seeds: int) -> list[float]:
    """Greedy mean return over 10 episodes of each seed's final policy."""

    def one(p, key):
        return ref.greedy_return(lambda obs: c.act(p, obs), key, num_episodes=10)

    if seeds == 1:
        return [float(jax.jit(one)(params, jax.random.key(123)))]
    keys = jax.random.split(jax.random.key(123), seeds)
    return [float(x) for x in jax.jit(jax.vmap(one))(params, keys)]


def profile(c: Contestant, seeds: int, steps: int, out: Path, top: int = 15) -> str:
    """Trace one short run with `jax.profiler`; count the compiled ops executed per step.

    On CPU each executed op (XLA thunk) has a fixed cost and their number does not depend
    on the machine's load: it is the figure to compare between contestants. Keep the run
    short (a few hundred gradient steps): the trace holds one event per op executed.
    """
    fn, key, _ = compile_run(c, seeds)
    jax.block_until_ready(fn(key))
    trace_dir = out / f"{c.algo}_{c.name}_{seeds}"
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


def ratios(results: list[Result]) -> list[dict]:
    """lerax's speed over each baseline's, per algorithm and seed count, against the goals."""
    out = []
    for r in results:
        if r.name != "lerax":
            continue
        for base, goal in GOALS.items():
            o = next(
                (x for x in results if (x.algo, x.name, x.seeds) == (r.algo, base, r.seeds)), None
            )
            if o is None:
                continue
            wall, cpu = r.sps / o.sps, r.cpu_sps / o.cpu_sps
            out.append(
                dict(
                    algo=r.algo,
                    seeds=r.seeds,
                    baseline=base,
                    wall=wall,
                    cpu=cpu,
                    pairs=paired(o.runs_s, r.runs_s),
                    goal=goal,
                    met=wall >= goal,
                )
            )
    return out


def paired(baseline_s: list[float], lerax_s: list[float]) -> list[float]:
    """lerax's speed over the baseline's in each interleaved round (the baseline's run time
    over lerax's, the two runs timed back to back).

    A shared VM's speed drifts by more than the differences measured, within a process
    and between processes; runs next to each other drift least, so the median of these
    per-round ratios is steadier than the ratio of the fastest runs.
    """
    return [b / x for b, x in zip(baseline_s, lerax_s)]


def report(results: list[Result]) -> str:
    lines = [
        "| algorithm | contestant | seeds | compile s (CPU s) | steps/s | steps/CPU s "
        "| greedy return mean (median) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        mean, med = statistics.fmean(r.returns), statistics.median(r.returns)
        lines.append(
            f"| {r.algo.upper()} | {r.name} | {r.seeds} | {r.compile_s[0]:.1f} "
            f"({r.compile_s[1]:.1f}) | {r.sps:,.0f} | {r.cpu_sps:,.0f} | {mean:.1f} ({med:.1f}) |"
        )
    rows = ratios(results)
    if rows:
        lines += ["", "Goals (lerax's steps/s over the baseline's; CPU-time ratio in brackets):"]
    for x in rows:
        lines.append(
            f"- {x['algo'].upper()} {x['seeds']:>3} seed(s): lerax / {x['baseline']:9s} = "
            f"{x['wall']:.2f} ({x['cpu']:.2f}), per-round median "
            f"{statistics.median(x['pairs']):.2f}; goal >= {x['goal']}: "
            f"{'met' if x['met'] else 'NOT met'}"
        )
    return "\n".join(lines)


def across_processes(n: int, out: Path | None) -> None:
    """Run this script `n` times in fresh processes (the same arguments, one at a time) and
    summarise every ratio over them.

    On a shared VM a whole process can run fast or slow: the same compiled program moved by
    about +-10 % between processes in the 2026-12-04 runs, more than between the interleaved
    repeats inside one. The median over processes is the figure to report.
    """
    argv, skip = [], False
    for a in sys.argv[1:]:  # drop --processes N and --json PATH; each child writes its own
        if skip:
            skip = False
            continue
        if a in ("--processes", "--json"):
            skip = True
            continue
        if a.startswith(("--processes=", "--json=")):
            continue
        argv.append(a)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            path = Path(tmp) / f"run{i}.json"
            print(f"# process {i + 1} of {n}", flush=True)
            subprocess.run([sys.executable, __file__, *argv, "--json", str(path)], check=True)
            runs.append(json.loads(path.read_text()))
    print(
        f"\n# Ratios over {n} processes, wall clock: the median (min-max) of each process's "
        "fastest-run ratio, and the median (min-max) of every interleaved round's ratio"
    )
    table: dict[tuple, tuple[list[float], list[float]]] = {}
    for run in runs:
        for x in run["ratios"]:
            key = (x["algo"], x["seeds"], x["baseline"], x["goal"])
            values, pairs = table.setdefault(key, ([], []))
            values.append(x["wall"])
            pairs.extend(x["pairs"])
    summary = []
    for (algo, seeds, base, goal), (values, pairs) in table.items():
        med, pmed = statistics.median(values), statistics.median(pairs)
        print(
            f"- {algo.upper()} {seeds:>3} seed(s): lerax / {base:9s} = {med:.2f} "
            f"({min(values):.2f}-{max(values):.2f}, {len(values)} processes); per round "
            f"{pmed:.2f} ({min(pairs):.2f}-{max(pairs):.2f}, {len(pairs)} rounds); goal >= "
            f"{goal}: {'met' if med >= goal else 'NOT met'} by the processes' median, "
            f"{'met' if pmed >= goal else 'NOT met'} by the rounds' median"
        )
        summary.append(
            dict(
                algo=algo,
                seeds=seeds,
                baseline=base,
                goal=goal,
                median=med,
                values=values,
                round_median=pmed,
                rounds=pairs,
            )
        )
    if out is not None:
        out.write_text(json.dumps(dict(processes=runs, summary=summary), indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=list(CONTESTANTS), default=list(CONTESTANTS))
    parser.add_argument("--algos", nargs="+", choices=ALGOS, default=list(ALGOS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 16])
    parser.add_argument("--steps", type=int, default=5_000, help="environment steps per seed")
    parser.add_argument(
        "--width", type=int, default=256, help="hidden width of every actor and critic"
    )
    parser.add_argument(
        "--repeats", type=int, default=1, help="timed rounds, interleaved; the fastest run is kept"
    )
    parser.add_argument(
        "--rejax-seeds",
        nargs="+",
        type=int,
        default=None,
        help="seed counts for rejax (default: --seeds)",
    )
    parser.add_argument(
        "--buffer-size",
        type=int,
        default=None,
        help="replay buffer capacity of every contestant (default: the run's length; the "
        "documented default of SAC and TD3 is 1,000,000)",
    )
    parser.add_argument("--hlo", type=Path, default=None, help="write the compiled HLO here")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="instead of benchmarking, trace short runs (--profile-steps) into "
        "this folder and print the compiled ops executed per environment step",
    )
    parser.add_argument("--profile-steps", type=int, default=COMMON["learning_starts"] + 200)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="run the whole measurement this many times, each in a fresh process, and "
        "report every ratio's median and range over them",
    )
    args = parser.parse_args()
    if args.steps <= COMMON["learning_starts"]:
        parser.error(f"--steps must exceed learning_starts = {COMMON['learning_starts']}")
    if args.processes < 1:
        parser.error(f"--processes must be >= 1, got {args.processes}")
    if args.processes > 1:
        if args.profile is not None:
            parser.error("--processes measures speed; it cannot be combined with --profile")
        across_processes(args.processes, args.json)
        return

    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
        cfg = config(args.profile_steps, args.width, args.buffer_size)
        for algo in args.algos:
            for c in build(args.only, algo, cfg):
                for seeds in args.seeds:
                    print(f"## {algo.upper()} {c.name}, {seeds} seed(s), {cfg.total_steps:,} steps")
                    print(profile(c, seeds, cfg.total_steps * seeds, args.profile), flush=True)
        return
    if args.hlo is not None:
        args.hlo.mkdir(parents=True, exist_ok=True)

    cfg = config(args.steps, args.width, args.buffer_size)
    print(
        f"# SAC and TD3 on Pendulum-v1, {cfg.total_steps:,} steps ({cfg.gradient_steps:,} "
        f"gradient steps), width {cfg.width}, buffer {cfg.capacity:,}, {datetime.date.today()}"
    )
    print(f"# {machine()}", flush=True)
    results = []
    for algo in args.algos:
        contestants = build(args.only, algo, cfg)
        for seeds in args.seeds:
            group = [
                c
                for c in contestants
                if not (c.name == "rejax" and args.rejax_seeds and seeds not in args.rejax_seeds)
            ]
            for r in measure_group(group, seeds, cfg.total_steps, args.repeats, args.hlo):
                results.append(r)
                mean, median = statistics.fmean(r.returns), statistics.median(r.returns)
                print(
                    f"{algo.upper()} {r.name:10s} seeds {seeds:>3}: compile "
                    f"{r.compile_s[0]:5.1f} s ({r.compile_s[1]:5.1f} CPU), {r.sps:8,.0f} steps/s "
                    f"({r.cpu_sps:8,.0f} per CPU s), return {mean:7.1f} (median {median:.1f}); "
                    f"runs {', '.join(f'{t:.2f}' for t in r.runs_s)} s",
                    flush=True,
                )
    print()
    print(report(results))
    print(f"\n# load average at the end: {os.getloadavg()[0]:.1f}")
    if args.json is not None:
        settings = dict(
            COMMON,
            total_steps=cfg.total_steps,
            gradient_steps_total=cfg.gradient_steps,
            buffer_size=cfg.capacity,
            width=cfg.width,
        )
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
