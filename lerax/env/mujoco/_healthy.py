"""The part of the tasks that reward staying healthy and may end when the robot is not."""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
import abc

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Key
from .base import AbstractMujocoEnv, MujocoEnvState


class AbstractHealthyEnv(AbstractMujocoEnv):
    """A task with a notion of health (Hopper, Walker2d, Ant, Humanoid): `healthy_reward`
    for every healthy step, and the end of the episode when the robot is not healthy, if
    `terminate_when_unhealthy`."""

    healthy_reward: eqx.AbstractVar[float]
    terminate_when_unhealthy: eqx.AbstractVar[bool]

    @abc.abstractmethod
    def healthy(self, state: MujocoEnvState) -> Bool[Array, ""]:
        """Whether the robot is healthy in `state`."""

    def healthy_bonus(self, state: MujocoEnvState) -> Float[Array, ""]:
        """`healthy_reward` if the robot is healthy in `state`, else 0."""
        return jnp.where(self.healthy(state), self.healthy_reward, 0.0)

    def terminal(self, state: MujocoEnvState, *, key: Key) -> Bool[Array, ""]:
        return ~self.healthy(state) & self.terminate_when_unhealthy
