"""InvertedDoublePendulum-v5: keep two linked poles upright on a cart."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from ...space import Box
from .base import AbstractMujocoEnv, MujocoEnvState, check_reset_noise_scale, load_model


@final
class InvertedDoublePendulum(AbstractMujocoEnv):
    """Gymnasium's `InvertedDoublePendulum-v5` on MJX: a cart balancing two linked poles.

    - Observation: `float32[9]`: cart position, sine and cosine of both hinge angles, the
      three velocities clipped to ``[-10, 10]``, and the cart's constraint force clipped to
      ``[-10, 10]``.
    - Action: `float32[1]` in ``[-1, 1]``, the force on the cart.
    - Reward: ``healthy_reward`` while the tip stays above height 1, minus
      ``0.01 x^2 + (y - 2)^2`` for the tip's position ``(x, y)`` and
      ``1e-3 v1^2 + 5e-3 v2^2`` for the hinges' angular velocities.
    - Termination: the tip (the site at the end of the second pole) at height ``y <= 1``.
    - Reset: the model's initial positions plus uniform noise on
      ``[-reset_noise_scale, reset_noise_scale]``, velocities standard normal times
      ``reset_noise_scale``.
    - `make("InvertedDoublePendulum-v5")` adds Gymnasium's 1,000-step time limit.

    Args:
        xml_file: The MJCF model (default: Gymnasium's `inverted_double_pendulum.xml`).
        frame_skip: Physics steps per environment step.
        healthy_reward: Reward for every step the tip stays up.
        reset_noise_scale: Scale of the reset noise.

    Raises:
        ValueError: On a non-positive `frame_skip` or a negative `reset_noise_scale`.
    """

    name: ClassVar[str] = "InvertedDoublePendulum-v5"
    contact_forces: ClassVar[bool] = False
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    healthy_reward: float = eqx.field(static=True)
    reset_noise_scale: float = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    model: Any
    action_space: Box
    observation_space: Box

    def __init__(
        self,
        *,
        xml_file: str = "inverted_double_pendulum.xml",
        frame_skip: int = 5,
        healthy_reward: float = 10.0,
        reset_noise_scale: float = 0.1,
    ):
        self.xml_file, self.frame_skip = xml_file, frame_skip
        self.healthy_reward = float(healthy_reward)
        self.reset_noise_scale = check_reset_noise_scale(self.name, reset_noise_scale)
        self.mj_model, self.model, self.action_space = load_model(self.name, xml_file, frame_skip)
        self.observation_space = Box(-jnp.inf, jnp.inf, (9,))

    def initial(self, *, key: Key) -> MujocoEnvState:
        return self.noisy_initial(key, self.reset_noise_scale, normal_velocities=True)

    def observation(self, state: MujocoEnvState, *, key: Key) -> Float[Array, " 9"]:
        data = state.data
        return jnp.concatenate(
            [
                data.qpos[:1],
                jnp.sin(data.qpos[1:]),
                jnp.cos(data.qpos[1:]),
                jnp.clip(data.qvel, -10.0, 10.0),
                jnp.clip(data.qfrc_constraint, -10.0, 10.0)[:1],
            ]
        ).astype(jnp.float32)

    def reward(
        self,
        state: MujocoEnvState,
        action: Float[Array, " 1"],
        next_state: MujocoEnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        x, _, y = next_state.data.site_xpos[0]
        v1, v2 = next_state.data.qvel[1], next_state.data.qvel[2]
        distance_penalty = 0.01 * x**2 + (y - 2.0) ** 2
        velocity_penalty = 1e-3 * v1**2 + 5e-3 * v2**2
        alive = jnp.where(self.terminal(next_state, key=key), 0.0, self.healthy_reward)
        return alive - distance_penalty - velocity_penalty

    def terminal(self, state: MujocoEnvState, *, key: Key) -> Bool[Array, ""]:
        return state.data.site_xpos[0, 2] <= 1.0
