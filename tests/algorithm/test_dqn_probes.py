"""DQN reaches the known optimal values of small probe environments."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.algorithm import DQN
from lerax.policy import MLPQPolicy

from ._probes import BestAction, ConstantReward, Discounting, MaskedBest, ObservedReward

GAMMA = 0.9


def _algo(**kw):
    base = dict(
        buffer_size=2_000,
        gamma=GAMMA,
        learning_starts=200,
        num_envs=4,
        num_steps=1,
        batch_size=32,
        target_update_interval=40,
        learning_rate=3e-3,
        gradient_steps=1,
        exploration_fraction=0.5,
        exploration_final_eps=0.1,
    )
    base.update(kw)
    return DQN(**base)


def _train(env, steps=4_000, **kw):
    policy = MLPQPolicy(env, width_size=16, depth=1, key=jax.random.key(0))
    return _algo(**kw).learn(env, policy, steps, key=jax.random.key(1))


def _q(policy, obs):
    return np.asarray(policy.q_values(None, jnp.asarray([obs], jnp.float32))[1])


def test_constant_reward():
    policy = _train(ConstantReward())
    assert _q(policy, 0.0)[0] == pytest.approx(1.0, abs=0.05)


def test_observation_dependent_reward():
    policy = _train(ObservedReward())
    assert _q(policy, 1.0)[0] == pytest.approx(1.0, abs=0.1)
    assert _q(policy, -1.0)[0] == pytest.approx(-1.0, abs=0.1)


def test_discounting():
    policy = _train(Discounting())
    assert _q(policy, 0.0)[0] == pytest.approx(GAMMA, abs=0.08)
    assert _q(policy, 1.0)[0] == pytest.approx(1.0, abs=0.08)


def test_best_action():
    policy = _train(BestAction())
    np.testing.assert_allclose(_q(policy, 1.0), [-1.0, 1.0], atol=0.15)
    np.testing.assert_allclose(_q(policy, -1.0), [1.0, -1.0], atol=0.15)
    assert int(policy(None, jnp.array([1.0]))[1]) == 1
    assert int(policy(None, jnp.array([-1.0]))[1]) == 0


def test_masked_action_is_never_taken_nor_valued():
    env = MaskedBest()
    policy = _train(env)
    mask = jnp.array([True, True, False])
    q = _q(policy, 0.0)
    assert q[1] == pytest.approx(1.0, abs=0.1)
    assert q[0] == pytest.approx(0.0, abs=0.1)
    assert int(policy(None, jnp.array([0.0]), action_mask=mask)[1]) == 1


def test_bootstraps_through_truncation_from_the_final_observation():
    from lerax.wrapper import TimeLimit

    from ._probes import Timeout

    # reward 1 forever, cut off after 5 steps: a truncation is not a terminal, so the
    # value is 1 / (1 - gamma) everywhere; treating the cut-off as terminal would give ~4.1.
    policy = _train(TimeLimit(Timeout(), 5), steps=6_000, target_update_interval=100)
    assert _q(policy, 0.0)[0] == pytest.approx(1.0 / (1.0 - GAMMA), rel=0.15)
