"""MuJoCo steps per second: lerax's MJX environments against plain MJX and MuJoCo's C engine.

For each task (default: HalfCheetah-v5, Ant-v5, Humanoid-v5, G1Locomotion), and for one
environment and for a batch of environments, three contestants take random-action steps on the
same model:

- `lerax env`: `lerax.env.make(task)` (the task in its 1,000-step `TimeLimit`; the G1 tasks
  of `lerax.env.unitree.g1` with their defaults, randomisation and pushes), one jitted
  `lax.scan` over `env.step` (observation, reward, termination and auto-reset included), the
  action drawn uniformly in the action space's bounds inside the loop, `jax.vmap` for a batch;
- `plain MJX`: the same scan straight over `mjx.step`, `frame_skip` times per step on
  `mjx.Data` with random controls in the actuators' ranges and nothing else: the hand-fused
  limit of the env (for the G1, `frame_skip` is its 5 physics steps per control step);
- `MuJoCo C`: MuJoCo's C engine (float64) through `mujoco.rollout`, the controls drawn
  beforehand and held for `frame_skip` physics steps; one thread for one environment,
  `--threads` threads (a persistent `mujoco.rollout.Rollout` pool) for the batch.

One environment step is `frame_skip` physics steps. The JAX contestants are compiled ahead of
time (compile seconds reported apart); a first, untimed call makes the initial state, and each
timed call only takes steps from it (no initial reset; lerax's auto-resets count as steps).
Timings are the best of `--repeats` runs, taken in turns so that noise from other processes
hits all contestants alike.

Unless XLA_FLAGS is set, the script sets `--xla_cpu_use_fusion_emitters=false` before JAX is
imported: jaxlib 0.10.2's CPU fusion emitters make MJX's deep models very slow to compile and
to run. The flag does not affect GPUs.

    .venv/bin/python bench/mujoco_throughput.py       # 15-20 min on 2 CPU cores, most compiling
    .venv/bin/python bench/mujoco_throughput.py --tasks Ant-v5 --batch-envs 4096
"""

import os

# Before JAX is imported, or XLA ignores it.
if "XLA_FLAGS" not in os.environ:
    os.environ["XLA_FLAGS"] = "--xla_cpu_use_fusion_emitters=false"

import argparse  # noqa: E402
import contextlib  # noqa: E402
import importlib.metadata  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any, NamedTuple  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import mujoco  # noqa: E402
import mujoco.rollout  # noqa: E402
import numpy as np  # noqa: E402

import lerax.env  # noqa: E402
from lerax.env.mujoco import AbstractMujocoEnv  # noqa: E402
from lerax.env.unitree import g1  # noqa: E402

DEFAULT_TASKS = ("HalfCheetah-v5", "Ant-v5", "Humanoid-v5", "G1Locomotion")
G1_TASKS = ("G1Locomotion", "G1Standing", "G1Standup")
# Environment steps per timed run when --single-steps / --batch-steps are not given: (one
# environment, each environment of a batch of 1024), for a few seconds per run of MJX at
# most: on CPU sized for 2 cores, where MJX takes ~50 (Humanoid) to ~2,000 (HalfCheetah) env
# steps/s, batched or not; on an accelerator, for the batch's far higher throughput. Tasks
# not listed get the FALLBACK.
CPU_STEPS = {
    "HalfCheetah-v5": (2_000, 2),
    "Ant-v5": (500, 1),
    "Humanoid-v5": (100, 1),
    "G1Locomotion": (200, 1),
}
CPU_FALLBACK = (100, 1)
ACCELERATOR_STEPS = {
    "HalfCheetah-v5": (1_000, 200),
    "Ant-v5": (500, 100),
    "Humanoid-v5": (250, 50),
}
ACCELERATOR_FALLBACK = (250, 50)


class Physics(NamedTuple):
    """What the plain-MJX and C contestants simulate: the task's physics alone."""

    name: str
    mj_model: Any  # host mujoco.MjModel
    model: Any  # mjx.Model
    frame_skip: int  # physics steps per environment step
    initial: Callable[[jax.Array], Any]  # key -> the task's initial mjx.Data


