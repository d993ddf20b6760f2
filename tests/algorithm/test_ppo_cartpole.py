"""A cheap CartPole learning check that fails when PPO's learning breaks."""

import equinox as eqx
import jax
import numpy as np
import pytest

from lerax.algorithm.presets import CARTPOLE_PPO_POLICY, ppo_cartpole
from lerax.benchmark import average_reward
from lerax.env import make
from lerax.policy import MLPActorCriticPolicy

STEPS = 40_960


@pytest.mark.slow
def test_ppo_preset_learns_cartpole_over_four_vmapped_seeds():
    env = make("CartPole-v1")
    algo = ppo_cartpole(STEPS)

    @eqx.filter_jit
    def run(keys):
        def one(key):
            init_key, train_key, eval_key = jax.random.split(key, 3)
            policy = MLPActorCriticPolicy(env, **CARTPOLE_PPO_POLICY, key=init_key)
            policy = algo.learn(env, policy, STEPS, key=train_key)
            return average_reward(
                env, policy, num_episodes=5, max_steps=500, deterministic=True, key=eval_key
            )

        return jax.vmap(one)(keys)

    returns = np.asarray(run(jax.random.split(jax.random.key(2024), 4)))
    # An untrained greedy policy scores about 9 and a random one about 22. See the
    # threshold's derivation in the closing comment of this file.
    assert np.median(returns) >= THRESHOLD, returns


# Set from the spread over seeds, not from this test's seeds: at 40,960 steps the preset's
# greedy returns over 20 other seeds (keys 0..19, bench/README.md) ranged from 163 to 500,
# with 10 % quantile 192 and median 436. A median of four seeds at 150 or more sits well
# below that and far above an untrained policy (9) or a random one (22), so only broken
# learning fails it.
THRESHOLD = 150.0
