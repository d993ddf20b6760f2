"""A diffrax solver integrates the same dynamics as Gymnasium's default scheme."""

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.env.classic_control import (
    Acrobot,
    CartPole,
    ContinuousMountainCar,
    MountainCar,
    Pendulum,
)

NUM_STEPS = 4

# (constructor, actions, tolerance): the default schemes are first-order Euler except
# Acrobot's RK4, so Tsit5 agrees with them only to O(dt) after a few steps (the tolerances
# are about twice the differences seen, and well below how far the states move).
CASES = [
    (CartPole, jnp.array([1, 1, 0, 1]), 2e-2),
    (Acrobot, jnp.array([2, 2, 0, 1]), 2e-3),
    (MountainCar, jnp.array([2, 0, 2, 2]), 4e-3),
    (ContinuousMountainCar, jnp.array([[0.8], [-0.5], [1.0], [0.3]]), 4e-3),
    (Pendulum, jnp.array([[1.5], [-2.0], [0.5], [2.0]]), 0.1),
]


@eqx.filter_jit
def _trajectories(default_env, solver_env, actions, key):
    """Both environments from the same initial state under the same actions."""
    start = default_env.initial(key=key)

    def run(env):
        def body(state, action):
            state = env.transition(state, action, key=key)
            return state, state.y

        return jax.lax.scan(body, start, actions)[1]

    return start.y, run(default_env), run(solver_env)


@pytest.mark.parametrize("make, actions, tol", CASES, ids=[make.__name__ for make, _, _ in CASES])
def test_tsit5_agrees_with_default_integration(make, actions, tol):
    start, euler, tsit5 = _trajectories(
        make(), make(solver=diffrax.Tsit5()), actions, jax.random.key(3)
    )
    assert tsit5.dtype == jnp.float32
    np.testing.assert_allclose(tsit5, euler, atol=tol)
    assert (
        np.abs(np.asarray(euler) - np.asarray(start)).max() > tol
    )  # the states moved: the comparison means something


def test_adaptive_step_size_controller():
    """An adaptive controller converges to the same answer as fixed Tsit5 steps of dt."""
    actions = jnp.array([1, 0, 0, 1])
    _, fixed, adaptive = _trajectories(
        CartPole(solver=diffrax.Tsit5()),
        CartPole(
            solver=diffrax.Tsit5(),
            stepsize_controller=diffrax.PIDController(rtol=1e-6, atol=1e-6),
        ),
        actions,
        jax.random.key(4),
    )
    np.testing.assert_allclose(adaptive, fixed, atol=1e-5)
