"""FrameStack: the last observations on a new leading axis."""

import jax
import numpy as np
import pytest

from lerax.space import Box
from lerax.wrapper import FrameStack

from ._envs import CounterEnv, counter_actions, rollout

KEY = jax.random.key(0)


def test_frames_roll_and_restart_with_each_episode():
    env = FrameStack(CounterEnv(episode_length=3), 3)
    out = rollout(env, counter_actions(1.0, 2.0, -1.0, 0.5), KEY)
    zero = [0.0, 0.0]
    np.testing.assert_array_equal(out.first_obs, [zero, zero, zero])
    np.testing.assert_array_equal(out.obs[0], [zero, zero, [1.0, 1.0]])
    np.testing.assert_array_equal(out.obs[1], [zero, [1.0, 1.0], [3.0, 2.0]])
    np.testing.assert_array_equal(out.obs[2], [zero, zero, zero])  # after the terminal step
    np.testing.assert_array_equal(
        out.info["final_observation"][2], [[1.0, 1.0], [3.0, 2.0], [2.0, 3.0]]
    )
    np.testing.assert_array_equal(out.obs[3], [zero, zero, [0.5, 1.0]])


def test_observation_space_repeats_the_bounds():
    env = FrameStack(CounterEnv(), 3)
    low, high = np.array([-4.0, 0.0]), np.array([4.0, 10.0])
    assert env.observation_space == Box(np.stack([low] * 3), np.stack([high] * 3))
    one = FrameStack(CounterEnv(), 1)
    assert one.observation_space.shape == (1, 2)
    out = rollout(one, counter_actions(2.0), KEY)
    np.testing.assert_array_equal(out.obs, [[[2.0, 1.0]]])


@pytest.mark.parametrize("num_frames", [0, -2])
def test_non_positive_num_frames(num_frames):
    with pytest.raises(ValueError, match="FrameStack needs num_frames >= 1"):
        FrameStack(CounterEnv(), num_frames)


@pytest.mark.parametrize("num_frames", [1.5, True])
def test_non_int_num_frames(num_frames):
    with pytest.raises(TypeError, match="num_frames"):
        FrameStack(CounterEnv(), num_frames)
