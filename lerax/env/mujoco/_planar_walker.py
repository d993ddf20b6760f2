"""The part `Hopper` and `Walker2d` share: reset, observation, reward and termination."""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Float, Key
from ._healthy import AbstractHealthyEnv
from .base import MujocoEnvState, forward_reward


class AbstractPlanarWalkerEnv(AbstractHealthyEnv):
    """A planar robot rewarded for moving forward along x while it stays healthy.

    - Observation: ``qpos[1:]`` (``qpos`` with the x position included) and ``qvel``
      clipped to ``[-10, 10]``.
    - Reward: ``forward_reward_weight * x_velocity + healthy_reward * healthy -
      ctrl_cost_weight * sum(action^2)``, the velocity being the torso's x displacement
      over one step divided by `dt`.
    - Termination: not `healthy`, when `terminate_when_unhealthy`.
    - Reset: the model's initial positions and zero velocities plus uniform noise on
      ``[-reset_noise_scale, reset_noise_scale]``.
    """

    forward_reward_weight: eqx.AbstractVar[float]
    ctrl_cost_weight: eqx.AbstractVar[float]
    reset_noise_scale: eqx.AbstractVar[float]
    exclude_current_positions_from_observation: eqx.AbstractVar[bool]

    def initial(self, *, key: Key) -> MujocoEnvState:
        return self.noisy_initial(key, self.reset_noise_scale, normal_velocities=False)

    def observation(self, state: MujocoEnvState, *, key: Key) -> Float[Array, " obs"]:
        skip = 1 if self.exclude_current_positions_from_observation else 0
        data = state.data
        velocities = jnp.clip(data.qvel, -10.0, 10.0)
        return jnp.concatenate([data.qpos[skip:], velocities]).astype(jnp.float32)

    def reward(
        self,
        state: MujocoEnvState,
        action: Float[Array, " act"],
        next_state: MujocoEnvState,
        *,
        key: Key,
    ) -> Float[Array, ""]:
        return self.healthy_bonus(next_state) + forward_reward(
            self, state, action, next_state, self.forward_reward_weight, self.ctrl_cost_weight
        )
