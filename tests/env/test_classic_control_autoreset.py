"""The base `step` auto-resets after a terminal step and reports the final observation."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from lerax.env.classic_control import CartPole, CartPoleState


@eqx.filter_jit
def _step(env, state, action, key):
    return env.step(state, action, key=key)


def test_terminal_step_resets_and_keeps_final_observation():
    env = CartPole()
    key = jax.random.key(0)
    # Just inside the track, moving right fast: the next step leaves it.
    edge = CartPoleState(y=jnp.array([2.39, 2.0, 0.0, 0.0]), t=jnp.array(41, jnp.int32))
    state, obs, reward, terminal, truncate, info = _step(env, edge, jnp.array(1), key)

    assert bool(terminal) and not bool(truncate) and bool(info["done"])
    assert float(reward) == 1.0  # CartPole pays the terminating step too
    final = np.asarray(info["final_observation"])
    expected_final = np.asarray(env.transition(edge, jnp.array(1), key=key).y)
    np.testing.assert_allclose(final, expected_final, rtol=1e-6)
    assert final[0] > 2.4  # the observation the episode ended on
    # The returned state and observation are those of a fresh episode.
    assert int(state.t) == 0
    np.testing.assert_array_equal(obs, state.y)
    assert np.all(np.abs(np.asarray(obs)) <= 0.05)


def test_non_terminal_step_continues():
    env = CartPole()
    key = jax.random.key(1)
    middle = CartPoleState(y=jnp.array([0.0, 0.1, 0.01, 0.0]), t=jnp.array(7, jnp.int32))
    state, obs, reward, terminal, truncate, info = _step(env, middle, jnp.array(0), key)

    assert not bool(terminal) and not bool(truncate) and not bool(info["done"])
    assert int(state.t) == 8
    np.testing.assert_array_equal(obs, info["final_observation"])
    np.testing.assert_allclose(obs, env.transition(middle, jnp.array(0), key=key).y, rtol=1e-6)
