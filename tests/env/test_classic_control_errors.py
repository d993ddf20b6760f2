"""Bad actions and bad constructor arguments fail early with messages that say what is wrong."""

import diffrax
import jax
import jax.numpy as jnp
import pytest

from lerax.env.classic_control import (
    Acrobot,
    CartPole,
    ContinuousMountainCar,
    MountainCar,
    Pendulum,
)

KEY = jax.random.key(0)


@pytest.mark.parametrize("make", [CartPole, Acrobot, MountainCar], ids=lambda m: m.__name__)
def test_discrete_envs_reject_wrongly_shaped_actions(make):
    env = make()
    state = env.initial(key=KEY)
    with pytest.raises((ValueError, TypeError), match="action"):
        env.transition(state, jnp.array([1, 0]), key=KEY)
    with pytest.raises((ValueError, TypeError), match="action"):
        env.transition(state, jnp.array([1]), key=KEY)
    with pytest.raises(TypeError, match="action"):
        env.transition(state, jnp.array(1.0), key=KEY)
    # Under jit the check happens while tracing.
    with pytest.raises((ValueError, TypeError), match="action"):
        jax.jit(lambda s, a: env.step(s, a, key=KEY))(state, jnp.zeros((3,), jnp.int32))


@pytest.mark.parametrize("make", [ContinuousMountainCar, Pendulum], ids=lambda m: m.__name__)
def test_box_envs_reject_wrongly_shaped_actions(make):
    env = make()
    state = env.initial(key=KEY)
    with pytest.raises((ValueError, TypeError), match="action"):
        env.transition(state, jnp.array(0.5), key=KEY)
    with pytest.raises((ValueError, TypeError), match="action"):
        env.transition(state, jnp.array([0.5, 0.5]), key=KEY)


@pytest.mark.parametrize(
    "make, kwargs, message",
    [
        (CartPole, dict(cart_mass=-1.0), "cart_mass must be > 0"),
        (CartPole, dict(pole_mass=0.0), "pole_mass must be > 0"),
        (CartPole, dict(dt=0.0), "dt must be > 0"),
        (CartPole, dict(half_length=float("nan")), "half_length must be finite"),
        (CartPole, dict(gravity="strong"), "gravity"),
        (Acrobot, dict(link_mass_2=-0.5), "link_mass_2 must be > 0"),
        (Acrobot, dict(link_com_pos_1=-0.1), "link_com_pos_1 must be >= 0"),
        (Acrobot, dict(dt=-0.2), "dt must be > 0"),
        (
            MountainCar,
            dict(min_position=1.0, max_position=0.5),
            "min_position must be < max_position",
        ),
        (MountainCar, dict(max_speed=0.0), "max_speed must be > 0"),
        (
            ContinuousMountainCar,
            dict(min_action=1.0, max_action=-1.0),
            "min_action must be < max_action",
        ),
        (Pendulum, dict(max_torque=0.0), "max_torque must be > 0"),
        (Pendulum, dict(m=-1.0), "m must be > 0"),
        (Pendulum, dict(dt=float("inf")), "dt must be finite"),
    ],
)
def test_bad_constructor_arguments(make, kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make(**kwargs)


def test_bad_integrator_arguments():
    # (When tests run with jaxtyping's checks on, its own TypeError names the argument.)
    with pytest.raises(TypeError, match="solver"):
        CartPole(solver="rk4")
    with pytest.raises(ValueError, match="solver="):
        Pendulum(stepsize_controller=diffrax.PIDController(rtol=1e-5, atol=1e-5))
    with pytest.raises(TypeError, match="stepsize_controller"):
        Acrobot(solver=diffrax.Tsit5(), stepsize_controller="adaptive")


def test_parameters_are_keyword_only():
    with pytest.raises(TypeError):
        CartPole(9.8)  # type: ignore[misc]
