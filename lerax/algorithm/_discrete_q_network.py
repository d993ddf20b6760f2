"""The critic of SACDiscrete: Q-values of every action."""

from __future__ import annotations

from typing import final

import equinox as eqx

from .._types import Array, Float, Key
from ..policy._validation import check_sizes
from ._q_network import AbstractQNetwork, critic_mlp, evaluate


@final
class DiscreteQNetwork(AbstractQNetwork):
    """A ReLU MLP from the observation to one Q-value per action.

    Args:
        observation_size: Length of the flattened observation.
        num_actions: Number of discrete actions.
        width_size: Hidden width (the algorithm's `q_width_size`).
        depth: Number of hidden layers (the algorithm's `q_depth`).
        key: PRNG key for the initial weights.
    """

    mlp: eqx.nn.MLP

    def __init__(
        self,
        observation_size: int,
        num_actions: int,
        *,
        width_size: int = 256,
        depth: int = 2,
        key: Key,
    ):
        check_sizes("DiscreteQNetwork", minimum=1, observation_size=observation_size)
        check_sizes("DiscreteQNetwork", minimum=1, num_actions=num_actions)
        self.mlp = critic_mlp(
            "DiscreteQNetwork", observation_size, num_actions, width_size, depth, key
        )

    def __call__(self, observation: Float[Array, " obs"]) -> Float[Array, " n"]:
        """Q-values of every action from the flat observation."""
        return evaluate(self, observation)
