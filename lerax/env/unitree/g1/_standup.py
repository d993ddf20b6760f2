"""G1Standup: get up from lying on the floor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp

from ...._types import Array, Bool, Float, Key
from ....space import Box
from ._robot import G1Robot, robot_settings
from .base import AbstractG1PoseEnv, G1EnvState, action_space, squared

_DROP_HEIGHT = 0.5


@final
class G1Standup(AbstractG1PoseEnv):
    """Get the G1 up from lying on its back or front.

    - Observation: `float32[97]`: the pelvis's linear and angular velocity in its own
      frame, gravity in the pelvis frame, joint angles minus the standing pose, joint
      velocities (each with uniform noise of `noise_level` times its `noise_scales` entry),
      the last action and the pelvis's height.
    - Action: `float32[29]` in ``[-1, 1]``: joint targets ``standing pose + action_scale *
      action``, clipped to the soft joint limits, held by the position actuators.
    - Reward: ``height_weight * pelvis height + orientation_weight * upright -
      ctrl_cost_weight * |a|^2``, `upright` the cosine of the pelvis's tilt.
    - Termination: never (a time limit ends episodes).
    - Reset: the robot lying on its back or its front (each half the time), its heading
      uniform, its joints at the standing pose with uniform noise of 0.2 rad, dropped from
      0.5 m; a freshly randomised model. Pushes only with `push_enable` (off by default).

    Args:
        xml_file: The G1 scene: `"scene_mjx.xml"` (the default) builds it from the G1 model
            the `mjlab` package ships; else the path of a G1 scene (e.g. MuJoCo Menagerie's).
        control_frequency_hz: Steps per second (dividing the 250 Hz simulation).
        action_scale: Radians of joint target per unit of action.
        keyframe_name: The model's keyframe whose pose the actions are offsets from.
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
        height_weight: Weight of the pelvis's height (m).
        ctrl_cost_weight: Weight of the squared action.
        orientation_weight: Weight of uprightness.

    Raises:
        ImportError: Without mujoco/mujoco-mjx, or without `mjlab` for the default scene.
        ValueError: On a setting out of its range.
    """

    name: ClassVar[str] = "G1Standup"
    robot: G1Robot
    height_weight: float = eqx.field(static=True)
    ctrl_cost_weight: float = eqx.field(static=True)
    orientation_weight: float = eqx.field(static=True)
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
        push_enable: bool = False,
        push_interval_range: tuple[float, float] = (5.0, 10.0),
        push_magnitude_range: tuple[float, float] = (0.1, 2.0),
        noise_level: float = 1.0,
        noise_scales: Mapping[str, float] | None = None,
        friction_range: tuple[float, float] = (0.4, 1.0),
        friction_loss_scale_range: tuple[float, float] = (0.5, 2.0),
        armature_scale_range: tuple[float, float] = (1.0, 1.05),
        mass_scale_range: tuple[float, float] = (0.9, 1.1),
        torso_offset_range: tuple[float, float] = (-1.0, 1.0),
        height_weight: float = 1.0,
        ctrl_cost_weight: float = 0.1,
        orientation_weight: float = 0.5,
    ):
        self.height_weight = float(height_weight)
        self.ctrl_cost_weight = float(ctrl_cost_weight)
        self.orientation_weight = float(orientation_weight)
        self.robot = G1Robot(**robot_settings(locals()))
        self.action_space = action_space()
        self.observation_space = Box(-jnp.inf, jnp.inf, (97,))

    def initial_pose(self, key: Key) -> tuple[Float[Array, " 36"], Float[Array, " 35"]]:
        side_key, yaw_key, joint_key = jax.random.split(key, 3)
        robot = self.robot
        # Lying: the pelvis's x axis (its front) up (on the back) or down (on the front).
        pitch = jnp.where(jax.random.bernoulli(side_key), -jnp.pi / 2, jnp.pi / 2)
        yaw = jax.random.uniform(yaw_key, (), jnp.float32, -jnp.pi, jnp.pi)
        heading = jnp.array([jnp.cos(yaw / 2), 0.0, 0.0, jnp.sin(yaw / 2)])
        tilt = jnp.array([jnp.cos(pitch / 2), 0.0, jnp.sin(pitch / 2), 0.0])
        quat = _quat_multiply(heading, tilt)
        joints = robot.default_pose + jax.random.uniform(joint_key, (29,), jnp.float32, -0.2, 0.2)
        joints = jnp.clip(joints, robot.joint_low, robot.joint_high)
        position = jnp.array([0.0, 0.0, _DROP_HEIGHT])
        return jnp.concatenate([position, quat, joints]), jnp.zeros(35, jnp.float32)

    def task_observation(self, state: G1EnvState) -> Float[Array, " 1"]:
        return state.sim_state.qpos[2:3].astype(jnp.float32)

    def reward(
        self,
        state: G1EnvState,
        action: Float[Array, " 29"],
        next_state: G1EnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        data = next_state.sim_state
        upright = -self.robot.gravity(data)[2]
        return (
            self.height_weight * data.qpos[2]
            + self.orientation_weight * upright
            - self.ctrl_cost_weight * squared(jnp.asarray(action))
        )

    def terminal(self, state: G1EnvState, *, key: Key) -> Bool[Array, ""]:
        return jnp.array(False)


def _quat_multiply(p: Float[Array, " 4"], q: Float[Array, " 4"]) -> Float[Array, " 4"]:
    """The Hamilton product ``p q`` of two ``(w, x, y, z)`` quaternions."""
    pw, pv, qw, qv = p[0], p[1:], q[0], q[1:]
    return jnp.concatenate([(pw * qw - pv @ qv)[None], pw * qv + qw * pv + jnp.cross(pv, qv)])
