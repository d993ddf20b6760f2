"""The critic of SAC, DDPG and TD3: Q(observation, action)."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax.numpy as jnp

from .._types import Array, Float, Key
from ..policy._validation import check_sizes
from ._q_network import AbstractQNetwork, critic_mlp, evaluate


@final
class SoftQNetwork(AbstractQNetwork):
    """A ReLU MLP from the concatenated observation and action to one Q-value.

    Args:
        observation_size: Length of the flattened observation.
        action_size: Length of the flattened action.
        width_size: Hidden width (the algorithms' `q_width_size`).
        depth: Number of hidden layers (the algorithms' `q_depth`).
        key: PRNG key for the initial weights.

    Example:
        >>> qf = SoftQNetwork(3, 1, key=jax.random.key(0))
        >>> qf(jnp.zeros(3), jnp.zeros(1)).shape
        ()
    """

    mlp: eqx.nn.MLP

    def __init__(
        self,
        observation_size: int,
        action_size: int,
        *,
        width_size: int = 256,
        depth: int = 2,
        key: Key,
    ):
        check_sizes("SoftQNetwork", minimum=1, observation_size=observation_size)
        check_sizes("SoftQNetwork", minimum=1, action_size=action_size)
        in_size = observation_size + action_size
        self.mlp = critic_mlp("SoftQNetwork", in_size, "scalar", width_size, depth, key)

    def __call__(
        self, observation: Float[Array, " obs"], action: Float[Array, " act"]
    ) -> Float[Array, ""]:
        """Q(observation, action) from flat inputs."""
        return evaluate(self, jnp.concatenate([observation, action]))
