"""G1Locomotion: walk at a commanded velocity, stepping to a gait clock."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp

from ...._types import Array, Bool, Float, Key
from ....space import Box
from ._robot import G1Robot, _range, robot_settings
from .base import AbstractG1Env, G1EnvState, action_space, squared, standing_pose
from .gait import desired_foot_height, gait_phase_observation

#: The reward terms of `G1Locomotion` and their default weights.
DEFAULT_REWARD_WEIGHTS = {
    "tracking_lin_vel": 1.0,
    "tracking_ang_vel": 0.75,
    "ang_vel_xy": -0.15,
    "orientation": -2.0,
    "action_rate": -0.01,
    "feet_phase": 1.0,
    "feet_air_time": 2.0,
    "feet_slip": -0.25,
    "stand_still": -1.0,
    "pose": -0.1,
    "dof_pos_limits": -1.0,
    "termination": -1.0,
}


@final
class G1Locomotion(AbstractG1Env):
    """Walk the G1 at a commanded velocity, the feet following a gait clock (MuJoCo
    Playground's G1 joystick task, in outline).

    - Observation: `float32[103]`: the pelvis's linear velocity and angular velocity (its
      gyro) in its own frame, gravity in the pelvis frame, joint angles minus the standing
      pose, joint velocities (each with uniform noise of `noise_level` times its
      `noise_scales` entry), the last action, the command ``(v_x, v_y, yaw rate)`` and the
      gait phases as ``(cos, cos, sin, sin)``.
    - Action: `float32[29]` in ``[-1, 1]``: joint targets ``standing pose + action_scale *
      action``, clipped to the soft joint limits, held by the position actuators.
    - Command: ``v_x, v_y, yaw rate`` uniform on their ranges (all zero with
      `zero_command_probability`), drawn at the reset and every `command_resample_steps`
      steps; the gait frequency uniform on `gait_frequency_range`, drawn at the reset.
    - Reward: ``sum(weight * term)`` over `DEFAULT_REWARD_WEIGHTS` (`reward_weights`
      replaces any of them). Terms: `tracking_lin_vel` ``exp(-|cmd_xy - v_xy|^2 /
      tracking_sigma)`` and `tracking_ang_vel` ``exp(-(cmd_yaw - w_z)^2 /
      tracking_sigma)`` (the task); `ang_vel_xy` ``|w_xy|^2`` and `orientation` ``|g_xy|^2``
      (stay upright and steady); `action_rate` ``|a - a_prev|^2`` (smooth actions);
      `feet_phase` ``exp(-|z_feet - h(phase)|^2 / 0.01)``, `h` the swing height of
      `gait.desired_foot_height` up to `max_foot_height` (step to the clock);
      `feet_air_time` ``sum(min(air_time - 0.2, 0.3))`` over the feet touching down when the
      command is not near zero (long steps); `feet_slip` ``|v_foot_xy|^2`` of feet on the
      floor; `stand_still` ``sum|q - q0|`` when the command is near zero (stand still
      then); `pose` ``|q - q0|^2`` (stay near the standing pose); `dof_pos_limits` the
      distance past the soft joint limits; `termination` 1 on a fall.
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
        noise_scales: Noise of each component (`linvel`, `gyro`, `gravity`, `joint_pos`,
            `joint_vel`); `None` for `DEFAULT_NOISE_SCALES`.
        friction_range: Floor-foot sliding friction of an episode.
        friction_loss_scale_range: Scale of the joints' friction loss.
        armature_scale_range: Scale of the joints' armature.
        mass_scale_range: Scale of the bodies' masses.
        torso_offset_range: Mass added to the torso, kg.
        lin_vel_x_range: Forward velocity commands, m/s.
        lin_vel_y_range: Sideways velocity commands, m/s.
        ang_vel_yaw_range: Turning rate commands, rad/s.
        gait_frequency_range: Gait cycles per second.
        zero_command_probability: Chance of the zero command (stand still).
        tracking_sigma: Width of the tracking rewards.
        max_foot_height: Swing height of the feet, m.
        reward_weights: Weights replacing some of `DEFAULT_REWARD_WEIGHTS`.
        command_resample_steps: Steps between new commands.

    Raises:
        ImportError: Without mujoco/mujoco-mjx, or without `mjlab` for the default scene.
        ValueError: On a setting out of its range or an unknown reward term.
    """

    name: ClassVar[str] = "G1Locomotion"
    robot: G1Robot
    lin_vel_x_range: tuple[float, float] = eqx.field(static=True)
    lin_vel_y_range: tuple[float, float] = eqx.field(static=True)
    ang_vel_yaw_range: tuple[float, float] = eqx.field(static=True)
    gait_frequency_range: tuple[float, float] = eqx.field(static=True)
    zero_command_probability: float = eqx.field(static=True)
    tracking_sigma: float = eqx.field(static=True)
    max_foot_height: float = eqx.field(static=True)
    reward_weights: tuple[tuple[str, float], ...] = eqx.field(static=True)
    command_resample_steps: int = eqx.field(static=True)
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
        lin_vel_x_range: tuple[float, float] = (-1.0, 1.0),
        lin_vel_y_range: tuple[float, float] = (-0.5, 0.5),
        ang_vel_yaw_range: tuple[float, float] = (-1.0, 1.0),
        gait_frequency_range: tuple[float, float] = (1.25, 1.5),
        zero_command_probability: float = 0.1,
        tracking_sigma: float = 0.25,
        max_foot_height: float = 0.15,
        reward_weights: Mapping[str, float] | None = None,
        command_resample_steps: int = 500,
    ):
        weights = dict(DEFAULT_REWARD_WEIGHTS)
        unknown = sorted(set(reward_weights or {}) - set(weights))
        if unknown:
            raise ValueError(
                f"G1Locomotion: unknown reward terms {unknown}; the terms are "
                f"{sorted(DEFAULT_REWARD_WEIGHTS)}"
            )
        weights.update({name: float(value) for name, value in (reward_weights or {}).items()})
        if not 0 <= zero_command_probability <= 1:
            raise ValueError(
                "G1Locomotion: zero_command_probability must be in [0, 1], got "
                f"{zero_command_probability!r}"
            )
        if not tracking_sigma > 0 or not max_foot_height > 0:
            raise ValueError(
                "G1Locomotion: tracking_sigma and max_foot_height must be > 0, got "
                f"{tracking_sigma!r} and {max_foot_height!r}"
            )
        if isinstance(command_resample_steps, bool) or not (
            isinstance(command_resample_steps, int) and command_resample_steps >= 1
        ):
            raise ValueError(
                "G1Locomotion: command_resample_steps must be a positive int, got "
                f"{command_resample_steps!r}"
            )
        self.lin_vel_x_range = _range("lin_vel_x_range", lin_vel_x_range)
        self.lin_vel_y_range = _range("lin_vel_y_range", lin_vel_y_range)
        self.ang_vel_yaw_range = _range("ang_vel_yaw_range", ang_vel_yaw_range)
        self.gait_frequency_range = _range(
            "gait_frequency_range", gait_frequency_range, positive=True
        )
        self.zero_command_probability = float(zero_command_probability)
        self.tracking_sigma, self.max_foot_height = float(tracking_sigma), float(max_foot_height)
        self.reward_weights = tuple(weights.items())
        self.command_resample_steps = command_resample_steps
        self.robot = G1Robot(**robot_settings(locals()))
        self.action_space = action_space()
        self.observation_space = Box(-jnp.inf, jnp.inf, (103,))

    def initial_pose(self, key: Key) -> tuple[Float[Array, " 36"], Float[Array, " 35"]]:
        return standing_pose(self.robot, key, noise=0.05)

    def sample_command(self, key: Key) -> Float[Array, " 3"]:
        """A command uniform on the ranges, or zero with `zero_command_probability`."""
        keys = jax.random.split(key, 4)
        ranges = (self.lin_vel_x_range, self.lin_vel_y_range, self.ang_vel_yaw_range)
        command = jnp.stack(
            [jax.random.uniform(k, (), jnp.float32, *bounds) for k, bounds in zip(keys, ranges)]
        )
        zero = jax.random.uniform(keys[3]) < self.zero_command_probability
        return jnp.where(zero, 0.0, command)

    def initial_command(self, key: Key) -> tuple[Float[Array, " 3"], Float[Array, ""]]:
        command_key, frequency_key = jax.random.split(key)
        frequency = jax.random.uniform(frequency_key, (), jnp.float32, *self.gait_frequency_range)
        return self.sample_command(command_key), frequency

    def next_command(self, state: G1EnvState, key: Key) -> Float[Array, " 3"]:
        due = state.step_count % self.command_resample_steps == 0
        return jnp.where(due, self.sample_command(key), state.command)

    def task_observation(self, state: G1EnvState) -> Float[Array, " 7"]:
        return jnp.concatenate([state.command, gait_phase_observation(state.gait_phase)])

    def moving(self, state: G1EnvState) -> Bool[Array, ""]:
        """Whether the command asks for motion (its norm at least 0.1)."""
        return jnp.linalg.norm(state.command) >= 0.1

    def reward_terms(
        self, state: G1EnvState, action: Float[Array, " 29"], next_state: G1EnvState
    ) -> dict[str, Float[Array, ""]]:
        """Every reward term (unweighted) of the step from `state` to `next_state`."""
        robot, data = self.robot, next_state.sim_state
        command = state.command
        velocity, gyro, gravity = robot.local_linvel(data), robot.gyro(data), robot.gravity(data)
        pose_error = data.qpos[7:] - robot.default_pose
        feet = robot.feet_position(data)
        feet_velocity = (feet - robot.feet_position(state.sim_state)) / self.dt
        slip = jnp.sum(jnp.square(feet_velocity[:, :2]), axis=-1) * next_state.last_contact
        desired = desired_foot_height(next_state.gait_phase, self.max_foot_height)
        touchdown = self.first_contact(state, next_state)
        air_time = jnp.minimum(state.feet_air_time + self.dt - 0.2, 0.3)
        joints = data.qpos[7:]
        beyond = jnp.maximum(robot.joint_low - joints, 0.0) + jnp.maximum(
            joints - robot.joint_high, 0.0
        )
        return {
            "tracking_lin_vel": jnp.exp(-squared(command[:2] - velocity[:2]) / self.tracking_sigma),
            "tracking_ang_vel": jnp.exp(-jnp.square(command[2] - gyro[2]) / self.tracking_sigma),
            "ang_vel_xy": squared(gyro[:2]),
            "orientation": squared(gravity[:2]),
            "action_rate": squared(jnp.asarray(action) - state.last_action),
            "feet_phase": jnp.exp(-squared(feet[:, 2] - desired) / 0.01),
            "feet_air_time": jnp.sum(air_time * touchdown) * self.moving(state),
            "feet_slip": jnp.sum(slip),
            "stand_still": jnp.sum(jnp.abs(pose_error)) * ~self.moving(state),
            "pose": squared(pose_error),
            "dof_pos_limits": jnp.sum(beyond),
            "termination": robot.fallen(data).astype(jnp.float32),
        }

    def reward(
        self,
        state: G1EnvState,
        action: Float[Array, " 29"],
        next_state: G1EnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        terms = self.reward_terms(state, action, next_state)
        return jnp.sum(jnp.stack([weight * terms[name] for name, weight in self.reward_weights]))

    def terminal(self, state: G1EnvState, *, key: Key) -> Bool[Array, ""]:
        return self.robot.fallen(state.sim_state)
