"""A CartPole learning check of the shipped DQN preset that fails when DQN's learning breaks."""

import equinox as eqx
import jax
import numpy as np
import pytest

from lerax.algorithm.presets import dqn_cartpole
from lerax.benchmark import average_reward
from lerax.env import make
from lerax.policy import MLPQPolicy

STEPS = 50_000


@pytest.mark.slow
def test_dqn_learns_cartpole_over_four_vmapped_seeds():
    env = make("CartPole-v1")
    algo = dqn_cartpole(STEPS)

    @eqx.filter_jit
    def run(keys):
        def one(key):
            init_key, train_key, eval_key = jax.random.split(key, 3)
            policy = MLPQPolicy(env, width_size=256, depth=2, key=init_key)
            policy = algo.learn(env, policy, STEPS, key=train_key)
            return average_reward(
                env, policy, num_episodes=5, max_steps=500, deterministic=True, key=eval_key
            )

        return jax.vmap(one)(keys)

    returns = np.asarray(run(jax.random.split(jax.random.key(2024), 4)))
    # An untrained greedy policy scores about 9 and a random one about 22. See the threshold's
    # derivation below.
    assert np.median(returns) >= THRESHOLD, returns


# Set from the spread over seeds, not from this test's seeds (keys of jax.random.key(2024),
# used for nothing else): at 50,000 steps the preset's greedy returns (10 episodes each) were
#   20 tuning seeds (keys of jax.random.key(0)): 18 at 500, 489, 434;
#   10 held-out seeds (keys of jax.random.key(1000)): all 500;
#   `lerax train --seeds 10 --seed 123`: 8 at 500, 342, 138
# (2026-12-03): 1 of those 40 seeds ended below 250. A median of four below 250 needs two
# of the four that low (about 1 run in 250 at that rate); broken learning stays near 10-30
# on every seed.
THRESHOLD = 250.0
