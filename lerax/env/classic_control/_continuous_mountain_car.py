"""ContinuousMountainCar: MountainCar with a continuous throttle (`MountainCarContinuous-v0`)."""

from __future__ import annotations

from typing import ClassVar, final

import diffrax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from ..._types import Array, Bool, Float, Int, Key
from ...space import Box
from ..base import AbstractEnvState
from ._mountain import AbstractMountainCarEnv, initial_y, track_params
from .base import ParamLike, box_action, check_integrator, check_less, param


@final
class ContinuousMountainCarState(AbstractEnvState):
    """State of `ContinuousMountainCar`.

    Attributes:
        y: `float32[2]`: position and velocity of the car.
        t: `int32[]`: steps taken in the episode.
    """

    y: Float[Array, " 2"]
    t: Int[Array, ""]


@final
class ContinuousMountainCar(AbstractMountainCarEnv[ContinuousMountainCarState, Float[Array, " 1"]]):
    """A car in a valley with a continuous throttle (`MountainCarContinuous-v0`).

    - Observation: `float32[2]`, the state `(position, velocity)`.
    - Action: `float32[1]` in `Box(min_action, max_action, (1,))`; the push is the action
      clipped to that range, times `power`.
    - Reward: `float32[]`, `-0.1 * action[0] ** 2` (of the unclipped action, as in Gymnasium),
      plus 100 on the step that reaches the goal.
    - Termination: `position >= goal_position` and `velocity >= goal_velocity`.
    - Initial state: position uniform in `[-0.6, -0.4]`, velocity 0.
    - Rendering: as Gymnasium draws it on a 600 x 400 canvas spanning the track: the hill
      `0.45 sin(3 x) + 0.55`, the car on it, and a flag at `goal_position`.

    The default integration is Gymnasium's semi-implicit Euler with `dt` time units per step,
    velocity clipped to `max_speed`, position to `[min_position, max_position]`, and the
    leftward velocity zeroed at the left wall.

    Args:
        min_action: Lower bound of the throttle.
        max_action: Upper bound of the throttle.
        min_position: Left end of the track.
        max_position: Right end of the track.
        max_speed: Bound on the speed.
        goal_position: Position to reach.
        goal_velocity: Velocity needed at the goal.
        power: Acceleration per unit of throttle.
        gravity: Strength of the slope's pull.
        dt: Time units per step (Gymnasium's is 1); scales the velocity and position
            updates.
        solver: `None` for Gymnasium's Euler step, or a diffrax solver.
        stepsize_controller: Optional diffrax step-size controller for `solver`.
    """

    name: ClassVar[str] = "MountainCarContinuous-v0"
    render_fps: ClassVar[float] = 30.0

    min_action: Float[Array, ""]
    max_action: Float[Array, ""]
    min_position: Float[Array, ""]
    max_position: Float[Array, ""]
    max_speed: Float[Array, ""]
    goal_position: Float[Array, ""]
    goal_velocity: Float[Array, ""]
    power: Float[Array, ""]
    gravity: Float[Array, ""]
    dt: Float[Array, ""]
    solver: diffrax.AbstractSolver | None
    stepsize_controller: diffrax.AbstractStepSizeController | None
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        min_action: ParamLike = -1.0,
        max_action: ParamLike = 1.0,
        min_position: ParamLike = -1.2,
        max_position: ParamLike = 0.6,
        max_speed: ParamLike = 0.07,
        goal_position: ParamLike = 0.45,
        goal_velocity: ParamLike = 0.0,
        power: ParamLike = 0.0015,
        gravity: ParamLike = 0.0025,
        dt: ParamLike = 1.0,
        solver: diffrax.AbstractSolver | None = None,
        stepsize_controller: diffrax.AbstractStepSizeController | None = None,
    ):
        env = "ContinuousMountainCar"
        track = track_params(
            env, min_position, max_position, max_speed, goal_position, goal_velocity, gravity, dt
        )
        for field_name, value in track.items():
            setattr(self, field_name, value)
        self.min_action = param(env, "min_action", min_action)
        self.max_action = param(env, "max_action", max_action)
        check_less(env, "min_action", self.min_action, "max_action", self.max_action)
        self.power = param(env, "power", power)
        self.solver, self.stepsize_controller = check_integrator(env, solver, stepsize_controller)
        self.action_space = Box(min_action, max_action, shape=(1,))
        self.observation_space = Box(
            np.array([min_position, np.negative(max_speed)], np.float32),
            np.array([max_position, max_speed], np.float32),
        )

    def initial(self, *, key: Key) -> ContinuousMountainCarState:
        return ContinuousMountainCarState(y=initial_y(key), t=jnp.array(0, jnp.int32))

    def transition(
        self, state: ContinuousMountainCarState, action: Float[ArrayLike, " 1"], *, key: Key
    ) -> ContinuousMountainCarState:
        throttle = jnp.clip(
            box_action("ContinuousMountainCar", action), self.min_action, self.max_action
        )
        y = self.move(state.y, throttle * self.power)
        return ContinuousMountainCarState(y=y, t=state.t + 1)

    def observation(self, state: ContinuousMountainCarState, *, key: Key) -> Float[Array, " 2"]:
        return state.y

    def reward(
        self,
        state: ContinuousMountainCarState,
        action: Float[ArrayLike, " 1"],
        next_state: ContinuousMountainCarState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        throttle = box_action("ContinuousMountainCar", action)
        goal = jnp.where(self.reached_goal(next_state.y), 100.0, 0.0)
        return (goal - throttle**2 * 0.1).astype(jnp.float32)

    def terminal(self, state: ContinuousMountainCarState, *, key: Key) -> Bool[Array, ""]:
        return self.reached_goal(state.y)
