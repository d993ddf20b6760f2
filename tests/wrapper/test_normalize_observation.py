"""NormalizeObservation: running statistics of every observation, across episodes."""

import jax
import numpy as np
import pytest

from lerax.space import Box
from lerax.wrapper import NormalizeObservation

from ._envs import CounterEnv, counter_actions, rollout

KEY = jax.random.key(0)
EPS = 1e-8
ACTIONS = counter_actions(1.0, 2.0, -1.0, 0.5, 3.0, -2.0, 1.0)
# Raw observations [x, t] of CounterEnv(episode_length=3) under ACTIONS, by hand.
FINAL = [[1, 1], [3, 2], [2, 3], [0.5, 1], [3.5, 2], [1.5, 3], [1, 1]]
DONE = [False, False, True, False, False, True, False]


def _seen_after_each_step():
    """Observations the statistics must have seen after each step: the initial one, every
    final observation, and the reset observation after each finished episode."""
    seen, history = [[0.0, 0.0]], []
    for final, done in zip(FINAL, DONE):
        seen.append(final)
        if done:
            seen.append([0.0, 0.0])
        history.append(np.array(seen, np.float64))
    return history


@pytest.fixture(scope="module")
def out():
    return rollout(NormalizeObservation(CounterEnv(episode_length=3), clip=None), ACTIONS, KEY)


def test_statistics_equal_numpy_and_survive_auto_reset(out):
    stats = out.state.wrapper_state.statistics
    for step, seen in enumerate(_seen_after_each_step()):
        assert int(stats.count[step]) == len(seen)
        np.testing.assert_allclose(stats.mean[step], seen.mean(axis=0), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(stats.var[step], seen.var(axis=0), rtol=1e-5, atol=1e-6)
    assert int(stats.count[-1]) == 1 + 7 + 2


def test_returned_observations_use_the_updated_statistics(out):
    first = out.first_state.wrapper_state.statistics
    assert int(first.count) == 1
    np.testing.assert_array_equal(out.first_obs, [0.0, 0.0])
    for step, seen in enumerate(_seen_after_each_step()):
        mean, std = seen.mean(axis=0), np.sqrt(seen.var(axis=0) + EPS)
        returned = [0.0, 0.0] if DONE[step] else FINAL[step]
        np.testing.assert_allclose(out.obs[step], (returned - mean) / std, rtol=1e-5, atol=1e-5)
    # The final observation of an episode is normalised before the reset one is counted.
    seen = np.array([[0, 0], [1, 1], [3, 2], [2, 3]], np.float64)
    expected = (seen[-1] - seen.mean(axis=0)) / np.sqrt(seen.var(axis=0) + EPS)
    np.testing.assert_allclose(out.info["final_observation"][2], expected, rtol=1e-5)


def test_clipping_and_observation_space():
    env = NormalizeObservation(CounterEnv(episode_length=3), clip=0.5)
    assert env.observation_space == Box(-0.5, 0.5, (2,))
    assert NormalizeObservation(CounterEnv()).observation_space == Box(-10.0, 10.0, (2,))
    assert NormalizeObservation(CounterEnv(), clip=None).observation_space == Box(
        -np.inf, np.inf, (2,)
    )
    out = rollout(env, ACTIONS[:2], KEY)
    # Step 1: seen [0,0],[1,1] -> z = [1, 1]; step 2: seen also [3,2] -> z ~ [1.34, 1.22].
    np.testing.assert_array_equal(out.obs, [[0.5, 0.5], [0.5, 0.5]])


@pytest.mark.parametrize(
    "kwargs, message",
    [({"epsilon": 0.0}, "epsilon > 0"), ({"clip": 0.0}, "clip > 0"), ({"clip": -1.0}, "clip > 0")],
)
def test_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        NormalizeObservation(CounterEnv(), **kwargs)
