"""Swimmer-v5: a three-link swimmer in a viscous fluid moving forward."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from ...space import Box
from .base import (
    AbstractMujocoEnv,
    MujocoEnvState,
    check_reset_noise_scale,
    forward_reward,
    load_model,
    positions_and_velocities,
)


@final
class Swimmer(AbstractMujocoEnv):
    """Gymnasium's `Swimmer-v5` on MJX: three links in a viscous fluid, swimming along x.

    - Observation: `float32[8]` (`float32[10]` with positions included): ``qpos[2:]`` (the
      body's angle and the two joint angles) and ``qvel``.
    - Action: `float32[2]` in ``[-1, 1]``, the two joint torques.
    - Reward: ``forward_reward_weight * x_velocity - ctrl_cost_weight * sum(action^2)``, the
      velocity measured as the x displacement of the front tip over one step, divided by
      `dt`.
    - Termination: never; `make("Swimmer-v5")` adds Gymnasium's 1,000-step time limit.
    - Reset: the model's initial positions and zero velocities, each plus uniform noise on
      ``[-reset_noise_scale, reset_noise_scale]``.

    Args:
        xml_file: The MJCF model (default: Gymnasium's `swimmer.xml`).
        frame_skip: Physics steps per environment step.
        forward_reward_weight: Weight of the forward velocity.
        ctrl_cost_weight: Weight of the control cost.
        reset_noise_scale: Scale of the reset noise.
        exclude_current_positions_from_observation: Leave the x and y position out of the
            observation.

    Raises:
        ValueError: On a non-positive `frame_skip` or a negative `reset_noise_scale`.
    """

    name: ClassVar[str] = "Swimmer-v5"
    contact_forces: ClassVar[bool] = False
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    forward_reward_weight: float = eqx.field(static=True)
    ctrl_cost_weight: float = eqx.field(static=True)
    reset_noise_scale: float = eqx.field(static=True)
    exclude_current_positions_from_observation: bool = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    model: Any
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        xml_file: str = "swimmer.xml",
        frame_skip: int = 4,
        forward_reward_weight: float = 1.0,
        ctrl_cost_weight: float = 1e-4,
        reset_noise_scale: float = 0.1,
        exclude_current_positions_from_observation: bool = True,
    ):
        self.xml_file, self.frame_skip = xml_file, frame_skip
        self.forward_reward_weight = float(forward_reward_weight)
        self.ctrl_cost_weight = float(ctrl_cost_weight)
        self.reset_noise_scale = check_reset_noise_scale(self.name, reset_noise_scale)
        self.exclude_current_positions_from_observation = bool(
            exclude_current_positions_from_observation
        )
        self.mj_model, self.model, self.action_space = load_model(self.name, xml_file, frame_skip)
        size = self.mj_model.nq + self.mj_model.nv
        size -= 2 * self.exclude_current_positions_from_observation
        self.observation_space = Box(-jnp.inf, jnp.inf, (size,))

    def initial(self, *, key: Key) -> MujocoEnvState:
        return self.noisy_initial(key, self.reset_noise_scale, normal_velocities=False)

    def observation(self, state: MujocoEnvState, *, key: Key) -> Float[Array, " obs"]:
        skip = 2 if self.exclude_current_positions_from_observation else 0
        return positions_and_velocities(state.data, skip)

    def reward(
        self,
        state: MujocoEnvState,
        action: Float[Array, " 2"],
        next_state: MujocoEnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        return forward_reward(
            self, state, action, next_state, self.forward_reward_weight, self.ctrl_cost_weight
        )

    def terminal(self, state: MujocoEnvState, *, key: Key) -> Bool[Array, ""]:
        return jnp.array(False)
