"""Acrobot: swing a two-link chain above a bar (Gymnasium's `Acrobot-v1`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar, final

import diffrax
import jax
import jax.numpy as jnp
import numpy as np
from jax.core import Tracer
from jaxtyping import ArrayLike, Real

from ..._types import Array, Bool, Float, Int, Key
from ...render import BLACK, Abstract2DRenderer, Color, Transform
from ...render.base import rotated
from ...space import Box, Discrete
from ..base import AbstractEnvState
from .base import (
    AbstractClassicControlEnv,
    ParamLike,
    check_integrator,
    discrete_action,
    host_vector,
    param,
)

# Gymnasium's drawing: links 0.2 wide in cyan, joints of radius 0.1 in yellow, and the bar
# to swing above as a black line at height 1.
_LINK_WIDTH = 0.2
_LINK_COLOR = Color.from_rgb255(0, 204, 204)
_JOINT_COLOR = Color.from_rgb255(204, 204, 0)


@final
class AcrobotState(AbstractEnvState):
    """State of `Acrobot`.

    Attributes:
        y: `float32[4]`: `theta1, theta2` (radians, wrapped to `[-pi, pi]`) and their angular
            velocities.
        t: `int32[]`: steps taken in the episode.
    """

    y: Float[Array, " 4"]
    t: Int[Array, ""]


@final
class Acrobot(AbstractClassicControlEnv[AcrobotState, Int[Array, ""]]):
    """Two links hanging from a fixed joint, torque on the middle joint (`Acrobot-v1`).

    - Observation: `float32[6]`: `cos(theta1), sin(theta1), cos(theta2), sin(theta2)`,
      `theta1_dot`, `theta2_dot`.
    - Action: `int32[]` in `Discrete(len(torques))`: index into `torques` (by default -1, 0
      or +1) of the torque on the joint between the links (other integers are clipped to the
      first or last index). When `torque_max_noise > 0`, a uniform draw in
      `[-torque_max_noise, torque_max_noise]`, taken from the step's `key`, is added to the
      torque (Gymnasium's `torque_noise_max`).
    - Reward: `float32[]`, -1 for every step that does not terminate, 0 for the one that does.
    - Termination: the free end rises above the bar, `-cos(theta1) - cos(theta1 + theta2) > 1`.
    - Initial state: each component uniform in `[-0.1, 0.1]`.
    - Rendering: as Gymnasium draws it on a 500 x 500 canvas spanning
      `link_length_1 + link_length_2 + 0.2` on each side of the fixed joint: the chain
      hangs straight down at `theta1 = theta2 = 0`, under the bar at height 1.

    The default integration is Gymnasium's single RK4 step of the "book" dynamics over `dt`;
    afterwards the angles are wrapped to `[-pi, pi]` and the velocities clipped.

    Args:
        gravity: Gravitational acceleration.
        link_length_1: Length of the first link (the second's only matters for drawing).
        link_length_2: Length of the second link.
        link_mass_1: Mass of the first link.
        link_mass_2: Mass of the second link.
        link_com_pos_1: Position of the first link's centre of mass.
        link_com_pos_2: Position of the second link's centre of mass.
        link_moi: Moment of inertia of each link.
        max_vel_1: Bound on the first joint's angular velocity.
        max_vel_2: Bound on the second joint's angular velocity.
        torque_max_noise: Half-width (>= 0) of the uniform noise added to the torque; 0 (the
            default, as in `Acrobot-v1`) for none.
        torques: The torque of each action, a non-empty 1-D array (its length is the number
            of actions).
        dt: Seconds per step.
        solver: `None` for Gymnasium's RK4 step, or a diffrax solver.
        stepsize_controller: Optional diffrax step-size controller for `solver`.

    Raises:
        ValueError: On a non-finite or out-of-range parameter, a negative
            `torque_max_noise`, or `torques` that is not a non-empty 1-D array of finite
            numbers.

    Example:
        >>> env = Acrobot(torque_max_noise=0.1, torques=jnp.array([-2.0, 0.0, 2.0]))
        >>> state, obs, info = env.reset(key=jax.random.key(0))
    """

    name: ClassVar[str] = "Acrobot-v1"
    render_fps: ClassVar[float] = 15.0

    dt: Float[Array, ""]
    link_length_1: Float[Array, ""]
    link_length_2: Float[Array, ""]
    link_mass_1: Float[Array, ""]
    link_mass_2: Float[Array, ""]
    link_com_pos_1: Float[Array, ""]
    link_com_pos_2: Float[Array, ""]
    link_moi: Float[Array, ""]
    max_vel_1: Float[Array, ""]
    max_vel_2: Float[Array, ""]
    gravity: Float[Array, ""]
    torque_max_noise: Float[Array, ""]
    torques: Float[Array, " actions"]
    solver: diffrax.AbstractSolver | None
    stepsize_controller: diffrax.AbstractStepSizeController | None
    action_space: Discrete
    observation_space: Box

    def __init__(
        self,
        *,
        gravity: ParamLike = 9.8,
        link_length_1: ParamLike = 1.0,
        link_length_2: ParamLike = 1.0,
        link_mass_1: ParamLike = 1.0,
        link_mass_2: ParamLike = 1.0,
        link_com_pos_1: ParamLike = 0.5,
        link_com_pos_2: ParamLike = 0.5,
        link_moi: ParamLike = 1.0,
        max_vel_1: ParamLike = 4 * math.pi,
        max_vel_2: ParamLike = 9 * math.pi,
        torque_max_noise: ParamLike = 0.0,
        torques: Real[ArrayLike, " actions"] | Sequence[float] = (-1.0, 0.0, 1.0),
        dt: ParamLike = 0.2,
        solver: diffrax.AbstractSolver | None = None,
        stepsize_controller: diffrax.AbstractStepSizeController | None = None,
    ):
        env = "Acrobot"
        self.dt = param(env, "dt", dt, positive=True)
        self.link_length_1 = param(env, "link_length_1", link_length_1, positive=True)
        self.link_length_2 = param(env, "link_length_2", link_length_2, positive=True)
        self.link_mass_1 = param(env, "link_mass_1", link_mass_1, positive=True)
        self.link_mass_2 = param(env, "link_mass_2", link_mass_2, positive=True)
        self.link_com_pos_1 = param(env, "link_com_pos_1", link_com_pos_1, nonnegative=True)
        self.link_com_pos_2 = param(env, "link_com_pos_2", link_com_pos_2, nonnegative=True)
        self.link_moi = param(env, "link_moi", link_moi, positive=True)
        self.max_vel_1 = param(env, "max_vel_1", max_vel_1, positive=True)
        self.max_vel_2 = param(env, "max_vel_2", max_vel_2, positive=True)
        self.gravity = param(env, "gravity", gravity)
        self.torque_max_noise = param(env, "torque_max_noise", torque_max_noise, nonnegative=True)
        self.torques = _check_torques(env, torques)
        self.solver, self.stepsize_controller = check_integrator(env, solver, stepsize_controller)
        self.action_space = Discrete(self.torques.shape[0])
        high = np.array(
            [1.0, 1.0, 1.0, 1.0, float(np.asarray(max_vel_1)), float(np.asarray(max_vel_2))],
            np.float32,
        )
        self.observation_space = Box(-high, high)

    def initial(self, *, key: Key) -> AcrobotState:
        y = jax.random.uniform(key, (4,), jnp.float32, minval=-0.1, maxval=0.1)
        return AcrobotState(y=y, t=jnp.array(0, jnp.int32))

    def vector_field(
        self, t: Any, y: Float[Array, " 4"], torque: Float[Array, ""]
    ) -> Float[Array, " 4"]:
        """The continuous-time ("book") dynamics `dy/dt` under a joint `torque`."""
        theta1, theta2, dtheta1, dtheta2 = y
        m1, m2 = self.link_mass_1, self.link_mass_2
        l1, lc1, lc2 = self.link_length_1, self.link_com_pos_1, self.link_com_pos_2
        i1 = i2 = self.link_moi
        g = self.gravity
        d1 = m1 * lc1**2 + m2 * (l1**2 + lc2**2 + 2 * l1 * lc2 * jnp.cos(theta2)) + i1 + i2
        d2 = m2 * (lc2**2 + l1 * lc2 * jnp.cos(theta2)) + i2
        phi2 = m2 * lc2 * g * jnp.cos(theta1 + theta2 - math.pi / 2.0)
        phi1 = (
            -m2 * l1 * lc2 * dtheta2**2 * jnp.sin(theta2)
            - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * jnp.sin(theta2)
            + (m1 * lc1 + m2 * l1) * g * jnp.cos(theta1 - math.pi / 2)
            + phi2
        )
        ddtheta2 = (
            torque + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1**2 * jnp.sin(theta2) - phi2
        ) / (m2 * lc2**2 + i2 - d2**2 / d1)
        ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
        return jnp.stack([dtheta1, dtheta2, ddtheta1, ddtheta2])

    def transition(
        self, state: AcrobotState, action: Int[ArrayLike, ""], *, key: Key
    ) -> AcrobotState:
        action = discrete_action("Acrobot", action, self.torques.shape[0])
        noise = self.torque_max_noise
        draw = jax.random.uniform(key, (), jnp.float32, minval=-noise, maxval=noise)
        # Gymnasium adds noise only when it is > 0; `where` keeps torques exact otherwise.
        torque = jnp.where(noise > 0, self.torques[action] + draw, self.torques[action])
        if self.solver is None:
            y = _rk4(self.vector_field, state.y, torque, self.dt)
        else:
            y = self.solve(self.vector_field, state.y, torque, self.dt)
        y = jnp.stack(
            [
                _wrap(y[0]),
                _wrap(y[1]),
                jnp.clip(y[2], -self.max_vel_1, self.max_vel_1),
                jnp.clip(y[3], -self.max_vel_2, self.max_vel_2),
            ]
        )
        return AcrobotState(y=y, t=state.t + 1)

    def observation(self, state: AcrobotState, *, key: Key) -> Float[Array, " 6"]:
        theta1, theta2, dtheta1, dtheta2 = state.y
        return jnp.stack(
            [jnp.cos(theta1), jnp.sin(theta1), jnp.cos(theta2), jnp.sin(theta2), dtheta1, dtheta2]
        )

    def reward(
        self,
        state: AcrobotState,
        action: Int[ArrayLike, ""],
        next_state: AcrobotState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        return jnp.where(self.terminal(next_state, key=key), 0.0, -1.0).astype(jnp.float32)

    def terminal(self, state: AcrobotState, *, key: Key) -> Bool[Array, ""]:
        theta1, theta2 = state.y[0], state.y[1]
        return -jnp.cos(theta1) - jnp.cos(theta2 + theta1) > 1.0

    def render_transform(self) -> Transform:
        bound = self._render_bound()
        return Transform(500, 500, scale=500 / (2 * bound), offset=(250.0, 250.0))

    def draw(self, state: AcrobotState, renderer: Abstract2DRenderer) -> None:
        theta1, theta2 = host_vector(state.y)[:2]
        l1, l2 = float(np.asarray(self.link_length_1)), float(np.asarray(self.link_length_2))
        bound = self._render_bound()
        renderer.line((-bound, 1.0), (bound, 1.0), BLACK)
        elbow = np.array([l1 * math.sin(theta1), -l1 * math.cos(theta1)])
        half = _LINK_WIDTH / 2
        for start, angle, length in (
            (np.zeros(2), theta1 - math.pi / 2, l1),
            (elbow, theta1 + theta2 - math.pi / 2, l2),
        ):
            link = [(0.0, -half), (0.0, half), (length, half), (length, -half)]
            renderer.polygon(rotated(link, angle) + start, _LINK_COLOR)
            renderer.circle(start, half, _JOINT_COLOR)

    def _render_bound(self) -> float:
        """Half the width of the drawing: both links and a margin of 0.2."""
        l1, l2 = float(np.asarray(self.link_length_1)), float(np.asarray(self.link_length_2))
        return l1 + l2 + 0.2


def _check_torques(env: str, torques: Any) -> Float[Array, " actions"]:
    """Check `torques` (a non-empty 1-D array of finite numbers) and store it as `float32`.

    Traced torques (built inside `jit` or `vmap`) are checked for shape and dtype only.
    """
    if isinstance(torques, Tracer):
        if torques.ndim != 1 or torques.shape[0] == 0:
            raise ValueError(
                f"{env}: torques must be a non-empty 1-D array (one torque per action), "
                f"got shape {torques.shape}"
            )
        dtype = torques.dtype
        if not (jnp.issubdtype(dtype, jnp.floating) or jnp.issubdtype(dtype, jnp.integer)):
            raise TypeError(f"{env}: torques must be real numbers, got dtype {dtype}")
        return torques.astype(jnp.float32)
    try:
        value = np.asarray(torques, np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{env}: torques must be a 1-D array of numbers such as jnp.array([-1.0, 0.0, 1.0]), "
            f"got {torques!r}"
        ) from None
    if value.ndim != 1 or value.shape[0] == 0:
        raise ValueError(
            f"{env}: torques must be a non-empty 1-D array (one torque per action) such as "
            f"jnp.array([-1.0, 0.0, 1.0]), got shape {value.shape}"
        )
    if not np.isfinite(value).all():
        raise ValueError(f"{env}: torques must be finite, got {value.tolist()}")
    return jnp.asarray(value, jnp.float32)


def _rk4(f: Any, y: Float[Array, " 4"], args: Any, dt: Float[Array, ""]) -> Float[Array, " 4"]:
    """One classical Runge-Kutta step, exactly as Gymnasium's `rk4` over `[0, dt]`."""
    dt2 = dt / 2.0
    k1 = f(None, y, args)
    k2 = f(None, y + dt2 * k1, args)
    k3 = f(None, y + dt2 * k2, args)
    k4 = f(None, y + dt * k3, args)
    return y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


def _wrap(x: Float[Array, ""]) -> Float[Array, ""]:
    """Gymnasium's `wrap(x, -pi, pi)`: shift by whole turns only when outside the range."""
    turn = 2 * math.pi
    x = jnp.where(x > math.pi, x - turn * jnp.ceil((x - math.pi) / turn), x)
    return jnp.where(x < -math.pi, x + turn * jnp.ceil((-math.pi - x) / turn), x)
