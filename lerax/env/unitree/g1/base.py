"""The base of the G1 tasks: the state, the step, the shared observation and drawing."""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
import abc
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp

from ...._types import Array, Bool, Float, Int, Key
from ....render.base import AbstractRenderer
from ....render.mujoco_renderer import MujocoRenderer, model_camera
from ....space import Box
from ...base import AbstractEnv, AbstractEnvState
from ...mujoco.base import draw
from ._robot import G1Robot
from .gait import advance_gait_phase, initial_gait_phase


@final
class G1EnvState(AbstractEnvState):
    """State of a G1 task.

    Attributes:
        sim_state: MJX's `Data` of the simulation.
        t: Seconds since the episode began or the robot was last pushed.
        model: The episode's MJX model: friction, friction loss, armature and body masses
            drawn at the reset (domain randomisation); the rest is the robot's.
        last_action: The action of the last step.
        last_last_action: The action of the step before.
        gait_phase: The feet's gait phases (left, right) in ``[-pi, pi)``.
        gait_frequency: Gait cycles per second (0 in the tasks without a gait).
        command: The velocity command ``(v_x, v_y, yaw rate)`` in the pelvis frame (zeros in
            the tasks without commands).
        step_count: Steps since the episode began.
        feet_air_time: Seconds each foot has been off the floor.
        last_contact: Whether each foot touched the floor after the last step.
    """

    sim_state: Any
    t: Float[Array, ""]
    model: Any
    last_action: Float[Array, " 29"]
    last_last_action: Float[Array, " 29"]
    gait_phase: Float[Array, " 2"]
    gait_frequency: Float[Array, ""]
    command: Float[Array, " 3"]
    step_count: Int[Array, ""]
    feet_air_time: Float[Array, " 2"]
    last_contact: Bool[Array, " 2"]


class AbstractG1Env(AbstractEnv[G1EnvState, Float[Array, " 29"], Float[Array, " obs"], None]):
    """A task for Unitree's G1 humanoid (29 joints) on MJX: jittable and vmappable.

    Shared here: the robot (`G1Robot`: the model, the position targets ``default_pose +
    action_scale * action`` clipped to the soft joint limits, pushes, noise), a fresh
    randomised model at every reset, the step (the physics at `control_frequency_hz`, then
    pushes, the gait clock, the feet's contact and air time, the command), the
    proprioceptive observation and drawing. A task implements its start (`initial_pose`),
    its commands (`initial_command`, `next_command`), the rest of its observation
    (`task_observation`), `reward` and `terminal`.

    Attributes:
        robot: The robot and the settings every G1 task shares.
    """

    robot: eqx.AbstractVar[G1Robot]

    @property
    def dt(self) -> float:
        """Seconds per step: ``1 / control_frequency_hz``."""
        return self.robot.dt

    @property
    def mj_model(self) -> Any:
        """The host `mujoco.MjModel`, with the meshes to draw."""
        return self.robot.mj_model

    @abc.abstractmethod
    def initial_pose(self, key: Key) -> tuple[Float[Array, " 36"], Float[Array, " 35"]]:
        """The `(qpos, qvel)` an episode starts from."""

    @abc.abstractmethod
    def initial_command(self, key: Key) -> tuple[Float[Array, " 3"], Float[Array, ""]]:
        """The command and gait frequency an episode starts with."""

    @abc.abstractmethod
    def next_command(self, state: G1EnvState, key: Key) -> Float[Array, " 3"]:
        """The command after the step that led to `state`."""

    @abc.abstractmethod
    def task_observation(self, state: G1EnvState) -> Float[Array, " extra"]:
        """What the task adds to the proprioceptive observation."""

    def initial(self, *, key: Key) -> G1EnvState:
        model_key, pose_key, command_key = jax.random.split(key, 3)
        model = self.robot.randomized_model(model_key)
        qpos, qvel = self.initial_pose(pose_key)
        data = self.robot.settle(model, qpos, qvel)
        command, frequency = self.initial_command(command_key)
        zeros = jnp.zeros(29, jnp.float32)
        return G1EnvState(
            sim_state=data,
            t=jnp.zeros((), jnp.float32),
            model=model,
            last_action=zeros,
            last_last_action=zeros,
            gait_phase=initial_gait_phase(),
            gait_frequency=jnp.asarray(frequency, jnp.float32),
            command=jnp.asarray(command, jnp.float32),
            step_count=jnp.zeros((), jnp.int32),
            feet_air_time=jnp.zeros(2, jnp.float32),
            last_contact=self.robot.feet_contact(data),
        )

    def transition(self, state: G1EnvState, action: Float[Array, " 29"], *, key: Key) -> G1EnvState:
        push_key, command_key = jax.random.split(key)
        action = jnp.asarray(action, jnp.float32).reshape(29)
        data = self.robot.simulate(state.model, state.sim_state, action)
        data, since_push = self.robot.push(data, state.t, push_key)
        contact = self.robot.feet_contact(data)
        air_time = jnp.where(contact, 0.0, state.feet_air_time + self.dt)
        stepped = eqx.tree_at(
            lambda s: (
                s.sim_state,
                s.t,
                s.last_action,
                s.last_last_action,
                s.gait_phase,
                s.step_count,
                s.feet_air_time,
                s.last_contact,
            ),
            state,
            (
                data,
                since_push,
                action,
                state.last_action,
                advance_gait_phase(state.gait_phase, state.gait_frequency, self.dt),
                state.step_count + 1,
                air_time,
                contact,
            ),
        )
        return eqx.tree_at(lambda s: s.command, stepped, self.next_command(stepped, command_key))

    def observation(self, state: G1EnvState, *, key: Key) -> Float[Array, " obs"]:
        proprioception = self.robot.proprioception(state.sim_state, state.last_action, key)
        return jnp.concatenate([proprioception, self.task_observation(state)])

    def first_contact(self, state: G1EnvState, next_state: G1EnvState) -> Bool[Array, " 2"]:
        """The feet that touched down in the step from `state` to `next_state`."""
        return next_state.last_contact & ~state.last_contact

    def render(self, state: G1EnvState, renderer: AbstractRenderer) -> None:
        """Draw `state` as one frame of a MuJoCo renderer (`lerax.render.mujoco_renderer`).

        Raises:
            TypeError: If `renderer` is not an `AbstractMujocoRenderer`.
        """
        draw(self.name, self.mj_model, state.sim_state, renderer)

    def default_renderer(self) -> MujocoRenderer:
        """A 480 x 480 `MujocoRenderer` at the control frequency, seen from the model's
        `tracking` camera (it follows the robot) where the model has one."""
        camera = model_camera(self.mj_model, "tracking")
        return MujocoRenderer(480, 480, camera, fps=1.0 / self.dt)


