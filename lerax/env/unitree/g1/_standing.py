"""G1Standing: stand in the standing pose, pushes and all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from ...._types import Array, Bool, Float, Key
from ....space import Box
from ._robot import G1Robot, robot_settings
from .base import AbstractG1PoseEnv, G1EnvState, action_space, squared, standing_pose


@final
class G1Standing(AbstractG1PoseEnv):
    """Keep the G1 standing in its standing pose while it is pushed.

    - Observation: `float32[96]`: the pelvis's linear and angular velocity in its own
      frame, gravity in the pelvis frame, joint angles minus the standing pose, joint
      velocities (each with uniform noise of `noise_level` times its `noise_scales` entry)
      and the last action.
    - Action: `float32[29]` in ``[-1, 1]``: joint targets ``standing pose + action_scale *
      action``, clipped to the soft joint limits, held by the position actuators.
    - Reward: ``reward_orientation_weight * upright + reward_joint_vel_weight * |dq|^2 +
      reward_pose_weight * |q - q0|^2 + reward_alive_weight + reward_termination_weight *
      fallen + reward_action_rate_weight * |a - a_prev|^2``, `upright` the cosine of the
      pelvis's tilt, `q0` the standing pose.
    - Termination: a fall (pelvis tilted over 60 degrees or below 0.35 m, or a non-finite
      state).
    - Reset: the standing pose (`keyframe_name`) with joint noise of 0.05 rad, a random
      heading, a freshly randomised model; pushes (`push_enable`) at intervals uniform on
      `push_interval_range` seconds of `push_magnitude_range` m/s.

    Args:
        xml_file: The G1 scene: `"scene_mjx.xml"` (the default) builds it from the G1 model
            the `mjlab` package ships; else the path of a G1 scene (e.g. MuJoCo Menagerie's).
        control_frequency_hz: Steps per second (dividing the 250 Hz simulation).
        action_scale: Radians of joint target per unit of action.
        keyframe_name: The model's keyframe the robot starts from and is held near.
        soft_joint_pos_limit_factor: The share of each joint's range its targets keep to.
        push_enable: Push the robot now and then.
        push_interval_range: Seconds between pushes.
        push_magnitude_range: Velocity of a push, m/s.
        noise_level: Scale of all observation noise.
        noise_scales: Noise of each component; `None` for `DEFAULT_NOISE_SCALES`.
        friction_range: Floor-foot sliding friction of an episode.
        friction_loss_scale_range: Scale of the joints' friction loss.
        armature_scale_range: Scale of the joints' armature.
        mass_scale_range: Scale of the bodies' masses.
        torso_offset_range: Mass added to the torso, kg.
        reward_orientation_weight: Weight of uprightness.
        reward_joint_vel_weight: Weight of the joint velocities' squares.
        reward_pose_weight: Weight of the squared distance to the standing pose.
        reward_alive_weight: Reward of every step.
        reward_termination_weight: Reward of a fall.
        reward_action_rate_weight: Weight of the squared change of action.

    Raises:
        ImportError: Without mujoco/mujoco-mjx, or without `mjlab` for the default scene.
        ValueError: On a setting out of its range.
    """

    name: ClassVar[str] = "G1Standing"
    robot: G1Robot
    reward_orientation_weight: float = eqx.field(static=True)
    reward_joint_vel_weight: float = eqx.field(static=True)
    reward_pose_weight: float = eqx.field(static=True)
    reward_alive_weight: float = eqx.field(static=True)
    reward_termination_weight: float = eqx.field(static=True)
    reward_action_rate_weight: float = eqx.field(static=True)
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        xml_file: str = "scene_mjx.xml",
        control_frequency_hz: float = 50.0,
        action_scale: float = 0.5,
        keyframe_name: str = "knees_bent",
        soft_joint_pos_limit_factor: float = 0.95,
        push_enable: bool = True,
        push_interval_range: tuple[float, float] = (5.0, 10.0),
        push_magnitude_range: tuple[float, float] = (0.1, 2.0),
        noise_level: float = 1.0,
        noise_scales: Mapping[str, float] | None = None,
        friction_range: tuple[float, float] = (0.4, 1.0),
        friction_loss_scale_range: tuple[float, float] = (0.5, 2.0),
        armature_scale_range: tuple[float, float] = (1.0, 1.05),
        mass_scale_range: tuple[float, float] = (0.9, 1.1),
        torso_offset_range: tuple[float, float] = (-1.0, 1.0),
        reward_orientation_weight: float = 2.0,
        reward_joint_vel_weight: float = -0.1,
        reward_pose_weight: float = -0.5,
        reward_alive_weight: float = 1.0,
        reward_termination_weight: float = -100.0,
        reward_action_rate_weight: float = -0.01,
    ):
        self.reward_orientation_weight = float(reward_orientation_weight)
        self.reward_joint_vel_weight = float(reward_joint_vel_weight)
        self.reward_pose_weight = float(reward_pose_weight)
        self.reward_alive_weight = float(reward_alive_weight)
        self.reward_termination_weight = float(reward_termination_weight)
        self.reward_action_rate_weight = float(reward_action_rate_weight)
        self.robot = G1Robot(**robot_settings(locals()))
        self.action_space = action_space()
        self.observation_space = Box(-jnp.inf, jnp.inf, (96,))

    def initial_pose(self, key: Key) -> tuple[Float[Array, " 36"], Float[Array, " 35"]]:
        return standing_pose(self.robot, key, noise=0.05)

    def task_observation(self, state: G1EnvState) -> Float[Array, " 0"]:
        return jnp.zeros(0, jnp.float32)

    def reward(
        self,
        state: G1EnvState,
        action: Float[Array, " 29"],
        next_state: G1EnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        robot, data = self.robot, next_state.sim_state
        upright = -robot.gravity(data)[2]
        return (
            self.reward_orientation_weight * upright
            + self.reward_joint_vel_weight * squared(data.qvel[6:])
            + self.reward_pose_weight * squared(data.qpos[7:] - robot.default_pose)
            + self.reward_alive_weight
            + self.reward_termination_weight * robot.fallen(data)
            + self.reward_action_rate_weight * squared(jnp.asarray(action) - state.last_action)
        )

    def terminal(self, state: G1EnvState, *, key: Key) -> Bool[Array, ""]:
        return self.robot.fallen(state.sim_state)
