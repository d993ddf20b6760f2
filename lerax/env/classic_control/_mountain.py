"""The car-in-a-valley dynamics shared by `MountainCar` and `ContinuousMountainCar`."""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
from typing import Any, TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from ..base import AbstractEnvState
from .base import AbstractClassicControlEnv, ParamLike, check_less, param

StateType = TypeVar("StateType", bound=AbstractEnvState)
ActType = TypeVar("ActType")


class AbstractMountainCarEnv(AbstractClassicControlEnv[StateType, ActType]):
    """A car on the curve `sin(3 x)`, pushed by an action-dependent acceleration.

    The state `y` is `(position, velocity)`; one step lasts `dt` units of time (Gymnasium's
    is 1). Gymnasium's scheme is semi-implicit Euler: the velocity grows by `dt` times the
    acceleration and is clipped to `max_speed`, then the position moves by `dt` times the
    new velocity and is clipped to `[min_position, max_position]`; a car stopped at the
    left wall loses its leftward velocity.
    """

    min_position: eqx.AbstractVar[Float[Array, ""]]
    max_position: eqx.AbstractVar[Float[Array, ""]]
    max_speed: eqx.AbstractVar[Float[Array, ""]]
    goal_position: eqx.AbstractVar[Float[Array, ""]]
    goal_velocity: eqx.AbstractVar[Float[Array, ""]]
    gravity: eqx.AbstractVar[Float[Array, ""]]
    dt: eqx.AbstractVar[Float[Array, ""]]

    def vector_field(
        self, t: Any, y: Float[Array, " 2"], push: Float[Array, ""]
    ) -> Float[Array, " 2"]:
        """The continuous-time dynamics `dy/dt` under an acceleration `push`."""
        position, velocity = y
        return jnp.stack([velocity, push - self.gravity * jnp.cos(3 * position)])

    def move(self, y: Float[Array, " 2"], push: Float[Array, ""]) -> Float[Array, " 2"]:
        """Advance `y` by one step of `dt` under the acceleration `push`, within the limits."""
        if self.solver is None:
            # With dt = 1 the products are exact, so this is Gymnasium's step bit for bit.
            velocity = y[1] + (push - self.gravity * jnp.cos(3 * y[0])) * self.dt
            velocity = jnp.clip(velocity, -self.max_speed, self.max_speed)
            position = y[0] + velocity * self.dt
        else:
            position, velocity = self.solve(self.vector_field, y, push, self.dt)
            velocity = jnp.clip(velocity, -self.max_speed, self.max_speed)
        position = jnp.clip(position, self.min_position, self.max_position)
        velocity = jnp.where((position == self.min_position) & (velocity < 0), 0.0, velocity)
        return jnp.stack([position, velocity])

    def reached_goal(self, y: Float[Array, " 2"]) -> Bool[Array, ""]:
        """Whether the car at `y` is at the goal (position and velocity both high enough)."""
        return (y[0] >= self.goal_position) & (y[1] >= self.goal_velocity)


def initial_y(key: Key) -> Float[Array, " 2"]:
    """Gymnasium's start: position uniform in `[-0.6, -0.4]`, velocity 0."""
    position = jax.random.uniform(key, (), jnp.float32, minval=-0.6, maxval=-0.4)
    return jnp.stack([position, jnp.zeros((), jnp.float32)])


def track_params(
    env: str,
    min_position: ParamLike,
    max_position: ParamLike,
    max_speed: ParamLike,
    goal_position: ParamLike,
    goal_velocity: ParamLike,
    gravity: ParamLike,
    dt: ParamLike,
) -> dict[str, Float[Array, ""]]:
    """Check the track parameters both cars share; returns them as `float32` leaves."""
    params = dict(
        dt=param(env, "dt", dt, positive=True),
        min_position=param(env, "min_position", min_position),
        max_position=param(env, "max_position", max_position),
        max_speed=param(env, "max_speed", max_speed, positive=True),
        goal_position=param(env, "goal_position", goal_position),
        goal_velocity=param(env, "goal_velocity", goal_velocity),
        gravity=param(env, "gravity", gravity),
    )
    low = params["min_position"]
    check_less(env, "min_position", low, "max_position", params["max_position"])
    check_less(env, "min_position", low, "goal_position", params["goal_position"])
    return params