def action_space() -> Box:
    """The G1 tasks' action space: 29 joint-target offsets in ``[-1, 1]``."""
    return Box(-jnp.ones(29, jnp.float32), jnp.ones(29, jnp.float32))


def standing_pose(
    robot: G1Robot, key: Key, noise: float = 0.0
) -> tuple[Float[Array, " 36"], Float[Array, " 35"]]:
    """The keyframe's pose with uniform noise on ``[-noise, noise]`` on the joint angles
    and a heading uniform on ``[-pi, pi)``; zero velocities."""
    joint_key, yaw_key = jax.random.split(key)
    qpos = robot.keyframe_qpos
    joints = qpos[7:] + jax.random.uniform(joint_key, (29,), jnp.float32, -noise, noise)
    joints = jnp.clip(joints, robot.joint_low, robot.joint_high)
    yaw = jax.random.uniform(yaw_key, (), jnp.float32, -jnp.pi, jnp.pi)
    quat = jnp.array([jnp.cos(yaw / 2), 0.0, 0.0, jnp.sin(yaw / 2)])
    return jnp.concatenate([qpos[:3], quat, joints]), jnp.zeros(35, jnp.float32)


def squared(x: Float[Array, "..."]) -> Float[Array, ""]:
    """``sum(x^2)``."""
    return jnp.sum(jnp.square(x))


class AbstractG1PoseEnv(AbstractG1Env):
    """A G1 task without velocity commands or gait: its command and gait frequency stay
    zero (so the gait clock stands still)."""

    def initial_command(self, key: Key) -> tuple[Float[Array, " 3"], Float[Array, ""]]:
        return jnp.zeros(3, jnp.float32), jnp.zeros((), jnp.float32)

    def next_command(self, state: G1EnvState, key: Key) -> Float[Array, " 3"]:
        return state.command
