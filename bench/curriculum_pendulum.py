"""A gravity curriculum on Pendulum-v1 with the tuned SAC preset: what it costs, what it does.

Three runs of `lerax.algorithm.presets.sac_pendulum` at 20k steps, 10 seeds vmapped in one
compiled call each, scored by the final policy's greedy mean return over 10 episodes at
full gravity (g = 10):

- `plain`: g = 10 throughout (the preset as shipped);
- `scheduled`: `ScheduledCurriculum` raising g linearly from 2 to 10 over the first half
  of training;
- `levels`: `LevelCurriculum` over g = 2, 4, 6, 8, 10, moving up when the smoothed episode
  return reaches -400.

The seeds are the held-out set of bench/learning.py (`jax.random.key(1000)`); nothing here
was tuned. The time of a second, compiled-already call of each run measures the cost of
carrying the environment through the loop.

    .venv/bin/python bench/curriculum_pendulum.py [plain] [scheduled] [levels]
"""

from __future__ import annotations

import platform
import statistics
import sys
import time

import equinox as eqx
import jax
import numpy as np

from lerax.algorithm import presets
from lerax.benchmark import average_reward
from lerax.callback import AbstractTrainingCallback
from lerax.callback._host import emit
from lerax.curriculum import LevelCurriculum, ScheduledCurriculum, linear_schedule
from lerax.env import make
from lerax.policy import MLPSACPolicy

STEPS = 20_000
SEEDS = jax.random.split(jax.random.key(1000), 10)


class FinalGravity(AbstractTrainingCallback):
    """Records the gravity each seed trained on last (host side, one call per seed)."""

    seen: list = eqx.field(static=True)

    def on_training_start(self, ctx, *, key):
        return ctx.state

    def on_training_end(self, ctx, *, key):
        emit(lambda g: self.seen.append(float(np.asarray(g))), ctx.env.env.g)
        return ctx.state

    def __hash__(self):
        return 0

    def __eq__(self, other):
        return isinstance(other, FinalGravity)


def curricula(iterations: int) -> dict[str, object]:
    return {
        "plain": None,
        "scheduled": ScheduledCurriculum(
            lambda env: env.env.g, linear_schedule(2.0, 10.0, total=iterations // 2)
        ),
        "levels": LevelCurriculum(
            lambda env: env.env.g, [2.0, 4.0, 6.0, 8.0, 10.0], lambda ctx: ctx.reward, -400.0
        ),
    }


def main() -> None:
    env = make("Pendulum-v1")
    algo = presets.sac_pendulum(STEPS)
    print(f"{platform.processor() or platform.machine()}, jax {jax.__version__}, {jax.devices()}")
    only = sys.argv[1:]
    for name, curriculum in curricula(algo.num_iterations(STEPS)).items():
        if only and name not in only:
            continue
        final_g: list[float] = []
        callback = None if curriculum is None else [curriculum, FinalGravity(final_g)]

        @eqx.filter_jit
        def train(keys, callback=callback):
            def one(key):
                init_key, train_key, _ = jax.random.split(key, 3)
                policy = MLPSACPolicy(env, **presets.PENDULUM_SAC_POLICY, key=init_key)
                return algo.learn(env, policy, STEPS, key=train_key, callback=callback)

            return eqx.filter_vmap(one)(keys)

        start = time.perf_counter()
        policies = jax.block_until_ready(train(SEEDS))
        first = time.perf_counter() - start
        start = time.perf_counter()
        jax.block_until_ready(train(SEEDS))
        second = time.perf_counter() - start

        def score(policy, key):
            return average_reward(env, policy, 10, 200, True, key=jax.random.split(key, 3)[2])

        returns = [float(r) for r in eqx.filter_vmap(score)(policies, SEEDS)]
        gravity = f"  final g {sorted(final_g[:10])}" if final_g else ""
        print(
            f"{name:10s} median {statistics.median(returns):8.1f}  "
            f"returns {[round(r) for r in returns]}  "
            f"time {first:.0f} s with compiling, {second:.0f} s compiled{gravity}"
        )


if __name__ == "__main__":
    main()