def _physics(task: Any) -> Physics:
    """The physics of a MuJoCo task or a G1 task."""
    if isinstance(task, AbstractMujocoEnv):
        return Physics(
            task.name,
            task.mj_model,
            task.model,
            task.frame_skip,
            lambda key: task.initial(key=key).data,
        )
    if isinstance(task, g1.AbstractG1Env):
        robot = task.robot
        return Physics(
            task.name,
            robot.physics_model,
            robot.model,
            robot.n_substeps,
            lambda key: task.initial(key=key).sim_state,
        )
    raise TypeError(f"{task.name} is neither a MuJoCo task nor a G1 task")


def _bounds(name: str, low: Any, high: Any) -> tuple[np.ndarray, np.ndarray]:
    """`(low, high)` as float32 arrays, finite (or random actions make no sense)."""
    low, high = np.asarray(low, np.float32), np.asarray(high, np.float32)
    if not (np.all(np.isfinite(low)) and np.all(np.isfinite(high))):
        raise ValueError(
            f"{name}: random actions need finite control ranges; give the model's "
            "actuators ctrlrange and ctrllimited"
        )
    return low, high


def _control_bounds(physics: Physics) -> tuple[np.ndarray, np.ndarray]:
    """The actuators' control ranges."""
    low, high = physics.mj_model.actuator_ctrlrange.T
    return _bounds(physics.name, low, high)


def _lerax_steps(env: Any) -> tuple[Callable, Callable]:
    """`(init, step)` for the lerax environment `env`, random actions in its action space."""
    low, high = _bounds(env.name, env.action_space.low, env.action_space.high)

    def init(key):
        state, _, _ = env.reset(key=key)
        return state

    def step(state, key):
        k_action, k_step = jax.random.split(key)
        action = jax.random.uniform(k_action, low.shape, minval=low, maxval=high)
        state, _, reward, _, _, _ = env.step(state, action, key=k_step)
        return state, reward

    return init, step


def _mjx_steps(physics: Physics) -> tuple[Callable, Callable]:
    """`(init, step)` straight on MJX: `frame_skip` `mjx.step`s per step, nothing else.

    The initial `mjx.Data` is the task's initial state (one forward pass), as for lerax.
    """
    # Imported by lerax.env.mujoco already, which silences MJX's import-time notes on stdout.
    from mujoco import mjx

    low, high = _control_bounds(physics)
    model, frame_skip = physics.model, physics.frame_skip

    def step(data, key):
        ctrl = jax.random.uniform(key, low.shape, minval=low, maxval=high)
        # MJX relies on NumPy-style rank promotion, which the user may have set to raise.
        with jax.numpy_rank_promotion("allow"):
            data = jax.lax.fori_loop(
                0, frame_skip, lambda _, d: mjx.step(model, d), data.replace(ctrl=ctrl)
            )
        return data, data.qpos[0]

    return physics.initial, step


def _compile(
    init: Callable, step: Callable, num_steps: int, num_envs: int | None
) -> tuple[Callable[[int], Any], float]:
    """`(run, seconds)`: `run(i)` takes `num_steps` steps in one jitted `lax.scan` with the
    steps' keys drawn from `jax.random.key(i)`, compiled ahead of time in `seconds`. With
    `num_envs`, every step is vmapped over that many environments, each with its own key.

    Every `run` starts from the same initial state, made by a first call of the compiled
    function (which also warms it up): its `lax.cond` resets only when asked to, so the
    timed calls take steps and nothing else. `run` returns the sum of the per-step outputs
    and the final state, so that no step can be optimised away.
    """
    if num_envs is not None:
        init = _batched(init, num_envs)
        step = _batched(step, num_envs)

    def scan(state, key, reset):
        k_init, k_steps = jax.random.split(key)
        state = jax.lax.cond(reset, lambda: init(k_init), lambda: state)
        state, outputs = jax.lax.scan(step, state, jax.random.split(k_steps, num_steps))
        return jnp.sum(outputs), state

    key = jax.random.key(0)
    placeholder = jax.tree.map(_placeholder, jax.eval_shape(init, key))
    start = time.perf_counter()
    compiled = jax.jit(scan).lower(placeholder, key, jnp.asarray(True)).compile()
    seconds = time.perf_counter() - start
    _, initial = jax.block_until_ready(compiled(placeholder, key, jnp.asarray(True)))
    no_reset = jnp.asarray(False)
    return lambda i: compiled(initial, jax.random.key(i), no_reset), seconds


