"""Random-action CartPole steps per second: lerax against gymnax, side by side.

Each measurement is one jitted `lax.scan` of `env.step` (auto-reset included) with a random
action drawn in the loop, for a single environment and for a `vmap` of many. Both libraries
run the same loop with the same action sampling, and both cap episodes at 500 steps
(lerax through `lerax.env.make("CartPole-v1")`, gymnax through its default parameters).

Run with the benchmark virtualenv (see bench/README.md):

    .bench-venv/bin/python bench/env_throughput.py
"""

import argparse
import platform
import time
from collections.abc import Callable

import jax

import lerax.env
from lerax.env.classic_control import CartPole


def _lerax_scan(env, num_steps: int, num_envs: int | None) -> Callable:
    def init(key):
        state, _, _ = env.reset(key=key)
        return state

    def step(state, key):
        k_action, k_step = jax.random.split(key)
        action = jax.random.randint(k_action, (), 0, 2)
        state, _, reward, _, _, _ = env.step(state, action, key=k_step)
        return state, reward

    return _scan(init, step, num_steps, num_envs)


def _gymnax_scan(num_steps: int, num_envs: int | None) -> Callable:
    import gymnax

    env, params = gymnax.make("CartPole-v1")

    def init(key):
        _, state = env.reset(key, params)
        return state

    def step(state, key):
        k_action, k_step = jax.random.split(key)
        action = jax.random.randint(k_action, (), 0, 2)
        _, state, reward, _, _, _ = env.step(k_step, state, action, params)
        return state, reward

    return _scan(init, step, num_steps, num_envs)


def _scan(init: Callable, step: Callable, num_steps: int, num_envs: int | None) -> Callable:
    """One jitted function: reset, then `num_steps` steps.

    It returns the final state and the summed reward, so that no step can be optimised away.
    """
    if num_envs is not None:
        init = _batched(init, num_envs)
        step = _batched(step, num_envs)

    @jax.jit
    def run(key):
        k_init, k_steps = jax.random.split(key)
        state, rewards = jax.lax.scan(step, init(k_init), jax.random.split(k_steps, num_steps))
        return state, rewards.sum()

    return run


def _batched(fn: Callable, num_envs: int) -> Callable:
    """`fn(*args, key)` vmapped over `num_envs` environments, each with its own key."""
    return lambda *args: jax.vmap(fn)(*args[:-1], jax.random.split(args[-1], num_envs))


def _best_seconds(runs: dict[str, Callable], repeats: int) -> dict[str, float]:
    """Best wall time of each run; the runs take turns, so machine noise hits them alike."""
    for run in runs.values():
        jax.block_until_ready(run(jax.random.key(0)))  # compile
    best = dict.fromkeys(runs, float("inf"))
    for i in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            jax.block_until_ready(run(jax.random.key(i + 1)))
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single-steps", type=int, default=100_000)
    parser.add_argument("--batch-envs", type=int, default=4096)
    parser.add_argument("--batch-steps", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    try:
        import gymnax  # noqa: F401

        have_gymnax = True
    except ImportError:
        have_gymnax = False
        print("gymnax is not installed: printing lerax only (see bench/README.md)")

    print(
        f"jax {jax.__version__} on {jax.devices()[0].platform} "
        f"({platform.processor() or platform.machine()}), best of {args.repeats}"
    )
    print(
        "lerax make = lerax.env.make('CartPole-v1') (TimeLimit 500, as gymnax's CartPole-v1); "
        "lerax bare = CartPole() without a time limit"
    )
    settings = [
        ("1 env", None, args.single_steps),
        (f"{args.batch_envs} envs", args.batch_envs, args.batch_steps),
    ]
    header = f"{'setting':<11}{'lerax make':>14}{'lerax bare':>14}{'gymnax':>14}"
    print(header + (f"{'make/gymnax':>13}{'bare/gymnax':>13}" if have_gymnax else ""))
    for label, num_envs, num_steps in settings:
        runs = {
            "make": _lerax_scan(lerax.env.make("CartPole-v1"), num_steps, num_envs),
            "bare": _lerax_scan(CartPole(), num_steps, num_envs),
        }
        if have_gymnax:
            runs["gymnax"] = _gymnax_scan(num_steps, num_envs)
        total = num_steps * (num_envs or 1)
        sps = {name: total / seconds for name, seconds in _best_seconds(runs, args.repeats).items()}
        row = f"{label:<11}{sps['make']:>14,.0f}{sps['bare']:>14,.0f}"
        if have_gymnax:
            row += f"{sps['gymnax']:>14,.0f}"
            row += f"{sps['make'] / sps['gymnax']:>13.2f}{sps['bare'] / sps['gymnax']:>13.2f}"
        else:
            row += f"{'-':>14}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
