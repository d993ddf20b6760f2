"""Swimmer-v5 and HalfCheetah-v5 on MJX equal Gymnasium's (MuJoCo's C engine) step by step."""

import equinox as eqx
import jax
import numpy as np
import pytest
from _mujoco_reference import gymnasium_twin

from lerax.env.mujoco import HalfCheetah, Swimmer
from lerax.space import Box

# (class, steps compared, observation size, size with positions, action size, dt).
# HalfCheetah's contacts amplify float32 round-off: it matches to 2e-3 for ~25 steps, after
# which single velocities drift apart by tenths of a percent (step 26 on this seed).
TASKS = {
    "Swimmer-v5": (Swimmer, 100, 8, 10, 2, 0.04),
    "HalfCheetah-v5": (HalfCheetah, 20, 17, 18, 6, 0.05),
}


@eqx.filter_jit
def _run(env, state, actions, keys):
    def body(state, inputs):
        action, key = inputs
        state, _, reward, terminal, truncate, info = env.step(state, action, key=key)
        return state, (info["final_observation"], reward, terminal | truncate)

    return jax.lax.scan(body, state, (actions, keys))[1]


@pytest.mark.parametrize("task", list(TASKS))
def test_spaces_and_defaults(task):
    cls, _, size, with_positions, actions, dt = TASKS[task]
    env = cls()
    assert env.name == task
    assert env.action_space == Box(-np.ones(actions), np.ones(actions))
    assert env.observation_space.shape == (size,)
    full = cls(exclude_current_positions_from_observation=False)
    assert full.observation_space.shape == (with_positions,)
    assert env.dt == pytest.approx(dt)


@pytest.mark.parametrize("task", list(TASKS))
def test_steps_equal_gymnasium_from_the_same_state(task):
    cls, steps, *_ = TASKS[task]
    env = cls()
    state, observation, _ = env.reset(key=jax.random.key(0))
    reference = gymnasium_twin(task, state, 0)
    np.testing.assert_allclose(observation, reference._get_obs(), atol=1e-6)
    size = env.action_space.shape[0]
    actions = np.random.default_rng(0).uniform(-1.0, 1.0, (steps, size)).astype(np.float32)
    keys = jax.random.split(jax.random.key(1), steps)
    observations, rewards, done = _run(env, state, actions, keys)
    assert not np.any(done)
    for t, action in enumerate(actions):
        ref_obs, ref_reward, ref_terminal, _, _ = reference.step(action)
        close = dict(atol=2e-3, rtol=2e-3, err_msg=f"step {t}")
        np.testing.assert_allclose(observations[t], ref_obs, **close)
        np.testing.assert_allclose(rewards[t], ref_reward, **close)
        assert not ref_terminal
