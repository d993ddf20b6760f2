"""Truncation bootstrapping, checked against a hand computation through a whole iteration."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.algorithm import A2C, REINFORCE
from lerax.callback import EmptyCallback
from lerax.policy import MLPActorCriticPolicy
from lerax.wrapper import TimeLimit

from ._probes import Timeout

GAMMA = 0.9
LIMIT, STEPS = 5, 7


def _hand_returns(c, truncation_is_terminal=False):
    # Reward 1 per step; the episode is cut off after step LIMIT - 1 and the next one runs
    # until the rollout ends after step STEPS - 1. Every observation is 0, so every value is c.
    cut = 0.0 if truncation_is_terminal else c
    returns = []
    for t in range(STEPS):
        end, bootstrap = (LIMIT, cut) if t < LIMIT else (STEPS, c)
        k = end - t
        returns.append(sum(GAMMA**i for i in range(k)) + GAMMA**k * bootstrap)
    return np.asarray(returns)


@pytest.mark.parametrize(
    "algo",
    [
        A2C(num_envs=2, num_steps=STEPS, gamma=GAMMA, gae_lambda=1.0, learning_rate=1e-9),
        REINFORCE(num_envs=2, num_steps=STEPS, gamma=GAMMA, learning_rate=1e-9),
    ],
    ids=["a2c", "reinforce"],
)
def test_value_targets_bootstrap_through_truncation(algo):
    env = TimeLimit(Timeout(), LIMIT)
    policy = MLPActorCriticPolicy(env, key=jax.random.key(0))
    c = float(policy.value(None, jnp.zeros((1,)))[1])
    state = algo.init(env, policy, key=jax.random.key(1))
    _, _, stats = eqx.filter_jit(
        lambda s: algo.iteration(env, s, EmptyCallback(), None, total_timesteps=STEPS * 2)
    )(state)
    expected = np.mean(np.square(c - _hand_returns(c)))
    assert float(stats.value_loss) == pytest.approx(expected, rel=1e-4)
    wrong = np.mean(np.square(c - _hand_returns(c, truncation_is_terminal=True)))
    assert abs(expected - wrong) > 0.1  # the check can tell the two apart
