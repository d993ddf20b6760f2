"""PPO, A2C and REINFORCE reach the known answers of the actor-critic probe environments."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.algorithm import A2C, PPO, REINFORCE
from lerax.policy import MLPActorCriticPolicy
from lerax.wrapper import TimeLimit

from ._probes import ActionReward, BestAction, ConstantReward, Discounting, ObservedReward, Timeout

GAMMA = 0.9
ALGOS = {
    "ppo": lambda: PPO(
        num_envs=4, num_steps=16, num_epochs=4, num_batches=2, gamma=GAMMA, learning_rate=3e-3
    ),
    "a2c": lambda: A2C(num_envs=4, num_steps=8, gamma=GAMMA, learning_rate=3e-3),
    "reinforce": lambda: REINFORCE(num_envs=4, num_steps=8, gamma=GAMMA, learning_rate=3e-3),
}


def _train(name, env, steps=4_096):
    policy = MLPActorCriticPolicy(
        env,
        feature_size=8,
        feature_width=16,
        feature_depth=1,
        value_width=16,
        value_depth=1,
        action_width=16,
        action_depth=1,
        key=jax.random.key(0),
    )
    return ALGOS[name]().learn(env, policy, steps, key=jax.random.key(1))


def _value(policy, obs):
    return float(policy.value(None, jnp.asarray([obs], jnp.float32))[1])


def _prob(policy, obs, action):
    _, dist, _ = policy.distribution_and_value(None, jnp.asarray([obs], jnp.float32))
    return float(jnp.exp(dist.log_prob(jnp.asarray(action))))


@pytest.mark.parametrize("name", list(ALGOS))
def test_constant_reward(name):
    policy = _train(name, ConstantReward())
    assert _value(policy, 0.0) == pytest.approx(1.0, abs=0.1)


@pytest.mark.parametrize("name", list(ALGOS))
def test_observation_dependent_reward(name):
    policy = _train(name, ObservedReward())
    assert _value(policy, 1.0) == pytest.approx(1.0, abs=0.15)
    assert _value(policy, -1.0) == pytest.approx(-1.0, abs=0.15)


@pytest.mark.parametrize("name", list(ALGOS))
def test_discounting(name):
    policy = _train(name, Discounting())
    assert _value(policy, 0.0) == pytest.approx(GAMMA, abs=0.1)
    assert _value(policy, 1.0) == pytest.approx(1.0, abs=0.1)


@pytest.mark.parametrize("name", list(ALGOS))
def test_action_dependent_reward(name):
    policy = _train(name, ActionReward())
    assert _prob(policy, 0.0, 1) > 0.9
    assert _value(policy, 0.0) == pytest.approx(1.0, abs=0.25)


@pytest.mark.parametrize("name", list(ALGOS))
def test_observation_and_action_dependent_reward(name):
    policy = _train(name, BestAction())
    assert _prob(policy, 1.0, 1) > 0.9 and _prob(policy, -1.0, 0) > 0.9
    assert int(policy(None, jnp.array([1.0]))[1]) == 1
    assert int(policy(None, jnp.array([-1.0]))[1]) == 0
    np.testing.assert_allclose([_value(policy, 1.0), _value(policy, -1.0)], 1.0, atol=0.3)


@pytest.mark.parametrize("name", list(ALGOS))
def test_truncation_bootstraps_from_the_final_observation(name):
    # Reward 1 forever, cut off after 5 steps. Truncation is not termination, so the value
    # is 1 / (1 - gamma) = 10; treating the cut-off as terminal would give about 3.
    policy = _train(name, TimeLimit(Timeout(), 5), steps=8_192)
    assert _value(policy, 0.0) == pytest.approx(1.0 / (1.0 - GAMMA), rel=0.15)
