"""InvertedDoublePendulum-v5 on MJX equals Gymnasium's (MuJoCo's C engine) step by step."""

import equinox as eqx
import jax
import numpy as np
import pytest
from _mujoco_reference import assert_episode_matches, gymnasium_twin

import lerax.env
from lerax.env.mujoco import InvertedDoublePendulum
from lerax.space import Box

ENV = InvertedDoublePendulum()


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def _reset(key):
    return ENV.reset(key=key)


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def _step(state, action, key):
    return ENV.step(state, action, key=key)


def test_spaces_and_defaults():
    assert ENV.action_space == Box(np.array([-1.0]), np.array([1.0]))
    assert ENV.observation_space.shape == (9,)
    assert ENV.dt == pytest.approx(0.05)  # timestep 0.01 x frame_skip 5
    assert (ENV.healthy_reward, ENV.reset_noise_scale) == (10.0, 0.1)
    assert lerax.env.make("InvertedDoublePendulum-v5").max_episode_steps == 1000


@pytest.mark.parametrize("seed", [0, 1])
def test_episode_equals_gymnasium_from_the_same_state(seed):
    state, observation, _ = _reset(jax.random.key(seed))
    qpos = np.asarray(state.data.qpos)
    assert np.all(np.abs(qpos - ENV.mj_model.qpos0) <= 0.1 + 1e-7)
    reference = gymnasium_twin("InvertedDoublePendulum-v5", state, seed)
    np.testing.assert_allclose(observation, reference._get_obs(), atol=1e-6)
    end = assert_episode_matches(
        _step, state, reference, seed, atol=1e-4, rtol=1e-4, reward_tol=1e-4
    )
    assert end > 2
