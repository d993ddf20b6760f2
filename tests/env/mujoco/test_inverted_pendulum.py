"""InvertedPendulum-v5 on MJX equals Gymnasium's (MuJoCo's C engine) step by step."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _mujoco_reference import assert_episode_matches, gymnasium_twin

import lerax.env
from lerax.env.mujoco import AbstractMujocoEnv, InvertedPendulum, MujocoEnvState
from lerax.space import Box
from lerax.wrapper import TimeLimit

ENV = InvertedPendulum()


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def _reset(key):
    return ENV.reset(key=key)


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def _step(state, action, key):
    return ENV.step(state, action, key=key)


def test_spaces_and_model():
    assert isinstance(ENV, AbstractMujocoEnv)
    assert ENV.action_space == Box(np.array([-3.0]), np.array([3.0]))
    assert ENV.observation_space.shape == (4,)
    assert ENV.dt == pytest.approx(0.04)  # timestep 0.02 x frame_skip 2
    env = lerax.env.make("InvertedPendulum-v5")
    assert isinstance(env, TimeLimit) and env.max_episode_steps == 1000
    assert env.env.reset_noise_scale == 0.01 and env.env.frame_skip == 2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_episode_equals_gymnasium_from_the_same_state(seed):
    state, observation, _ = _reset(jax.random.key(seed))
    assert isinstance(state, MujocoEnvState)
    reference = gymnasium_twin("InvertedPendulum-v5", state, seed)
    np.testing.assert_allclose(observation, reference._get_obs(), atol=1e-7)
    # Gentle random forces keep the pole up for a while, then it falls (a termination).
    end = assert_episode_matches(_step, state, reference, seed, atol=1e-5, rtol=1e-4, reward_tol=0)
    assert end > 3


def test_vmapped_resets_and_steps():
    """Reset noise within its scale, and vmapped steps that terminate and auto-reset (one
    compiled program: MJX compiles slowly on CPU)."""
    n = 64

    @eqx.filter_jit
    def run(keys):
        states, observations, _ = jax.vmap(lambda k: ENV.reset(key=k))(keys)
        actions = jnp.full((n, 1), 3.0, jnp.float32)  # pushes every pole over in a few steps

        def body(states, k):
            out = jax.vmap(lambda s, a, kk: ENV.step(s, a, key=kk))(
                states, actions, jax.random.split(k, n)
            )
            return out[0], (out[3], out[1])

        _, (terminals, stepped) = jax.lax.scan(body, states, jax.random.split(keys[0], 30))
        return observations, terminals, stepped

    observations, terminals, stepped = run(jax.random.split(jax.random.key(3), n))
    assert observations.shape == (n, 4)
    assert np.all(np.abs(observations) <= 0.01 + 1e-7)
    assert np.abs(observations).max() > 0.009  # the noise fills its range
    np.testing.assert_allclose(observations.mean(axis=0), 0.0, atol=4e-3)
    assert terminals.shape == (30, n) and np.all(terminals.any(axis=0))
    # After a termination the episode restarts near the upright position.
    for t, i in np.argwhere(np.asarray(terminals))[:8]:
        assert np.all(np.abs(stepped[t, i]) <= 0.01 + 1e-7)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="frame_skip must be a positive int"):
        InvertedPendulum(frame_skip=0)
    with pytest.raises(ValueError, match="reset_noise_scale must be >= 0"):
        InvertedPendulum(reset_noise_scale=-1.0)
    with pytest.raises(FileNotFoundError, match="nothing.xml"):
        InvertedPendulum(xml_file="nothing.xml")
