"""TimeLimit: truncation exactly at the limit, auto-reset, interaction with inner endings."""

import jax
import numpy as np
import pytest

from lerax.wrapper import TimeLimit

from ._envs import CounterEnv, counter_actions, rollout

KEY = jax.random.key(0)


def test_truncates_exactly_at_the_limit_and_auto_resets():
    env = TimeLimit(CounterEnv(), 3)
    out = rollout(env, counter_actions(*[1.0] * 7), KEY)
    assert out.truncate.tolist() == [False, False, True, False, False, True, False]
    assert not out.terminal.any()
    assert out.info["done"].tolist() == out.truncate.tolist()
    # The step counter restarts with every episode.
    assert out.state.wrapper_state.tolist() == [1, 2, 0, 1, 2, 0, 1]
    # After the truncated step the observation is the reset one; the final one is in the info.
    np.testing.assert_array_equal(out.obs[2], [0.0, 0.0])
    np.testing.assert_array_equal(out.info["final_observation"][2], [3.0, 3.0])
    np.testing.assert_array_equal(out.obs[3], [1.0, 1.0])
    np.testing.assert_array_equal(out.obs[5], [0.0, 0.0])


def test_inner_termination_restarts_the_count():
    env = TimeLimit(CounterEnv(episode_length=2), 3)
    out = rollout(env, counter_actions(*[1.0] * 6), KEY)
    assert out.terminal.tolist() == [False, True] * 3
    assert not out.truncate.any()
    assert out.state.wrapper_state.tolist() == [1, 0] * 3


def test_limit_on_a_terminal_step_counts_as_terminal():
    out = rollout(TimeLimit(CounterEnv(episode_length=3), 3), counter_actions(*[1.0] * 3), KEY)
    assert out.terminal.tolist() == [False, False, True]
    assert out.truncate.tolist() == [False, False, False]


def test_inner_truncation_is_kept():
    env = TimeLimit(TimeLimit(CounterEnv(), 2), 5)
    out = rollout(env, counter_actions(*[1.0] * 6), KEY)
    assert out.truncate.tolist() == [False, True] * 3
    assert out.state.wrapper_state.tolist() == [1, 0] * 3


@pytest.mark.parametrize("steps", [0, -1])
def test_non_positive_max_episode_steps(steps):
    with pytest.raises(ValueError, match="TimeLimit needs max_episode_steps >= 1"):
        TimeLimit(CounterEnv(), steps)


@pytest.mark.parametrize("steps", [2.5, True, None])
def test_non_int_max_episode_steps(steps):
    with pytest.raises(TypeError, match="max_episode_steps"):
        TimeLimit(CounterEnv(), steps)
