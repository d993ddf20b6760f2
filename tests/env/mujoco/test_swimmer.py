"""Swimmer-v5 on MJX equals Gymnasium's (MuJoCo's C engine) step by step."""

import equinox as eqx
import gymnasium
import jax
import numpy as np
import pytest

from lerax.env.mujoco import Swimmer
from lerax.space import Box

ENV = Swimmer()


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def _run(state, actions, keys):
    def body(state, inputs):
        action, key = inputs
        state, _, reward, terminal, truncate, info = ENV.step(state, action, key=key)
        return state, (info["final_observation"], reward, terminal | truncate)

    return jax.lax.scan(body, state, (actions, keys))[1]


def test_spaces_and_defaults():
    assert ENV.action_space == Box(np.array([-1.0, -1.0]), np.array([1.0, 1.0]))
    assert ENV.observation_space.shape == (8,)
    assert Swimmer(exclude_current_positions_from_observation=False).observation_space.shape == (
        10,
    )
    assert ENV.dt == pytest.approx(0.04)  # timestep 0.01 x frame_skip 4
    assert (ENV.forward_reward_weight, ENV.ctrl_cost_weight) == (1.0, 1e-4)


def test_100_steps_equal_gymnasium_from_the_same_state():
    state, observation, _ = ENV.reset(key=jax.random.key(0))
    reference = gymnasium.make("Swimmer-v5").unwrapped
    reference.reset(seed=0)
    reference.set_state(
        np.asarray(state.data.qpos, np.float64), np.asarray(state.data.qvel, np.float64)
    )
    np.testing.assert_allclose(observation, reference._get_obs(), atol=1e-7)
    actions = np.random.default_rng(0).uniform(-1.0, 1.0, (100, 2)).astype(np.float32)
    observations, rewards, done = _run(state, actions, jax.random.split(jax.random.key(1), 100))
    assert not np.any(done)
    for t, action in enumerate(actions):
        ref_obs, ref_reward, ref_terminal, _, _ = reference.step(action)
        np.testing.assert_allclose(observations[t], ref_obs, atol=1e-4, rtol=1e-3)
        np.testing.assert_allclose(rewards[t], ref_reward, atol=1e-3, rtol=1e-3)
        assert not ref_terminal
