"""Hopper-v5: a one-legged planar hopper."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool
from ...space import Box
from ._planar_walker import AbstractPlanarWalkerEnv
from ._terms import between, check_range
from .base import MujocoEnvState, check_reset_noise_scale, load_model


@final
class Hopper(AbstractPlanarWalkerEnv):
    """Gymnasium's `Hopper-v5` on MJX: a planar one-legged robot hopping forward along x.

    - Observation: `float32[11]` (`float32[12]` with the x position included): ``qpos[1:]``
      and ``qvel`` clipped to ``[-10, 10]``.
    - Action: `float32[3]` in ``[-1, 1]``, the torques of the thigh, leg and foot joints.
    - Reward: ``forward_reward_weight * x_velocity + healthy_reward * healthy -
      ctrl_cost_weight * sum(action^2)``, the velocity being the torso's x displacement
      over one step divided by `dt`.
    - Healthy: the height ``qpos[1]`` strictly inside `healthy_z_range`, the torso angle
      ``qpos[2]`` strictly inside `healthy_angle_range`, and every other position and
      velocity (``concat(qpos, qvel)[2:]``) strictly inside `healthy_state_range`.
    - Termination: not healthy, when `terminate_when_unhealthy`; `make("Hopper-v5")` adds
      Gymnasium's 1,000-step time limit.
    - Reset: the model's initial positions and zero velocities plus uniform noise on
      ``[-reset_noise_scale, reset_noise_scale]``.

    Args:
        xml_file: The MJCF model (default: Gymnasium's `hopper.xml`).
        frame_skip: Physics steps per environment step.
        forward_reward_weight: Weight of the forward velocity.
        ctrl_cost_weight: Weight of the control cost.
        healthy_reward: Reward for every healthy step.
        terminate_when_unhealthy: End the episode when the hopper is not healthy.
        healthy_state_range: Bounds of the positions and velocities after the first two.
        healthy_z_range: Bounds of the torso's height.
        healthy_angle_range: Bounds of the torso's angle.
        reset_noise_scale: Scale of the reset noise.
        exclude_current_positions_from_observation: Leave the x position out of the
            observation.

    Raises:
        ValueError: On a non-positive `frame_skip`, a negative `reset_noise_scale` or a
            range that is not ``(low, high)`` with ``low < high``.
    """

    name: ClassVar[str] = "Hopper-v5"
    contact_forces: ClassVar[bool] = False
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    forward_reward_weight: float = eqx.field(static=True)
    ctrl_cost_weight: float = eqx.field(static=True)
    healthy_reward: float = eqx.field(static=True)
    terminate_when_unhealthy: bool = eqx.field(static=True)
    healthy_state_range: tuple[float, float] = eqx.field(static=True)
    healthy_z_range: tuple[float, float] = eqx.field(static=True)
    healthy_angle_range: tuple[float, float] = eqx.field(static=True)
    reset_noise_scale: float = eqx.field(static=True)
    exclude_current_positions_from_observation: bool = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    model: Any
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        xml_file: str = "hopper.xml",
        frame_skip: int = 4,
        forward_reward_weight: float = 1.0,
        ctrl_cost_weight: float = 1e-3,
        healthy_reward: float = 1.0,
        terminate_when_unhealthy: bool = True,
        healthy_state_range: tuple[float, float] = (-100.0, 100.0),
        healthy_z_range: tuple[float, float] = (0.7, float("inf")),
        healthy_angle_range: tuple[float, float] = (-0.2, 0.2),
        reset_noise_scale: float = 5e-3,
        exclude_current_positions_from_observation: bool = True,
    ):
        self.xml_file, self.frame_skip = xml_file, frame_skip
        self.forward_reward_weight = float(forward_reward_weight)
        self.ctrl_cost_weight = float(ctrl_cost_weight)
        self.healthy_reward = float(healthy_reward)
        self.terminate_when_unhealthy = bool(terminate_when_unhealthy)
        self.healthy_state_range = check_range(
            self.name, "healthy_state_range", healthy_state_range
        )
        self.healthy_z_range = check_range(self.name, "healthy_z_range", healthy_z_range)
        self.healthy_angle_range = check_range(
            self.name, "healthy_angle_range", healthy_angle_range
        )
        self.reset_noise_scale = check_reset_noise_scale(self.name, reset_noise_scale)
        self.exclude_current_positions_from_observation = bool(
            exclude_current_positions_from_observation
        )
        self.mj_model, self.model, self.action_space = load_model(self.name, xml_file, frame_skip)
        size = self.mj_model.nq + self.mj_model.nv
        size -= int(self.exclude_current_positions_from_observation)
        self.observation_space = Box(-jnp.inf, jnp.inf, (size,))

    def healthy(self, state: MujocoEnvState) -> Bool[Array, ""]:
        """Whether the hopper stands: height, angle and the other states in their ranges."""
        data = state.data
        rest = jnp.concatenate([data.qpos, data.qvel])[2:]
        return (
            between(data.qpos[1], self.healthy_z_range)
            & between(data.qpos[2], self.healthy_angle_range)
            & between(rest, self.healthy_state_range)
        )
