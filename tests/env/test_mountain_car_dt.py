"""`dt` of MountainCar and ContinuousMountainCar scales the semi-implicit Euler step."""

import math

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.env.classic_control import (
    ContinuousMountainCar,
    ContinuousMountainCarState,
    MountainCar,
    MountainCarState,
)

KEY = jax.random.key(0)

# (constructor, state class, the action that pushes with zero force, a pushing action and
# its acceleration)
CARS = [
    (MountainCar, MountainCarState, jnp.array(1), jnp.array(2), 0.001),
    (ContinuousMountainCar, ContinuousMountainCarState, jnp.array([0.0]), jnp.array([0.6]), 0.0009),
]
IDS = ["MountainCar", "ContinuousMountainCar"]


def _step(env, state_cls, y, action):
    state = state_cls(y=jnp.asarray(y, jnp.float32), t=jnp.array(0, jnp.int32))
    return np.asarray(env.transition(state, action, key=KEY).y, np.float64)


@pytest.mark.parametrize("make, state_cls, coast, push, accel", CARS, ids=IDS)
def test_dt_one_is_the_default(make, state_cls, coast, push, accel):
    assert float(make().dt) == 1.0
    ys = jax.random.uniform(KEY, (64, 2), jnp.float32, jnp.array([-1.2, -0.07]), 0.6)
    for y in np.asarray(ys):
        for action in (coast, push):
            np.testing.assert_array_equal(
                _step(make(dt=1.0), state_cls, y, action), _step(make(), state_cls, y, action)
            )


@pytest.mark.parametrize("make, state_cls, coast, push, accel", CARS, ids=IDS)
def test_half_dt_halves_the_position_increment_without_force(make, state_cls, coast, push, accel):
    # At x = -pi/6 the slope is flat (cos(3x) = 0): with no push the velocity is unchanged
    # and the car moves by dt * velocity.
    y = np.array([-math.pi / 6, 0.03], np.float32)
    full = _step(make(), state_cls, y, coast)
    half = _step(make(dt=0.5), state_cls, y, coast)
    np.testing.assert_allclose(full[0] - y[0], 0.03, rtol=1e-4)
    np.testing.assert_allclose(half[0] - y[0], 0.5 * (full[0] - y[0]), rtol=1e-4)
    np.testing.assert_allclose(half[1], full[1], rtol=1e-5)


@pytest.mark.parametrize("dt", [0.25, 0.5, 2.0])
@pytest.mark.parametrize("make, state_cls, coast, push, accel", CARS, ids=IDS)
def test_dt_scales_velocity_then_position(make, state_cls, coast, push, accel, dt):
    y = np.array([-0.8, 0.01], np.float32)
    new = _step(make(dt=dt), state_cls, y, push)
    velocity = y[1] + dt * (accel - 0.0025 * math.cos(3 * y[0]))
    np.testing.assert_allclose(new, [y[0] + dt * velocity, velocity], rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("make, state_cls, coast, push, accel", CARS, ids=IDS)
def test_dt_keeps_the_limits(make, state_cls, coast, push, accel):
    # Velocity is clipped to max_speed, position to the track, and a car at the left wall
    # loses its leftward velocity, whatever dt.
    env = make(dt=3.0)
    fast = _step(env, state_cls, np.array([-1.0, 0.069], np.float32), push)
    np.testing.assert_allclose(fast, [-1.0 + 3 * 0.07, 0.07], rtol=1e-6)
    wall = _step(env, state_cls, np.array([-1.1, -0.05], np.float32), coast)
    np.testing.assert_allclose(wall, [-1.2, 0.0], rtol=1e-6)


@pytest.mark.parametrize("make, state_cls, coast, push, accel", CARS, ids=IDS)
def test_a_diffrax_solver_integrates_over_dt(make, state_cls, coast, push, accel):
    # Two steps of dt = 0.5 follow the same trajectory as one step of dt = 1.
    solver = diffrax.Tsit5()
    y = np.array([-0.5, 0.01], np.float32)
    half = make(dt=0.5, solver=solver)
    twice = _step(half, state_cls, _step(half, state_cls, y, push), push)
    once = _step(make(solver=solver), state_cls, y, push)
    np.testing.assert_allclose(twice, once, rtol=1e-5, atol=1e-7)
    assert not np.allclose(_step(half, state_cls, y, push), once, rtol=1e-3)


@pytest.mark.parametrize("make, state_cls, coast, push, accel", CARS, ids=IDS)
def test_vmap_over_dt(make, state_cls, coast, push, accel):
    dts = jnp.array([0.25, 0.5, 1.0, 2.0], jnp.float32)
    y = jnp.array([-0.8, 0.01], jnp.float32)
    state = state_cls(y=y, t=jnp.array(0, jnp.int32))

    @eqx.filter_jit
    def sweep(dts):
        return jax.vmap(lambda dt: make(dt=dt).transition(state, push, key=KEY).y)(dts)

    swept = np.asarray(sweep(dts))
    for dt, row in zip(np.asarray(dts), swept, strict=True):
        np.testing.assert_allclose(row, _step(make(dt=float(dt)), state_cls, y, push), rtol=1e-6)


@pytest.mark.parametrize("make", [MountainCar, ContinuousMountainCar])
@pytest.mark.parametrize("dt, message", [(0.0, "dt must be > 0"), (math.nan, "dt must be finite")])
def test_bad_dt(make, dt, message):
    with pytest.raises(ValueError, match=message):
        make(dt=dt)
