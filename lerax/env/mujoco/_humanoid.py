"""Humanoid-v5: a three-dimensional biped running forward."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from ...space import Box
from ._healthy import AbstractHealthyEnv
from ._humanoid_base import AbstractHumanoidEnv
from ._terms import (
    backend_field,
    between,
    check_range,
    mass_center_xy,
)
from .base import MujocoEnvState, check_reset_noise_scale, load_model


@final
class Humanoid(AbstractHumanoidEnv, AbstractHealthyEnv):
    """Gymnasium's `Humanoid-v5` on MJX: a humanoid running forward along x.

    - Observation: `float32[348]` (`float32[350]` with the x and y positions included):
      ``qpos[2:]`` and ``qvel``, then as included the bodies' inertias (``cinert[1:]``),
      velocities (``cvel[1:]``), the joints' actuator forces (``qfrc_actuator[6:]``) and the
      bodies' contact forces (``cfrc_ext[1:]``).
    - Action: `float32[17]` in ``[-0.4, 0.4]``, the torques of the abdomen, hip, knee,
      shoulder and elbow joints.
    - Reward: ``forward_reward_weight * x_velocity + healthy_reward * healthy -
      ctrl_cost_weight * sum(ctrl^2) - clip(contact_cost_weight * sum(cfrc_ext^2),
      *contact_cost_range)``, the velocity being the x displacement of the centre of mass
      over one step divided by `dt`.
    - Healthy: the torso's height ``qpos[2]`` strictly inside `healthy_z_range`.
    - Termination: not healthy, when `terminate_when_unhealthy`; `make("Humanoid-v5")`
      adds Gymnasium's 1,000-step time limit.
    - Reset: the model's initial positions and zero velocities plus uniform noise on
      ``[-reset_noise_scale, reset_noise_scale]``.
    - Solver: Newton. Gymnasium's model asks for MuJoCo's PGS solver, which MJX does not
      implement; both solve the same contact problem, to different round-off.

    Args:
        xml_file: The MJCF model (default: Gymnasium's `humanoid.xml`).
        frame_skip: Physics steps per environment step.
        forward_reward_weight: Weight of the forward velocity.
        ctrl_cost_weight: Weight of the control cost.
        contact_cost_weight: Weight of the contact cost.
        contact_cost_range: Bounds the contact cost is clipped to.
        healthy_reward: Reward for every healthy step.
        terminate_when_unhealthy: End the episode when the humanoid is not healthy.
        healthy_z_range: Bounds of the torso's height.
        reset_noise_scale: Scale of the reset noise.
        exclude_current_positions_from_observation: Leave the x and y positions out of the
            observation.
        include_cinert_in_observation: Put the bodies' inertias in the observation.
        include_cvel_in_observation: Put the bodies' velocities in the observation.
        include_qfrc_actuator_in_observation: Put the actuator forces in the observation.
        include_cfrc_ext_in_observation: Put the contact forces in the observation.

    Raises:
        ValueError: On a non-positive `frame_skip`, a negative `reset_noise_scale` or a
            range that is not ``(low, high)`` with ``low < high``.
    """

    name: ClassVar[str] = "Humanoid-v5"
    contact_forces: ClassVar[bool] = True
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    forward_reward_weight: float = eqx.field(static=True)
    ctrl_cost_weight: float = eqx.field(static=True)
    contact_cost_weight: float = eqx.field(static=True)
    contact_cost_range: tuple[float, float] = eqx.field(static=True)
    healthy_reward: float = eqx.field(static=True)
    terminate_when_unhealthy: bool = eqx.field(static=True)
    healthy_z_range: tuple[float, float] = eqx.field(static=True)
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
        xml_file: str = "humanoid.xml",
        frame_skip: int = 5,
        forward_reward_weight: float = 1.25,
        ctrl_cost_weight: float = 0.1,
        contact_cost_weight: float = 5e-7,
        contact_cost_range: tuple[float, float] = (-jnp.inf, 10.0),
        healthy_reward: float = 5.0,
        terminate_when_unhealthy: bool = True,
        healthy_z_range: tuple[float, float] = (1.0, 2.0),
        reset_noise_scale: float = 1e-2,
        exclude_current_positions_from_observation: bool = True,
        include_cinert_in_observation: bool = True,
        include_cvel_in_observation: bool = True,
        include_qfrc_actuator_in_observation: bool = True,
        include_cfrc_ext_in_observation: bool = True,
    ):
        self.xml_file, self.frame_skip = xml_file, frame_skip
        self.forward_reward_weight = float(forward_reward_weight)
        self.ctrl_cost_weight = float(ctrl_cost_weight)
        self.contact_cost_weight = float(contact_cost_weight)
        self.contact_cost_range = check_range(self.name, "contact_cost_range", contact_cost_range)
        self.healthy_reward = float(healthy_reward)
        self.terminate_when_unhealthy = bool(terminate_when_unhealthy)
        self.healthy_z_range = check_range(self.name, "healthy_z_range", healthy_z_range)
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

    def healthy(self, state: MujocoEnvState) -> Bool[Array, ""]:
        """Whether the humanoid is up: the torso's height in its range."""
        return between(state.data.qpos[2], self.healthy_z_range)

    def reward(
        self,
        state: MujocoEnvState,
        action: Float[Array, " 17"],
        next_state: MujocoEnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        data = next_state.data
        before = mass_center_xy(self.mj_model, state.data)
        x_velocity = (mass_center_xy(self.mj_model, data)[0] - before[0]) / self.dt
        alive = self.healthy_bonus(next_state)
        ctrl_cost = self.ctrl_cost_weight * jnp.sum(jnp.square(data.ctrl))
        contact_cost = self.contact_cost_weight * jnp.sum(
            jnp.square(backend_field(data, "cfrc_ext"))
        )
        contact_cost = jnp.clip(contact_cost, *self.contact_cost_range)
        return self.forward_reward_weight * x_velocity + alive - ctrl_cost - contact_cost
