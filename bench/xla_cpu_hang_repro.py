"""Reproduce the XLA CPU deadlock of large batched MJX programs (jaxlib 0.10.2, 2 CPU cores).

One jitted program resets `--envs` HalfCheetah-v5 environments (vmapped) and scans two
vmapped `env.step`s; it is run twice: once returning only the final positions (XLA drops
what nothing reads), once returning the whole final state. (Passing a whole batched state
into such a program hangs as well.) On the 2-core CPU VM, with 1,024 environments,
the first finishes in ~15 s (compiling included) and the second never returns (0 % CPU,
every XLA thread idle): `SIGALRM` ends the process after `--timeout` seconds ("Alarm clock").
Timing-sensitive: with one more Python thread waiting (a watchdog), even the first hangs.

    .venv/bin/python bench/xla_cpu_hang_repro.py --envs 1024 --timeout 120
"""

import argparse
import os
import signal
import time

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_use_fusion_emitters=false")


def _call(num_envs: int, whole_state: bool) -> None:
    import jax
    import jax.numpy as jnp

    import lerax.env

    env = lerax.env.make("HalfCheetah-v5")
    zeros = jnp.zeros(env.action_space.shape)

    def run(keys):
        state = jax.vmap(lambda key: env.reset(key=key)[0])(keys)

        def step(state, key):
            keys = jax.random.split(key, num_envs)
            state, _, reward, *_ = jax.vmap(lambda s, k: env.step(s, zeros, key=k))(state, keys)
            return state, reward

        state, rewards = jax.lax.scan(step, state, jax.random.split(keys[0], 2))
        return rewards.sum(), state if whole_state else state.unwrapped.data.qpos

    start = time.perf_counter()
    jax.block_until_ready(jax.jit(run)(jax.random.split(jax.random.key(0), num_envs)))
    print(f"returned in {time.perf_counter() - start:.1f} s (compiling included)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envs", type=int, default=1024)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    for whole_state in (False, True):
        label = "whole final state" if whole_state else "final qpos only"
        print(f"{args.envs} envs, returning the {label}:", flush=True)
        signal.alarm(round(args.timeout))  # default action: end the process
        _call(args.envs, whole_state)
        signal.alarm(0)


if __name__ == "__main__":
    main()
