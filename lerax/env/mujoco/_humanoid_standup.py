"""HumanoidStandup-v5: a humanoid lying on the ground that should stand up."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from ...space import Box
from ._humanoid_base import AbstractHumanoidEnv
from ._terms import backend_field, check_range
from .base import MujocoEnvState, check_reset_noise_scale, load_model


@final
class HumanoidStandup(AbstractHumanoidEnv):
    """Gymnasium's `HumanoidStandup-v5` on MJX: a humanoid lying down, rewarded for rising.

    - Observation: `float32[348]` (`float32[350]` with the x and y positions included),
      built as `Humanoid`'s: positions, velocities, then as included the bodies' inertias,
      velocities, the actuator forces and the contact forces.
    - Action: `float32[17]` in ``[-0.4, 0.4]``, the torques of the 17 joints.
    - Reward: ``uph_cost_weight * qpos[2] / timestep - ctrl_cost_weight * sum(ctrl^2) -
      clip(impact_cost_weight * sum(cfrc_ext^2), *impact_cost_range) + 1``, with the
      physics timestep (not `dt`) as Gymnasium has it.
    - Termination: never; `make("HumanoidStandup-v5")` adds Gymnasium's 1,000-step limit.
    - Reset: the model's initial positions and zero velocities plus uniform noise on
      ``[-reset_noise_scale, reset_noise_scale]``.
    - Solver: Newton, for the reason `Humanoid` gives.

    Args:
        xml_file: The MJCF model (default: Gymnasium's `humanoidstandup.xml`).
        frame_skip: Physics steps per environment step.
        uph_cost_weight: Weight of the torso's height.
        ctrl_cost_weight: Weight of the control cost.
        impact_cost_weight: Weight of the contact cost.
        impact_cost_range: Bounds the contact cost is clipped to.
        reset_noise_scale: Scale of the reset noise.
        exclude_current_positions_from_observation: Leave the x and y positions out of the
            observation.
        include_cinert_in_observation: Put the bodies' inertias in the observation.
        include_cvel_in_observation: Put the bodies' velocities in the observation.
        include_qfrc_actuator_in_observation: Put the actuator forces in the observation.
        include_cfrc_ext_in_observation: Put the contact forces in the observation.

    Raises:
        ValueError: On a non-positive `frame_skip`, a negative `reset_noise_scale` or an
            `impact_cost_range` that is not ``(low, high)`` with ``low < high``.
    """

    name: ClassVar[str] = "HumanoidStandup-v5"
    contact_forces: ClassVar[bool] = True
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    uph_cost_weight: float = eqx.field(static=True)
    ctrl_cost_weight: float = eqx.field(static=True)
    impact_cost_weight: float = eqx.field(static=True)
    impact_cost_range: tuple[float, float] = eqx.field(static=True)
    reset_noise_scale: float = eqx.field(static=True)
    exclude_current_positions_from_observation: bool = eqx.field(static=True)
    include_cinert_in_observation: bool = eqx.field(static=True)
    include_cvel_in_observation: bool = eqx.field(static=True)
    include_qfrc_actuator_in_observation: bool = eqx.field(static=True)
    include_cfrc_ext_in_observation: bool = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    model: Any
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        xml_file: str = "humanoidstandup.xml",
        frame_skip: int = 5,
        uph_cost_weight: float = 1.0,
        ctrl_cost_weight: float = 0.1,
        impact_cost_weight: float = 0.5e-6,
        impact_cost_range: tuple[float, float] = (-jnp.inf, 10.0),
        reset_noise_scale: float = 1e-2,
        exclude_current_positions_from_observation: bool = True,
        include_cinert_in_observation: bool = True,
        include_cvel_in_observation: bool = True,
        include_qfrc_actuator_in_observation: bool = True,
        include_cfrc_ext_in_observation: bool = True,
    ):
        self.xml_file, self.frame_skip = xml_file, frame_skip
        self.uph_cost_weight = float(uph_cost_weight)
        self.ctrl_cost_weight = float(ctrl_cost_weight)
        self.impact_cost_weight = float(impact_cost_weight)
        self.impact_cost_range = check_range(self.name, "impact_cost_range", impact_cost_range)
        self.reset_noise_scale = check_reset_noise_scale(self.name, reset_noise_scale)
        self.exclude_current_positions_from_observation = bool(
            exclude_current_positions_from_observation
        )
        self.include_cinert_in_observation = bool(include_cinert_in_observation)
        self.include_cvel_in_observation = bool(include_cvel_in_observation)
        self.include_qfrc_actuator_in_observation = bool(include_qfrc_actuator_in_observation)
        self.include_cfrc_ext_in_observation = bool(include_cfrc_ext_in_observation)
        self.mj_model, self.model, self.action_space = load_model(
            self.name, xml_file, frame_skip, newton=True
        )
        self.observation_space = Box(-jnp.inf, jnp.inf, (self.observation_size(),))

    def reward(
        self,
        state: MujocoEnvState,
        action: Float[Array, " 17"],
        next_state: MujocoEnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        data = next_state.data
        timestep = float(self.mj_model.opt.timestep)
        uph = self.uph_cost_weight * data.qpos[2] / timestep
        ctrl_cost = self.ctrl_cost_weight * jnp.sum(jnp.square(data.ctrl))
        forces = backend_field(data, "cfrc_ext")
        impact_cost = self.impact_cost_weight * jnp.sum(jnp.square(forces))
        impact_cost = jnp.clip(impact_cost, *self.impact_cost_range)
        return uph - ctrl_cost - impact_cost + 1.0

    def terminal(self, state: MujocoEnvState, *, key: Key) -> Bool[Array, ""]:
        return jnp.array(False)