def _placeholder(leaf: jax.ShapeDtypeStruct) -> jax.Array:
    """An array of `leaf`'s shape and dtype (keys included), for a state `lax.cond` ignores."""
    if jax.dtypes.issubdtype(leaf.dtype, jax.dtypes.prng_key):
        return jax.random.split(jax.random.key(0), leaf.shape)
    return jnp.zeros(leaf.shape, leaf.dtype)


def _batched(fn: Callable, num_envs: int) -> Callable:
    """`fn(*args, key)` vmapped over `num_envs` environments, each with its own key."""
    return lambda *args: jax.vmap(fn)(*args[:-1], jax.random.split(args[-1], num_envs))


def _mujoco_c(
    physics: Physics, num_steps: int, num_envs: int, pool: Any | None, seed: int
) -> Callable[[int], Any]:
    """A call of `mujoco.rollout` taking `num_steps` environment steps in each of `num_envs`
    environments on the task's host model: in the calling thread without a `pool`, else on
    the `(mujoco.rollout.Rollout, threads)` pair `pool`.

    Prepared here, outside the timing: the initial states (the model's initial pose and zero
    velocity plus uniform noise on [-0.01, 0.01]), the random controls (uniform in the action
    bounds, each held for `frame_skip` physics steps) and the output array, which a first,
    untimed call touches.
    """
    model, frame_skip = physics.mj_model, physics.frame_skip
    low, high = _control_bounds(physics)
    rng = np.random.default_rng(seed)
    spec = mujoco.mjtState.mjSTATE_FULLPHYSICS
    data = mujoco.MjData(model)
    initial = np.empty((num_envs, mujoco.mj_stateSize(model, spec)))
    for i in range(num_envs):
        mujoco.mj_resetData(model, data)
        data.qpos += rng.uniform(-0.01, 0.01, model.nq)
        data.qvel = rng.uniform(-0.01, 0.01, model.nv)
        mujoco.mj_getState(model, data, initial[i], spec)
    controls = rng.uniform(low, high, (num_envs, num_steps, model.nu))
    controls = np.repeat(controls, frame_skip, axis=1)
    nstep = num_steps * frame_skip
    states = np.empty((num_envs, nstep, initial.shape[1]))
    if pool is None:

        def run(i: int) -> Any:
            return mujoco.rollout.rollout(model, data, initial, controls, nstep=nstep, state=states)
    else:
        rollout, threads = pool
        datas = [mujoco.MjData(model) for _ in range(threads)]

        def run(i: int) -> Any:
            return rollout.rollout(model, datas, initial, controls, nstep=nstep, state=states)

    run(0)
    return run


