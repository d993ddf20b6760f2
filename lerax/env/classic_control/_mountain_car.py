"""MountainCar: drive an underpowered car up a hill (Gymnasium's `MountainCar-v0`)."""

from __future__ import annotations

from typing import ClassVar, final

import diffrax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from ..._types import Array, Bool, Float, Int, Key
from ...space import Box, Discrete
from ..base import AbstractEnvState
from ._mountain import AbstractMountainCarEnv, initial_y, track_params
from .base import ParamLike, check_integrator, discrete_action, param


@final
class MountainCarState(AbstractEnvState):
    """State of `MountainCar`.

    Attributes:
        y: `float32[2]`: position and velocity of the car.
        t: `int32[]`: steps taken in the episode.
    """

    y: Float[Array, " 2"]
    t: Int[Array, ""]


@final
class MountainCar(AbstractMountainCarEnv[MountainCarState, Int[Array, ""]]):
    """A car in a valley that must rock back and forth to reach the hilltop (`MountainCar-v0`).

    - Observation: `float32[2]`, the state `(position, velocity)`.
    - Action: `int32[]` in `Discrete(3)`: accelerate left, do nothing, accelerate right
      (other integers are clipped to 0 or 2).
    - Reward: `float32[]`, -1 for every step.
    - Termination: `position >= goal_position` and `velocity >= goal_velocity`.
    - Initial state: position uniform in `[-0.6, -0.4]`, velocity 0.
    - Rendering: as Gymnasium draws it on a 600 x 400 canvas spanning the track: the hill
      `0.45 sin(3 x) + 0.55`, the car on it, and a flag at `goal_position`.

    The default integration is Gymnasium's semi-implicit Euler with `dt` time units per step,
    velocity clipped to `max_speed`, position to `[min_position, max_position]`, and the
    leftward velocity zeroed at the left wall.

    Args:
        min_position: Left end of the track.
        max_position: Right end of the track.
        max_speed: Bound on the speed.
        goal_position: Position to reach.
        goal_velocity: Velocity needed at the goal.
        force: Acceleration of a push.
        gravity: Strength of the slope's pull.
        dt: Time units per step (Gymnasium's is 1); scales the velocity and position
            updates.
        solver: `None` for Gymnasium's Euler step, or a diffrax solver.
        stepsize_controller: Optional diffrax step-size controller for `solver`.
    """

    name: ClassVar[str] = "MountainCar-v0"
    render_fps: ClassVar[float] = 30.0

    min_position: Float[Array, ""]
    max_position: Float[Array, ""]
    max_speed: Float[Array, ""]
    goal_position: Float[Array, ""]
    goal_velocity: Float[Array, ""]
    force: Float[Array, ""]
    gravity: Float[Array, ""]
    dt: Float[Array, ""]
    solver: diffrax.AbstractSolver | None
    stepsize_controller: diffrax.AbstractStepSizeController | None
    action_space: Discrete
    observation_space: Box

    def __init__(
        self,
        *,
        min_position: ParamLike = -1.2,
        max_position: ParamLike = 0.6,
        max_speed: ParamLike = 0.07,
        goal_position: ParamLike = 0.5,
        goal_velocity: ParamLike = 0.0,
        force: ParamLike = 0.001,
        gravity: ParamLike = 0.0025,
        dt: ParamLike = 1.0,
        solver: diffrax.AbstractSolver | None = None,
        stepsize_controller: diffrax.AbstractStepSizeController | None = None,
    ):
        env = "MountainCar"
        track = track_params(
            env, min_position, max_position, max_speed, goal_position, goal_velocity, gravity, dt
        )
        for field_name, value in track.items():
            setattr(self, field_name, value)
        self.force = param(env, "force", force)
        self.solver, self.stepsize_controller = check_integrator(env, solver, stepsize_controller)
        self.action_space = Discrete(3)
        self.observation_space = Box(
            np.array([min_position, np.negative(max_speed)], np.float32),
            np.array([max_position, max_speed], np.float32),
        )

    def initial(self, *, key: Key) -> MountainCarState:
        return MountainCarState(y=initial_y(key), t=jnp.array(0, jnp.int32))

    def transition(
        self, state: MountainCarState, action: Int[ArrayLike, ""], *, key: Key
    ) -> MountainCarState:
        action = discrete_action("MountainCar", action, 3)
        push = (action - 1).astype(jnp.float32) * self.force
        return MountainCarState(y=self.move(state.y, push), t=state.t + 1)

    def observation(self, state: MountainCarState, *, key: Key) -> Float[Array, " 2"]:
        return state.y

    def reward(
        self,
        state: MountainCarState,
        action: Int[ArrayLike, ""],
        next_state: MountainCarState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        return jnp.array(-1.0, jnp.float32)

    def terminal(self, state: MountainCarState, *, key: Key) -> Bool[Array, ""]:
        return self.reached_goal(state.y)
