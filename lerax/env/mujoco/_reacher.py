"""Reacher-v5: a two-jointed arm reaching for a target."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from ...space import Box
from ._terms import body_id, rejection_sample
from .base import AbstractMujocoEnv, MujocoEnvState, load_model


@final
class Reacher(AbstractMujocoEnv):
    """Gymnasium's `Reacher-v5` on MJX: a planar two-jointed arm moving its fingertip to a
    randomly placed target.

    - Observation: `float32[10]`: cosine and sine of the two joint angles, the target's
      position, the two joints' velocities and the fingertip's offset from the target in
      x and y.
    - Action: `float32[2]` in ``[-1, 1]``, the torques of the two joints.
    - Reward: ``-reward_dist_weight * |fingertip - target| -
      reward_control_weight * sum(action^2)``.
    - Termination: never; `make("Reacher-v5")` adds Gymnasium's 50-step time limit.
    - Reset: the model's initial positions plus uniform noise on ``[-0.1, 0.1]``, the
      target uniform in the disc of radius 0.2 (drawn in the square until it lands in the
      disc), velocities uniform on ``[-0.005, 0.005]`` and the target's zero.

    Args:
        xml_file: The MJCF model (default: Gymnasium's `reacher.xml`).
        frame_skip: Physics steps per environment step.
        reward_dist_weight: Weight of the fingertip's distance to the target.
        reward_control_weight: Weight of the control cost.

    Raises:
        ValueError: On a non-positive `frame_skip`.
    """

    name: ClassVar[str] = "Reacher-v5"
    contact_forces: ClassVar[bool] = False
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    reward_dist_weight: float = eqx.field(static=True)
    reward_control_weight: float = eqx.field(static=True)
    fingertip: int = eqx.field(static=True)
    target: int = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    model: Any
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        xml_file: str = "reacher.xml",
        frame_skip: int = 2,
        reward_dist_weight: float = 1.0,
        reward_control_weight: float = 1.0,
    ):
        self.xml_file, self.frame_skip = xml_file, frame_skip
        self.reward_dist_weight = float(reward_dist_weight)
        self.reward_control_weight = float(reward_control_weight)
        self.mj_model, self.model, self.action_space = load_model(self.name, xml_file, frame_skip)
        self.fingertip = body_id(self.name, self.mj_model, "fingertip")
        self.target = body_id(self.name, self.mj_model, "target")
        self.observation_space = Box(-jnp.inf, jnp.inf, (10,))

    def initial(self, *, key: Key) -> MujocoEnvState:
        qpos_key, goal_key, qvel_key = jax.random.split(key, 3)
        model = self.mj_model
        qpos = jnp.asarray(model.qpos0, jnp.float32)
        qpos = qpos + jax.random.uniform(qpos_key, (model.nq,), jnp.float32, -0.1, 0.1)
        goal = rejection_sample(
            goal_key,
            lambda k: jax.random.uniform(k, (2,), jnp.float32, -0.2, 0.2),
            lambda g: jnp.linalg.norm(g) < 0.2,
        )
        qpos = qpos.at[-2:].set(goal)
        qvel = jax.random.uniform(qvel_key, (model.nv,), jnp.float32, -0.005, 0.005)
        return self.with_state(qpos, qvel.at[-2:].set(0.0))

    def _offset(self, state: MujocoEnvState) -> Float[Array, " 3"]:
        return state.data.xpos[self.fingertip] - state.data.xpos[self.target]

    def observation(self, state: MujocoEnvState, *, key: Key) -> Float[Array, " 10"]:
        data = state.data
        angles = data.qpos[:2]
        return jnp.concatenate(
            [
                jnp.cos(angles),
                jnp.sin(angles),
                data.qpos[2:],
                data.qvel[:2],
                self._offset(state)[:2],
            ]
        ).astype(jnp.float32)

    def reward(
        self,
        state: MujocoEnvState,
        action: Float[Array, " 2"],
        next_state: MujocoEnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        distance = jnp.linalg.norm(self._offset(next_state))
        control = jnp.sum(jnp.square(jnp.asarray(action)))
        return -self.reward_dist_weight * distance - self.reward_control_weight * control

    def terminal(self, state: MujocoEnvState, *, key: Key) -> Bool[Array, ""]:
        return jnp.array(False)
