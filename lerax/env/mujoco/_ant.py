"""Ant-v5: a four-legged walker."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from ...space import Box
from ._healthy import AbstractHealthyEnv
from ._terms import backend_field, check_range
from .base import MujocoEnvState, check_reset_noise_scale, load_model

_TORSO = 1  # Gymnasium's default `main_body`


@final
class Ant(AbstractHealthyEnv):
    """Gymnasium's `Ant-v5` on MJX: a four-legged robot walking forward along x.

    - Observation: `float32[105]` (`float32[107]` with the x and y positions included):
      ``qpos[2:]``, ``qvel`` and, with `include_cfrc_ext_in_observation`, the contact forces
      of the 13 bodies (``cfrc_ext[1:]``, 78 values) clipped to `contact_force_range`.
    - Action: `float32[8]` in ``[-1, 1]``, the torques of the eight hip and ankle joints.
    - Reward: ``forward_reward_weight * x_velocity + healthy_reward * healthy -
      ctrl_cost_weight * sum(action^2) - contact_cost_weight * sum(clip(cfrc_ext)^2)``, the
      velocity being the torso's x displacement over one step divided by `dt`.
    - Healthy: every position and velocity finite and the torso's height ``qpos[2]`` inside
      `healthy_z_range` (bounds included).
    - Termination: not healthy, when `terminate_when_unhealthy`; `make("Ant-v5")` adds
      Gymnasium's 1,000-step time limit.
    - Reset: the model's initial positions plus uniform noise on
      ``[-reset_noise_scale, reset_noise_scale]``, velocities standard normal times
      ``reset_noise_scale``.
    - Friction: the model's pyramidal cones. MJX orients a capsule-on-plane contact's
      pyramid along the world axes where MuJoCo's C engine orients it along the capsule,
      so with the Ant's diagonal legs on the floor the two engines' trajectories part
      within a few contacts; with `<option cone="elliptic"/>` in the model they agree.

    Args:
        xml_file: The MJCF model (default: Gymnasium's `ant.xml`).
        frame_skip: Physics steps per environment step.
        forward_reward_weight: Weight of the forward velocity.
        ctrl_cost_weight: Weight of the control cost.
        contact_cost_weight: Weight of the contact cost.
        healthy_reward: Reward for every healthy step.
        terminate_when_unhealthy: End the episode when the ant is not healthy.
        healthy_z_range: Bounds of the torso's height.
        contact_force_range: Bounds the contact forces are clipped to.
        reset_noise_scale: Scale of the reset noise.
        exclude_current_positions_from_observation: Leave the x and y positions out of the
            observation.
        include_cfrc_ext_in_observation: Put the contact forces in the observation.

    Raises:
        ValueError: On a non-positive `frame_skip`, a negative `reset_noise_scale` or a
            range that is not ``(low, high)`` with ``low < high``.
    """

    name: ClassVar[str] = "Ant-v5"
    contact_forces: ClassVar[bool] = True
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    forward_reward_weight: float = eqx.field(static=True)
    ctrl_cost_weight: float = eqx.field(static=True)
    contact_cost_weight: float = eqx.field(static=True)
    healthy_reward: float = eqx.field(static=True)
    terminate_when_unhealthy: bool = eqx.field(static=True)
    healthy_z_range: tuple[float, float] = eqx.field(static=True)
    contact_force_range: tuple[float, float] = eqx.field(static=True)
    reset_noise_scale: float = eqx.field(static=True)
    exclude_current_positions_from_observation: bool = eqx.field(static=True)
    include_cfrc_ext_in_observation: bool = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    model: Any
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        xml_file: str = "ant.xml",
        frame_skip: int = 5,
        forward_reward_weight: float = 1.0,
        ctrl_cost_weight: float = 0.5,
        contact_cost_weight: float = 5e-4,
        healthy_reward: float = 1.0,
        terminate_when_unhealthy: bool = True,
        healthy_z_range: tuple[float, float] = (0.2, 1.0),
        contact_force_range: tuple[float, float] = (-1.0, 1.0),
        reset_noise_scale: float = 0.1,
        exclude_current_positions_from_observation: bool = True,
        include_cfrc_ext_in_observation: bool = True,
    ):
        self.xml_file, self.frame_skip = xml_file, frame_skip
        self.forward_reward_weight = float(forward_reward_weight)
        self.ctrl_cost_weight = float(ctrl_cost_weight)
        self.contact_cost_weight = float(contact_cost_weight)
        self.healthy_reward = float(healthy_reward)
        self.terminate_when_unhealthy = bool(terminate_when_unhealthy)
        self.healthy_z_range = check_range(self.name, "healthy_z_range", healthy_z_range)
        self.contact_force_range = check_range(
            self.name, "contact_force_range", contact_force_range
        )
        self.reset_noise_scale = check_reset_noise_scale(self.name, reset_noise_scale)
        self.exclude_current_positions_from_observation = bool(
            exclude_current_positions_from_observation
        )
        self.include_cfrc_ext_in_observation = bool(include_cfrc_ext_in_observation)
        self.mj_model, self.model, self.action_space = load_model(self.name, xml_file, frame_skip)
        model = self.mj_model
        size = model.nq + model.nv - 2 * self.exclude_current_positions_from_observation
        size += 6 * (model.nbody - 1) * self.include_cfrc_ext_in_observation
        self.observation_space = Box(-jnp.inf, jnp.inf, (size,))

    def initial(self, *, key: Key) -> MujocoEnvState:
        return self.noisy_initial(key, self.reset_noise_scale, normal_velocities=True)

    def clipped_contact_forces(self, state: MujocoEnvState) -> Float[Array, "bodies 6"]:
        """Every body's contact forces (`cfrc_ext`) clipped to `contact_force_range`."""
        return jnp.clip(backend_field(state.data, "cfrc_ext"), *self.contact_force_range)

    def observation(self, state: MujocoEnvState, *, key: Key) -> Float[Array, " obs"]:
        data = state.data
        skip = 2 if self.exclude_current_positions_from_observation else 0
        parts = [data.qpos[skip:], data.qvel]
        if self.include_cfrc_ext_in_observation:
            parts.append(self.clipped_contact_forces(state)[1:].ravel())
        return jnp.concatenate(parts).astype(jnp.float32)

    def healthy(self, state: MujocoEnvState) -> Bool[Array, ""]:
        """Whether the ant is up: finite state and the torso's height in its range."""
        data = state.data
        low, high = self.healthy_z_range
        finite = jnp.all(jnp.isfinite(data.qpos)) & jnp.all(jnp.isfinite(data.qvel))
        return finite & (low <= data.qpos[2]) & (data.qpos[2] <= high)

    def reward(
        self,
        state: MujocoEnvState,
        action: Float[Array, " 8"],
        next_state: MujocoEnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        x_velocity = (next_state.data.xpos[_TORSO, 0] - state.data.xpos[_TORSO, 0]) / self.dt
        alive = self.healthy_bonus(next_state)
        ctrl_cost = self.ctrl_cost_weight * jnp.sum(jnp.square(jnp.asarray(action)))
        forces = self.clipped_contact_forces(next_state)
        contact_cost = self.contact_cost_weight * jnp.sum(jnp.square(forces))
        return self.forward_reward_weight * x_velocity + alive - ctrl_cost - contact_cost
