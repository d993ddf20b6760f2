"""The critic family of the off-policy actor-critic algorithms."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

from typing import Any

import equinox as eqx
import jax

from .._types import Key
from ..policy._network import forward
from ..policy._validation import check_sizes


class AbstractQNetwork(eqx.Module):
    """A Q-function critic: an MLP owned by SAC, SACDiscrete, DDPG or TD3.

    Members differ in what they read and return: `SoftQNetwork` reads an observation and an
    action and returns one value, `DiscreteQNetwork` reads an observation and returns one
    value per action. Inputs are flat float vectors; the algorithm flattens observations
    and rescales Box actions to ``[-1, 1]`` before calling a critic.
    """

    mlp: eqx.AbstractVar[eqx.nn.MLP]


def critic_mlp(
    who: str, in_size: int, out_size: Any, width_size: int, depth: int, key: Key
) -> eqx.nn.MLP:
    """The ReLU MLP of a critic, with its sizes checked."""
    check_sizes(who, minimum=1, width_size=width_size)
    check_sizes(who, minimum=0, depth=depth)
    return eqx.nn.MLP(in_size, out_size, width_size, depth, activation=jax.nn.relu, key=key)


def evaluate(network: AbstractQNetwork, x: Any) -> Any:
    """Evaluate a critic's MLP on one input, batch-friendly (see `lerax.policy._network`)."""
    return forward(network.mlp, x)
