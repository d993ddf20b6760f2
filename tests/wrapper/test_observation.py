"""Observation wrappers: TransformObservation, ClipObservation, RescaleObservation,
FlattenObservation."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.space import Box
from lerax.wrapper import (
    ClipObservation,
    FlattenObservation,
    FrameStack,
    RescaleObservation,
    TransformObservation,
)

from ._envs import ChoiceEnv, CounterEnv, counter_actions, rollout

KEY = jax.random.key(0)


def test_clip_observation_clips_to_the_space_bounds():
    env = ClipObservation(CounterEnv())  # bounds [-4, 0] .. [4, 10]
    assert env.observation_space == CounterEnv().observation_space
    out = rollout(env, counter_actions(*[3.0] * 11), KEY)
    np.testing.assert_array_equal(out.obs[0], [3.0, 1.0])
    np.testing.assert_array_equal(out.obs[1], [4.0, 2.0])  # x = 6 clipped
    np.testing.assert_array_equal(out.obs[10], [4.0, 10.0])  # x = 33, t = 11 clipped
    neg = rollout(env, counter_actions(-2.0, -2.0, -2.0), KEY)
    np.testing.assert_array_equal(neg.obs[2], [-4.0, 3.0])


def test_rescale_observation_maps_the_bounds_exactly():
    env = RescaleObservation(CounterEnv())  # [-4, 0]..[4, 10] -> [-1, 1]
    assert env.observation_space == Box(-1.0, 1.0, (2,))
    assert env.transform_observation(jnp.array([-4.0, 0.0])).tolist() == [-1.0, -1.0]
    assert env.transform_observation(jnp.array([4.0, 10.0])).tolist() == [1.0, 1.0]
    assert env.transform_observation(jnp.array([0.0, 5.0])).tolist() == [0.0, 0.0]
    out = rollout(env, counter_actions(1.0, 1.0), KEY)
    np.testing.assert_allclose(out.obs, [[0.25, -0.8], [0.5, -0.6]], rtol=1e-6)


def test_rescale_observation_custom_interval():
    env = RescaleObservation(CounterEnv(), min=0.0, max=np.array([1.0, 20.0]))
    assert env.observation_space == Box(0.0, np.array([1.0, 20.0]))
    assert env.transform_observation(jnp.array([4.0, 10.0])).tolist() == [1.0, 20.0]
    assert env.transform_observation(jnp.array([-2.0, 1.0])).tolist() == [0.25, 2.0]


def test_rescale_observation_invalid_arguments():
    with pytest.raises(ValueError, match="RescaleObservation needs finite min < max"):
        RescaleObservation(CounterEnv(), min=1.0, max=-1.0)
    with pytest.raises(ValueError, match="RescaleObservation needs finite min < max"):
        RescaleObservation(CounterEnv(), min=0.0, max=np.inf)
    with pytest.raises(
        ValueError, match="RescaleObservation needs finite observation space bounds"
    ):
        RescaleObservation(FlattenObservation(ChoiceEnv()))


def test_flatten_composite_observation():
    env = FlattenObservation(ChoiceEnv())
    assert env.observation_space == Box(-np.inf, np.inf, (3,))
    out = rollout(env, jnp.array([2, 1, 0]), KEY)
    np.testing.assert_array_equal(out.first_obs, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(out.obs, [[2.0, 1.0, 2.0], [1.0, 2.0, 4.0], [0.0, 3.0, 6.0]])
    assert out.obs.dtype == jnp.float32


def test_flatten_box_keeps_the_bounds():
    env = FlattenObservation(FrameStack(CounterEnv(), 2))
    assert env.observation_space == Box(np.array([-4.0, 0.0, -4.0, 0.0]), np.array([4, 10, 4, 10]))
    out = rollout(env, counter_actions(1.0, 2.0), KEY)
    np.testing.assert_array_equal(out.obs, [[0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 3.0, 2.0]])


def test_transform_observation():
    space = Box(-8.0, 8.0, ())
    env = TransformObservation(CounterEnv(), lambda o: 2.0 * o[0], space)
    assert env.observation_space == space
    out = rollout(env, counter_actions(1.0, 2.0, -0.5), KEY)
    assert out.obs.tolist() == [2.0, 6.0, 5.0]
    assert out.first_obs.tolist() == 0.0
    with pytest.raises(TypeError, match="func"):
        TransformObservation(CounterEnv(), None, space)
    with pytest.raises(TypeError, match="observation_space"):
        TransformObservation(CounterEnv(), lambda o: o, None)
