"""InvertedPendulum-v5: keep a pole upright on a cart."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from ...space import Box
from .base import AbstractMujocoEnv, MujocoEnvState, check_reset_noise_scale, load_model


@final
class InvertedPendulum(AbstractMujocoEnv):
    """Gymnasium's `InvertedPendulum-v5` on MJX: a cart on a rail balancing a hinged pole.

    - Observation: `float32[4]`, ``concat(qpos, qvel)``: cart position, pole angle and their
      velocities.
    - Action: `float32[1]` in ``[-3, 3]``, the force on the cart.
    - Reward: 1 for every step after which the pole stands (``|angle| <= 0.2``), else 0.
    - Termination: the pole angle leaves ``[-0.2, 0.2]`` or the observation is not finite.
    - Reset: the model's initial positions and zero velocities, each plus uniform noise on
      ``[-reset_noise_scale, reset_noise_scale]``.
    - `make("InvertedPendulum-v5")` adds Gymnasium's 1,000-step time limit.

    Args:
        xml_file: The MJCF model (default: Gymnasium's `inverted_pendulum.xml`).
        frame_skip: Physics steps per environment step.
        reset_noise_scale: Scale of the reset noise.

    Raises:
        ValueError: On a non-positive `frame_skip` or a negative `reset_noise_scale`.
    """

    name: ClassVar[str] = "InvertedPendulum-v5"
    contact_forces: ClassVar[bool] = False
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    reset_noise_scale: float = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    model: Any
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        xml_file: str = "inverted_pendulum.xml",
        frame_skip: int = 2,
        reset_noise_scale: float = 0.01,
    ):
        self.xml_file, self.frame_skip = xml_file, frame_skip
        self.reset_noise_scale = check_reset_noise_scale(self.name, reset_noise_scale)
        self.mj_model, self.model, self.action_space = load_model(self.name, xml_file, frame_skip)
        size = self.mj_model.nq + self.mj_model.nv
        self.observation_space = Box(-jnp.inf, jnp.inf, (size,))

    def initial(self, *, key: Key) -> MujocoEnvState:
        return self.noisy_initial(key, self.reset_noise_scale, normal_velocities=False)

    def observation(self, state: MujocoEnvState, *, key: Key) -> Float[Array, " 4"]:
        return jnp.concatenate([state.data.qpos, state.data.qvel]).astype(jnp.float32)

    def reward(
        self,
        state: MujocoEnvState,
        action: Float[Array, " 1"],
        next_state: MujocoEnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        return jnp.where(self.terminal(next_state, key=key), 0.0, 1.0)

    def terminal(self, state: MujocoEnvState, *, key: Key) -> Bool[Array, ""]:
        observation = self.observation(state, key=key)
        return ~jnp.all(jnp.isfinite(observation)) | (jnp.abs(observation[1]) > 0.2)
