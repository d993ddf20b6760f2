"""A cheap Pendulum learning check that fails when off-policy learning breaks."""

import equinox as eqx
import jax
import numpy as np
import pytest

from lerax.algorithm import SAC, TD3
from lerax.benchmark import average_reward
from lerax.env import make
from lerax.policy import MLPDeterministicPolicy, MLPSACPolicy

STEPS = 6_000
COMMON = dict(
    buffer_size=STEPS,
    learning_starts=500,
    num_envs=1,
    batch_size=128,
    q_width_size=64,
    q_depth=2,
)
CASES = {
    "td3": (
        TD3(**COMMON, actor_lr=1e-3, q_lr=1e-3),
        lambda env, key: MLPDeterministicPolicy(env, width_size=64, depth=2, key=key),
    ),
    "sac": (
        SAC(**COMMON, policy_lr=1e-3, q_lr=1e-3),
        lambda env, key: MLPSACPolicy(env, feature_size=64, width_size=64, depth=1, key=key),
    ),
}


def greedy_returns(name, keys):
    env = make("Pendulum-v1")
    algo, make_policy = CASES[name]

    @eqx.filter_jit
    def run(keys):
        def one(key):
            init_key, train_key, eval_key = jax.random.split(key, 3)
            policy = algo.learn(env, make_policy(env, init_key), STEPS, key=train_key)
            return average_reward(
                env, policy, num_episodes=5, max_steps=200, deterministic=True, key=eval_key
            )

        return jax.vmap(one)(keys)

    return np.asarray(run(keys))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_learns_pendulum_over_three_vmapped_seeds(name):
    returns = greedy_returns(name, jax.random.split(jax.random.key(2024), 3))
    # An untrained policy scores about -1,200 to -1,500. See the threshold's derivation below.
    assert np.median(returns) >= THRESHOLD[name], returns


# Set from the spread over seeds, not from this test's seeds: at 6,000 steps, greedy returns
# over 10 other seeds (keys of jax.random.key(0)) were, sorted,
#   TD3: -903, -736, -667, -533, -307, -217, -183, -180, -138, -108 (median -262)
#   SAC: -637, -242, -185, -181, -171, -171, -144, -144, -134, -123 (median -171)
# (2026-12-03). TD3 spreads widely this early, SAC much less. A median of three seeds below
# these thresholds needs two seeds at the bottom of the spread; an untrained policy scores
# -1,200 to -1,500 and a policy that cannot swing up about -900 at best.
THRESHOLD = {"td3": -950.0, "sac": -450.0}
