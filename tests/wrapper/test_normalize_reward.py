"""NormalizeReward: rewards scaled by the running std of the discounted return."""

import jax
import numpy as np
import pytest

from lerax.wrapper import NormalizeReward

from ._envs import CounterEnv, counter_actions, rollout

KEY = jax.random.key(0)
EPS = 1e-8
REWARDS = [1.0, 2.0, -1.0, 0.5, 3.0, -2.0, 1.0]
# G <- 0.5 G + r, restarting after the terminal steps 3 and 6 (episode_length=3), by hand.
RETURNS = [1.0, 2.5, 0.25, 0.5, 3.25, -0.375, 1.0]


@pytest.fixture(scope="module")
def out():
    env = NormalizeReward(CounterEnv(episode_length=3), gamma=0.5)
    return rollout(env, counter_actions(*REWARDS), KEY)


def test_discounted_return_and_statistics(out):
    own = out.state.wrapper_state
    # The returned state after a terminal step belongs to the next episode: G restarts.
    np.testing.assert_allclose(own.discounted_return, [1.0, 2.5, 0.0, 0.5, 3.25, 0.0, 1.0])
    for step in range(7):
        seen = np.array(RETURNS[: step + 1])
        assert int(own.statistics.count[step]) == step + 1  # survives episode ends
        np.testing.assert_allclose(own.statistics.mean[step], seen.mean(), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(own.statistics.var[step], seen.var(), rtol=1e-5, atol=1e-6)


def test_rewards_are_scaled_by_the_return_std(out):
    expected = [REWARDS[0] / np.sqrt(1.0 + EPS)]  # one return has no spread yet
    for step in range(1, 7):
        expected.append(REWARDS[step] / np.sqrt(np.var(RETURNS[: step + 1]) + EPS))
    np.testing.assert_allclose(out.reward, expected, rtol=1e-5)
    # Observations and termination are untouched.
    assert out.terminal.tolist() == [False, False, True, False, False, True, False]
    np.testing.assert_array_equal(out.obs[1], [3.0, 2.0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"gamma": 1.5}, "0 <= gamma <= 1"),
        ({"gamma": -0.1}, "0 <= gamma <= 1"),
        ({"epsilon": 0.0}, "epsilon > 0"),
    ],
)
def test_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        NormalizeReward(CounterEnv(), **kwargs)
