"""Pendulum: swing up and hold an inverted pendulum (Gymnasium's `Pendulum-v1`)."""

from __future__ import annotations

import math
from typing import Any, ClassVar, final

import diffrax
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from ..._types import Array, Bool, Float, Int, Key
from ...render import BLACK, Abstract2DRenderer, Color, Transform
from ...render.base import rotated
from ...space import Box
from ..base import AbstractEnvState
from .base import (
    AbstractClassicControlEnv,
    ParamLike,
    box_action,
    check_integrator,
    host_vector,
    param,
)

# Gymnasium's drawing: a 500 x 500 canvas spanning [-2.2, 2.2] on both axes, a red rod
# 0.2 wide with round ends, on a black axle of radius 0.05.
_BOUND = 2.2
_ROD_WIDTH = 0.2
_AXLE_RADIUS = 0.05
_ROD_COLOR = Color.from_rgb255(204, 77, 77)


@final
class PendulumState(AbstractEnvState):
    """State of `Pendulum`.

    Attributes:
        y: `float32[2]`: angle `theta` (radians from upright, not wrapped) and angular velocity.
        t: `int32[]`: steps taken in the episode.
    """

    y: Float[Array, " 2"]
    t: Int[Array, ""]


@final
class Pendulum(AbstractClassicControlEnv[PendulumState, Float[Array, " 1"]]):
    """A torque-driven pendulum to swing up and keep upright (`Pendulum-v1`).

    - Observation: `float32[3]`: `cos(theta), sin(theta), theta_dot`.
    - Action: `float32[1]` in `Box(-max_torque, max_torque, (1,))`: the torque, clipped to
      that range.
    - Reward: `float32[]`, `-(normalize(theta) ** 2 + 0.1 * theta_dot ** 2 + 0.001 * u ** 2)`
      of the state before the step and the clipped torque `u`, with `theta` normalised to
      `[-pi, pi)`.
    - Termination: never (only a time limit ends an episode).
    - Initial state: `theta` uniform in `[-pi, pi]`, `theta_dot` uniform in `[-1, 1]`.
    - Rendering: as Gymnasium draws it on a 500 x 500 canvas, a red rod of length `l` from
      the axle, upright at `theta = 0` and turned counter-clockwise by `theta` (the state
      holds no torque, so Gymnasium's torque arrow is not drawn).

    The default integration is Gymnasium's semi-implicit Euler: the angular velocity is
    updated and clipped to `max_speed`, then the angle moves by the new velocity.

    Args:
        max_speed: Bound on the angular velocity.
        max_torque: Bound on the torque.
        dt: Seconds per step.
        g: Gravitational acceleration.
        m: Mass of the pendulum.
        l: Length of the pendulum.
        solver: `None` for Gymnasium's Euler step, or a diffrax solver.
        stepsize_controller: Optional diffrax step-size controller for `solver`.
    """

    name: ClassVar[str] = "Pendulum-v1"
    render_fps: ClassVar[float] = 30.0

    max_speed: Float[Array, ""]
    max_torque: Float[Array, ""]
    dt: Float[Array, ""]
    g: Float[Array, ""]
    m: Float[Array, ""]
    l: Float[Array, ""]  # noqa: E741
    solver: diffrax.AbstractSolver | None
    stepsize_controller: diffrax.AbstractStepSizeController | None
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        max_speed: ParamLike = 8.0,
        max_torque: ParamLike = 2.0,
        dt: ParamLike = 0.05,
        g: ParamLike = 10.0,
        m: ParamLike = 1.0,
        l: ParamLike = 1.0,  # noqa: E741
        solver: diffrax.AbstractSolver | None = None,
        stepsize_controller: diffrax.AbstractStepSizeController | None = None,
    ):
        env = "Pendulum"
        self.max_speed = param(env, "max_speed", max_speed, positive=True)
        self.max_torque = param(env, "max_torque", max_torque, positive=True)
        self.dt = param(env, "dt", dt, positive=True)
        self.g = param(env, "g", g)
        self.m = param(env, "m", m, positive=True)
        self.l = param(env, "l", l, positive=True)
        self.solver, self.stepsize_controller = check_integrator(env, solver, stepsize_controller)
        self.action_space = Box(jnp.negative(max_torque), max_torque, shape=(1,))
        high = np.array([1.0, 1.0, max_speed], np.float32)
        self.observation_space = Box(-high, high)

    def initial(self, *, key: Key) -> PendulumState:
        high = jnp.array([math.pi, 1.0], jnp.float32)
        y = jax.random.uniform(key, (2,), jnp.float32, minval=-high, maxval=high)
        return PendulumState(y=y, t=jnp.array(0, jnp.int32))

    def vector_field(
        self, t: Any, y: Float[Array, " 2"], torque: Float[Array, ""]
    ) -> Float[Array, " 2"]:
        """The continuous-time dynamics `dy/dt` under a `torque`."""
        theta, theta_dot = y
        acc = 3 * self.g / (2 * self.l) * jnp.sin(theta) + 3.0 / (self.m * self.l**2) * torque
        return jnp.stack([theta_dot, acc])

    def transition(
        self, state: PendulumState, action: Float[ArrayLike, " 1"], *, key: Key
    ) -> PendulumState:
        torque = self._torque(action)
        if self.solver is None:
            theta_dot = state.y[1] + self.vector_field(None, state.y, torque)[1] * self.dt
            theta_dot = jnp.clip(theta_dot, -self.max_speed, self.max_speed)
            theta = state.y[0] + theta_dot * self.dt
        else:
            theta, theta_dot = self.solve(self.vector_field, state.y, torque, self.dt)
            theta_dot = jnp.clip(theta_dot, -self.max_speed, self.max_speed)
        return PendulumState(y=jnp.stack([theta, theta_dot]), t=state.t + 1)

    def observation(self, state: PendulumState, *, key: Key) -> Float[Array, " 3"]:
        theta, theta_dot = state.y
        return jnp.stack([jnp.cos(theta), jnp.sin(theta), theta_dot])

    def reward(
        self,
        state: PendulumState,
        action: Float[ArrayLike, " 1"],
        next_state: PendulumState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        theta, theta_dot = state.y
        torque = self._torque(action)
        normalized = (theta + math.pi) % (2 * math.pi) - math.pi
        return -(normalized**2 + 0.1 * theta_dot**2 + 0.001 * torque**2)

    def terminal(self, state: PendulumState, *, key: Key) -> Bool[Array, ""]:
        return jnp.array(False)

    def render_transform(self) -> Transform:
        return Transform(500, 500, scale=500 / (2 * _BOUND), offset=(250.0, 250.0))

    def draw(self, state: PendulumState, renderer: Abstract2DRenderer) -> None:
        theta = host_vector(state.y)[0]
        length = float(np.asarray(self.l))
        half = _ROD_WIDTH / 2
        rod = rotated(
            [(0.0, -half), (0.0, half), (length, half), (length, -half)], theta + math.pi / 2
        )
        renderer.polygon(rod, _ROD_COLOR)
        renderer.circle((0.0, 0.0), half, _ROD_COLOR)
        end = rotated([(length, 0.0)], theta + math.pi / 2)[0]
        renderer.circle(end, half, _ROD_COLOR)
        renderer.circle((0.0, 0.0), _AXLE_RADIUS, BLACK)

    def _torque(self, action: Float[ArrayLike, " 1"]) -> Float[Array, ""]:
        return jnp.clip(box_action("Pendulum", action), -self.max_torque, self.max_torque)
