"""CartPole: balance a pole on a cart (Gymnasium's `CartPole-v1`)."""

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

# Gymnasium's drawing, in metres at its 125 pixels per metre: a 50 x 30 pixel cart whose
# centre is 100 pixels above the bottom, a 10 pixel wide pole hinged 7.5 pixels above it.
_CART_WIDTH, _CART_HEIGHT = 0.4, 0.24
_POLE_WIDTH = 0.08
_AXLE_HEIGHT = 0.06
_POLE_COLOR = Color.from_rgb255(202, 152, 101)
_AXLE_COLOR = Color.from_rgb255(129, 132, 203)


@final
class CartPoleState(AbstractEnvState):
    """State of `CartPole`.

    Attributes:
        y: `float32[4]`: cart position, cart velocity, pole angle, pole angular velocity.
        t: `int32[]`: steps taken in the episode.
    """

    y: Float[Array, " 4"]
    t: Int[Array, ""]


@final
class CartPole(AbstractClassicControlEnv[CartPoleState, Int[Array, ""]]):
    """A pole hinged on a cart that moves along a frictionless track (`CartPole-v1`).

    - Observation: `float32[4]`, the state `(x, x_dot, theta, theta_dot)`.
    - Action: `int32[]` in `Discrete(2)`: 0 pushes the cart left, 1 right, with
      `force_mag` (other integers are clipped to 0 or 1).
    - Reward: `float32[]`, +1 for every step, the terminating one included.
    - Termination: `|x| > x_threshold` or `|theta| > theta_threshold_radians`.
    - Initial state: each component uniform in `[-0.05, 0.05]`.
    - Rendering: as Gymnasium draws it, on a 600 x 400 canvas whose width spans
      `[-x_threshold, x_threshold]`: a black cart on a black track, a brown pole tilted by
      `theta` (clockwise for positive `theta`) and a blue axle.

    The default integration is Gymnasium's explicit Euler with step `dt`.

    Args:
        gravity: Gravitational acceleration.
        cart_mass: Mass of the cart.
        pole_mass: Mass of the pole.
        half_length: Half the pole's length.
        force_mag: Magnitude of the push.
        theta_threshold_radians: Pole angle that ends the episode.
        x_threshold: Cart position that ends the episode.
        dt: Seconds per step.
        solver: `None` for Gymnasium's Euler step, or a diffrax solver.
        stepsize_controller: Optional diffrax step-size controller for `solver`.

    Example:
        >>> env = CartPole()
        >>> state, obs, info = env.reset(key=jax.random.key(0))
        >>> state, obs, reward, terminal, truncate, info = env.step(state, 1, key=jax.random.key(1))
    """

    name: ClassVar[str] = "CartPole-v1"
    render_fps: ClassVar[float] = 50.0

    gravity: Float[Array, ""]
    cart_mass: Float[Array, ""]
    pole_mass: Float[Array, ""]
    half_length: Float[Array, ""]
    force_mag: Float[Array, ""]
    theta_threshold_radians: Float[Array, ""]
    x_threshold: Float[Array, ""]
    dt: Float[Array, ""]
    solver: diffrax.AbstractSolver | None
    stepsize_controller: diffrax.AbstractStepSizeController | None
    action_space: Discrete
    observation_space: Box

    def __init__(
        self,
        *,
        gravity: ParamLike = 9.8,
        cart_mass: ParamLike = 1.0,
        pole_mass: ParamLike = 0.1,
        half_length: ParamLike = 0.5,
        force_mag: ParamLike = 10.0,
        theta_threshold_radians: ParamLike = 12 * 2 * math.pi / 360,
        x_threshold: ParamLike = 2.4,
        dt: ParamLike = 0.02,
        solver: diffrax.AbstractSolver | None = None,
        stepsize_controller: diffrax.AbstractStepSizeController | None = None,
    ):
        env = "CartPole"
        self.gravity = param(env, "gravity", gravity)
        self.cart_mass = param(env, "cart_mass", cart_mass, positive=True)
        self.pole_mass = param(env, "pole_mass", pole_mass, positive=True)
        self.half_length = param(env, "half_length", half_length, positive=True)
        self.force_mag = param(env, "force_mag", force_mag)
        self.theta_threshold_radians = param(
            env, "theta_threshold_radians", theta_threshold_radians, positive=True
        )
        self.x_threshold = param(env, "x_threshold", x_threshold, positive=True)
        self.dt = param(env, "dt", dt, positive=True)
        self.solver, self.stepsize_controller = check_integrator(env, solver, stepsize_controller)
        self.action_space = Discrete(2)
        high = np.array(
            [
                2 * float(np.asarray(x_threshold)),
                np.inf,
                2 * float(np.asarray(theta_threshold_radians)),
                np.inf,
            ],
            np.float32,
        )
        self.observation_space = Box(-high, high)

    def initial(self, *, key: Key) -> CartPoleState:
        y = jax.random.uniform(key, (4,), jnp.float32, minval=-0.05, maxval=0.05)
        return CartPoleState(y=y, t=jnp.array(0, jnp.int32))

    def vector_field(
        self, t: Any, y: Float[Array, " 4"], force: Float[Array, ""]
    ) -> Float[Array, " 4"]:
        """The continuous-time dynamics `dy/dt` under a horizontal `force`."""
        _, x_dot, theta, theta_dot = y
        total_mass = self.pole_mass + self.cart_mass
        polemass_length = self.pole_mass * self.half_length
        cos, sin = jnp.cos(theta), jnp.sin(theta)
        temp = (force + polemass_length * theta_dot**2 * sin) / total_mass
        theta_acc = (self.gravity * sin - cos * temp) / (
            self.half_length * (4.0 / 3.0 - self.pole_mass * cos**2 / total_mass)
        )
        x_acc = temp - polemass_length * theta_acc * cos / total_mass
        return jnp.stack([x_dot, x_acc, theta_dot, theta_acc])

    def transition(
        self, state: CartPoleState, action: Int[ArrayLike, ""], *, key: Key
    ) -> CartPoleState:
        action = discrete_action("CartPole", action, 2)
        force = jnp.where(action == 1, self.force_mag, -self.force_mag)
        if self.solver is None:
            y = state.y + self.dt * self.vector_field(None, state.y, force)
        else:
            y = self.solve(self.vector_field, state.y, force, self.dt)
        return CartPoleState(y=y, t=state.t + 1)

    def observation(self, state: CartPoleState, *, key: Key) -> Float[Array, " 4"]:
        return state.y

    def reward(
        self,
        state: CartPoleState,
        action: Int[ArrayLike, ""],
        next_state: CartPoleState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        return jnp.array(1.0, jnp.float32)

    def terminal(self, state: CartPoleState, *, key: Key) -> Bool[Array, ""]:
        x, theta = state.y[0], state.y[2]
        return (jnp.abs(x) > self.x_threshold) | (jnp.abs(theta) > self.theta_threshold_radians)

    def render_transform(self) -> Transform:
        scale = 600 / (2 * float(np.asarray(self.x_threshold)))
        return Transform(600, 400, scale=scale, offset=(300.0, 100.0))

    def draw(self, state: CartPoleState, renderer: Abstract2DRenderer) -> None:
        x, _, theta, _ = host_vector(state.y)
        x_threshold = float(np.asarray(self.x_threshold))
        pole_length = 2 * float(np.asarray(self.half_length))
        renderer.rectangle((x, 0.0), _CART_WIDTH, _CART_HEIGHT, BLACK)
        half = _POLE_WIDTH / 2
        pole = [
            (-half, -half),
            (-half, pole_length - half),
            (half, pole_length - half),
            (half, -half),
        ]
        renderer.polygon(rotated(pole, -theta) + np.array([x, _AXLE_HEIGHT]), _POLE_COLOR)
        renderer.circle((x, _AXLE_HEIGHT), half, _AXLE_COLOR)
        renderer.line((-x_threshold, 0.0), (x_threshold, 0.0), BLACK)