def _best_seconds(runs: dict[str, Callable[[int], Any]], repeats: int) -> dict[str, float]:
    """Best wall time of each (warmed-up) run, called with the repeat's number from 1; the
    runs take turns, so machine noise hits them alike."""
    best = dict.fromkeys(runs, float("inf"))
    for i in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            jax.block_until_ready(run(i + 1))
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tasks",
        nargs="+",
        default=list(DEFAULT_TASKS),
        help="MuJoCo tasks of lerax.env.make or G1 tasks (default: %(default)s)",
    )
    parser.add_argument("--batch-envs", type=int, default=1024)
    parser.add_argument(
        "--single-steps", type=int, default=None, help="steps of one env (default: per task)"
    )
    parser.add_argument(
        "--batch-steps",
        type=int,
        default=None,
        help="steps of each batched env (default: per task)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--threads",
        type=int,
        default=os.cpu_count() or 1,
        help="threads of MuJoCo C's batched rollout (default: the CPU count)",
    )
    args = parser.parse_args()
    counts = {
        "--batch-envs": args.batch_envs,
        "--single-steps": args.single_steps,
        "--batch-steps": args.batch_steps,
        "--repeats": args.repeats,
        "--threads": args.threads,
    }
    for option, value in counts.items():
        if value is not None and value < 1:
            parser.error(f"{option} must be at least 1, got {value}")

    device = jax.devices()[0]
    print(
        f"jax {jax.__version__} on {jax.default_backend()} ({device.device_kind}); "
        f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}); "
        f"mujoco {mujoco.__version__}, mujoco-mjx {importlib.metadata.version('mujoco-mjx')}"
    )
    print(f"XLA_FLAGS={os.environ.get('XLA_FLAGS', '')!r}; best of {args.repeats}")
    print(
        "lerax env = jitted scan of lerax.env.make(task).step; plain MJX = the same scan of "
        "frame_skip x mjx.step; MuJoCo C = mujoco.rollout, 1 thread for 1 env, "
        f"{args.threads} for the batch. lerax / x = lerax's steps/s over x's."
    )
    header = (
        f"{'setting':<12}{'contestant':<22}{'compile s':>10}{'run s':>9}"
        f"{'env steps/s':>14}{'physics steps/s':>17}{'lerax / x':>11}"
    )
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        pool = None
        if args.threads > 1:
            rollout = stack.enter_context(mujoco.rollout.Rollout(nthread=args.threads))
            pool = (rollout, args.threads)
        for task_name in args.tasks:
            if task_name in G1_TASKS:
                env = getattr(g1, task_name)()
            else:
                env = lerax.env.make(task_name)
                if not isinstance(env.unwrapped, AbstractMujocoEnv):
                    parser.error(f"--tasks: {task_name} is not a MuJoCo task")
            physics = _physics(env.unwrapped)
            if jax.default_backend() == "cpu":
                default_single, default_batch = CPU_STEPS.get(task_name, CPU_FALLBACK)
            else:
                default_single, default_batch = ACCELERATOR_STEPS.get(
                    task_name, ACCELERATOR_FALLBACK
                )
            settings = [
                ("1 env", None, args.single_steps or default_single, None),
                (
                    f"{args.batch_envs} envs",
                    args.batch_envs,
                    args.batch_steps or default_batch,
                    pool,
                ),
            ]
            model = physics.mj_model
            print(
                f"\n{task_name}: frame_skip {physics.frame_skip}, nq {model.nq}, nv {model.nv}, "
                f"nu {model.nu}, timestep {model.opt.timestep:g} s"
            )
            print(header)
            for label, num_envs, num_steps, c_pool in settings:
                lerax_run, lerax_compile = _compile(*_lerax_steps(env), num_steps, num_envs)
                mjx_run, mjx_compile = _compile(*_mjx_steps(physics), num_steps, num_envs)
                c_run = _mujoco_c(physics, num_steps, num_envs or 1, c_pool, seed=0)
                c_name = (
                    "MuJoCo C (1 thread)" if c_pool is None else f"MuJoCo C ({args.threads} thr.)"
                )
                seconds = _best_seconds(
                    {
                        "lerax env": lerax_run,
                        "plain MJX": mjx_run,
                        c_name: c_run,
                    },
                    args.repeats,
                )
                compiles = {"lerax env": lerax_compile, "plain MJX": mjx_compile, c_name: None}
                total = num_steps * (num_envs or 1)
                lerax_sps = total / seconds["lerax env"]
                for name, secs in seconds.items():
                    sps = total / secs
                    compile_s = "-" if compiles[name] is None else f"{compiles[name]:.1f}"
                    ratio = "" if name == "lerax env" else f"{lerax_sps / sps:.2f}"
                    print(
                        f"{label:<12}{name:<22}{compile_s:>10}{secs:>9.3f}{sps:>14,.0f}"
                        f"{sps * physics.frame_skip:>17,.0f}{ratio:>11}",
                        flush=True,
                    )
    print(f"\ntotal wall time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
