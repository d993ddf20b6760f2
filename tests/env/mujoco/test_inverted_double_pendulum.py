"""InvertedDoublePendulum-v5 on MJX equals Gymnasium's (MuJoCo's C engine) step by step."""

import equinox as eqx
import gymnasium
import jax
import numpy as np
import pytest

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
    qpos, qvel = np.asarray(state.data.qpos), np.asarray(state.data.qvel)
    assert np.all(np.abs(qpos - ENV.mj_model.qpos0) <= 0.1 + 1e-7)
    reference = gymnasium.make("InvertedDoublePendulum-v5").unwrapped
    reference.reset(seed=seed)
    reference.set_state(qpos.astype(np.float64), qvel.astype(np.float64))
    np.testing.assert_allclose(observation, reference._get_obs(), atol=1e-6)
    rng = np.random.default_rng(seed)
    for t in range(200):
        action = rng.uniform(-1.0, 1.0, (1,)).astype(np.float32)
        state, observation, reward, terminal, truncate, info = _step(
            state, action, jax.random.key(t)
        )
        ref_obs, ref_reward, ref_terminal, _, _ = reference.step(action)
        np.testing.assert_allclose(info["final_observation"], ref_obs, atol=1e-4, rtol=1e-4)
        np.testing.assert_allclose(reward, ref_reward, atol=1e-4, rtol=1e-4)
        assert bool(terminal) == ref_terminal and not truncate
        if ref_terminal:
            break
    assert ref_terminal and t > 2, "no termination reached: the test did not check one"
