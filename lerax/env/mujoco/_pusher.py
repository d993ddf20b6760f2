"""Pusher-v5: a seven-jointed arm pushing a cylinder to a goal."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from ...render.mujoco_renderer import AbstractHasDefaultCamera, MujocoCamera
from ...space import Box
from ._terms import body_id, rejection_sample
from .base import AbstractMujocoEnv, MujocoEnvState, load_model


@final
class Pusher(AbstractMujocoEnv, AbstractHasDefaultCamera):
    """Gymnasium's `Pusher-v5` on MJX: a seven-jointed arm pushing a cylinder to a goal on
    a table.

    - Observation: `float32[23]`: the arm's seven joint angles and velocities, then the
      positions of the arm's tip, the object and the goal.
    - Action: `float32[7]` in ``[-2, 2]``, the torques of the arm's joints.
    - Reward: ``-reward_dist_weight * |object - goal| - reward_near_weight *
      |object - tip| - reward_control_weight * sum(action^2)``.
    - Termination: never; `make("Pusher-v5")` adds Gymnasium's 100-step time limit.
    - Reset: the arm at the model's initial positions, the goal at the origin, the object
      uniform in ``[-0.3, 0] x [-0.2, 0.2]`` (drawn again until it is more than 0.17
      from the goal), velocities uniform on ``[-0.005, 0.005]`` and the object's and
      goal's zero.

    Args:
        xml_file: The MJCF model (default: Gymnasium's `pusher_v5.xml`).
        frame_skip: Physics steps per environment step.
        reward_near_weight: Weight of the tip's distance to the object.
        reward_dist_weight: Weight of the object's distance to the goal.
        reward_control_weight: Weight of the control cost.

    Raises:
        ValueError: On a non-positive `frame_skip`.
    """

    name: ClassVar[str] = "Pusher-v5"
    contact_forces: ClassVar[bool] = False
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    reward_near_weight: float = eqx.field(static=True)
    reward_dist_weight: float = eqx.field(static=True)
    reward_control_weight: float = eqx.field(static=True)
    tip: int = eqx.field(static=True)
    object: int = eqx.field(static=True)
    goal: int = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    model: Any
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        xml_file: str = "pusher_v5.xml",
        frame_skip: int = 5,
        reward_near_weight: float = 0.5,
        reward_dist_weight: float = 1.0,
        reward_control_weight: float = 0.1,
    ):
        self.xml_file, self.frame_skip = xml_file, frame_skip
        self.reward_near_weight = float(reward_near_weight)
        self.reward_dist_weight = float(reward_dist_weight)
        self.reward_control_weight = float(reward_control_weight)
        self.mj_model, self.model, self.action_space = load_model(self.name, xml_file, frame_skip)
        self.tip = body_id(self.name, self.mj_model, "tips_arm")
        self.object = body_id(self.name, self.mj_model, "object")
        self.goal = body_id(self.name, self.mj_model, "goal")
        self.observation_space = Box(-jnp.inf, jnp.inf, (23,))

    def default_camera(self) -> MujocoCamera:
        """Gymnasium's view of the table: the free camera at distance 4."""
        return MujocoCamera(distance=4.0)

    def initial(self, *, key: Key) -> MujocoEnvState:
        object_key, qvel_key = jax.random.split(key)
        model = self.mj_model
        low, high = jnp.array([-0.3, -0.2]), jnp.array([0.0, 0.2])
        position = rejection_sample(
            object_key,
            lambda k: jax.random.uniform(k, (2,), jnp.float32, low, high),
            lambda p: jnp.linalg.norm(p) > 0.17,
        )
        qpos = jnp.asarray(model.qpos0, jnp.float32)
        qpos = qpos.at[-4:-2].set(position).at[-2:].set(0.0)
        qvel = jax.random.uniform(qvel_key, (model.nv,), jnp.float32, -0.005, 0.005)
        return self.with_state(qpos, qvel.at[-4:].set(0.0))

    def observation(self, state: MujocoEnvState, *, key: Key) -> Float[Array, " 23"]:
        data = state.data
        return jnp.concatenate(
            [
                data.qpos[:7],
                data.qvel[:7],
                data.xpos[self.tip],
                data.xpos[self.object],
                data.xpos[self.goal],
            ]
        ).astype(jnp.float32)

    def reward(
        self,
        state: MujocoEnvState,
        action: Float[Array, " 7"],
        next_state: MujocoEnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        xpos = next_state.data.xpos
        near = jnp.linalg.norm(xpos[self.object] - xpos[self.tip])
        distance = jnp.linalg.norm(xpos[self.object] - xpos[self.goal])
        control = jnp.sum(jnp.square(jnp.asarray(action)))
        return (
            -self.reward_dist_weight * distance
            - self.reward_near_weight * near
            - self.reward_control_weight * control
        )

    def terminal(self, state: MujocoEnvState, *, key: Key) -> Bool[Array, ""]:
        return jnp.array(False)
