"""Gradients flow through the continuous-action environments' dynamics and rewards."""

import jax
import jax.numpy as jnp
import numpy as np

from lerax.env.classic_control import ContinuousMountainCar, Pendulum


def _with_y(state, y):
    return type(state)(y=y, t=state.t)


def _grads(env, y, action):
    """Jacobians of the next state and of the reward with respect to the state and action."""
    key = jax.random.key(0)
    template = env.initial(key=key)

    def next_y(y, action):
        return env.transition(_with_y(template, y), action, key=key).y

    def reward(y, action):
        state = _with_y(template, y)
        return env.reward(state, action, env.transition(state, action, key=key), key=key)

    return jax.jit(lambda y, a: (jax.jacfwd(next_y, (0, 1))(y, a), jax.grad(reward, (0, 1))(y, a)))(
        y, action
    )


def test_pendulum_gradients():
    env = Pendulum()
    (dy_dy, dy_da), (dr_dy, dr_da) = _grads(env, jnp.array([0.3, 1.0]), jnp.array([0.5]))
    for g in (dy_dy, dy_da, dr_dy, dr_da):
        assert np.all(np.isfinite(g)) and np.any(g != 0)
    dt, thdot_per_torque = 0.05, 3.0 * 0.05  # d(theta_dot')/du = 3 / (m l^2) * dt
    np.testing.assert_allclose(dy_da[:, 0], [thdot_per_torque * dt, thdot_per_torque], rtol=1e-5)
    np.testing.assert_allclose(dr_da, [-0.001 * 2 * 0.5], rtol=1e-5)
    np.testing.assert_allclose(dr_dy, [-2 * 0.3, -0.1 * 2 * 1.0], rtol=1e-5)
    # Past max_torque the action is clipped, so it no longer matters.
    (_, dy_da_clipped), _ = _grads(env, jnp.array([0.3, 1.0]), jnp.array([3.0]))
    np.testing.assert_array_equal(dy_da_clipped, 0.0)


def test_continuous_mountain_car_gradients():
    env = ContinuousMountainCar()
    (dy_dy, dy_da), (dr_dy, dr_da) = _grads(env, jnp.array([-0.5, 0.01]), jnp.array([0.4]))
    for g in (dy_dy, dy_da, dr_da):
        assert np.all(np.isfinite(g)) and np.any(g != 0)
    np.testing.assert_allclose(dy_da[:, 0], [0.0015, 0.0015], rtol=1e-5)  # power
    np.testing.assert_allclose(dr_da, [-0.1 * 2 * 0.4], rtol=1e-5)
    np.testing.assert_array_equal(dr_dy, 0.0)  # away from the goal the reward is -0.1 a^2
    # The reward penalises the unclipped action, as in Gymnasium.
    _, (_, dr_da_big) = _grads(env, jnp.array([-0.5, 0.01]), jnp.array([2.0]))
    np.testing.assert_allclose(dr_da_big, [-0.1 * 2 * 2.0], rtol=1e-5)
