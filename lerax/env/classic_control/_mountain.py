"""The car-in-a-valley dynamics shared by `MountainCar` and `ContinuousMountainCar`."""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
import math
from typing import Any, TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ..._types import Array, Bool, Float, Key
from ...render import BLACK, Abstract2DRenderer, Color, Transform
from ...render.base import rotated
from ..base import AbstractEnvState
from .base import AbstractClassicControlEnv, ParamLike, check_less, host_vector, param

# Gymnasium's drawing, in track units at its 600 / 1.8 pixels per unit: a black 40 x 20
# pixel car riding 10 pixels above the track on grey wheels, and a yellow flag on a 50 pixel
# pole at the goal.
_PIXEL = 1.8 / 600
_CAR_WIDTH, _CAR_HEIGHT, _CLEARANCE = 40 * _PIXEL, 20 * _PIXEL, 10 * _PIXEL
_WHEEL_RADIUS = _CAR_HEIGHT / 2.5
_FLAG_POLE, _FLAG_WIDTH, _FLAG_HEIGHT = 50 * _PIXEL, 25 * _PIXEL, 10 * _PIXEL
_WHEEL_COLOR = Color.from_rgb255(128, 128, 128)
_FLAG_COLOR = Color.from_rgb255(204, 204, 0)

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

    def render_transform(self) -> Transform:
        low, high = float(np.asarray(self.min_position)), float(np.asarray(self.max_position))
        scale = 600 / (high - low)
        return Transform(600, 400, scale=scale, offset=(-low * scale, 0.0))

    def draw(self, state: StateType, renderer: Abstract2DRenderer) -> None:
        # Every mountain-car state holds `y = (position, velocity)`.
        position = host_vector(state.y)[0]  # pyright: ignore[reportAttributeAccessIssue]
        low, high = float(np.asarray(self.min_position)), float(np.asarray(self.max_position))
        xs = np.linspace(low, high, 100)
        renderer.polyline(np.stack([xs, _track_height(xs)], axis=1), BLACK)
        angle = math.cos(3 * position)
        base = np.array([position, _CLEARANCE + _track_height(position)])
        half = _CAR_WIDTH / 2
        body = [(-half, 0.0), (-half, _CAR_HEIGHT), (half, _CAR_HEIGHT), (half, 0.0)]
        renderer.polygon(rotated(body, angle) + base, BLACK)
        for wheel in rotated([(_CAR_WIDTH / 4, 0.0), (-_CAR_WIDTH / 4, 0.0)], angle) + base:
            renderer.circle(wheel, _WHEEL_RADIUS, _WHEEL_COLOR)
        goal = float(np.asarray(self.goal_position))
        bottom = _track_height(goal)
        top = bottom + _FLAG_POLE
        renderer.line((goal, bottom), (goal, top), BLACK)
        flag = [
            (goal, top),
            (goal, top - _FLAG_HEIGHT),
            (goal + _FLAG_WIDTH, top - _FLAG_HEIGHT / 2),
        ]
        renderer.polygon(flag, _FLAG_COLOR)

    def reached_goal(self, y: Float[Array, " 2"]) -> Bool[Array, ""]:
        """Whether the car at `y` is at the goal (position and velocity both high enough)."""
        return (y[0] >= self.goal_position) & (y[1] >= self.goal_velocity)


def _track_height(x: Any) -> Any:
    """Height of the drawn track above the bottom of the canvas, `0.45 sin(3 x) + 0.55`."""
    return np.sin(3 * np.asarray(x, np.float64)) * 0.45 + 0.55


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
