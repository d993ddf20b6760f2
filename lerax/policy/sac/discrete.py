"""Discrete SAC actor made of a multilayer perceptron."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, final

import equinox as eqx
import jax

from ..._types import Array, Float, Key
from ...space import AbstractSpace, Discrete
from .._network import forward
from .._validation import check_activation, check_sizes
from ..base import check_env_spaces
from .base import AbstractDiscreteSACPolicy


@final
class MLPDiscreteSACPolicy(AbstractDiscreteSACPolicy[None, Any]):
    """Discrete SAC actor: an MLP from the flattened observation to one logit per action.

    Masks (boolean ``(n,)``) are honoured: masked actions are never chosen. The critics
    belong to the algorithm (`lerax.algorithm.DiscreteQNetwork`). Stateless: the state is
    `None`.

    Args:
        env: Environment (anything with `observation_space` and `action_space`); its action
            space must be `Discrete`.
        width_size: Hidden width.
        depth: Number of hidden layers.
        activation: Hidden activation function.
        key: PRNG key for the initial weights.

    Raises:
        ValueError: If the action space is not `Discrete`, or a hyperparameter is out of range.
    """

    name: ClassVar[str] = "MLPDiscreteSACPolicy"
    action_space: Discrete
    observation_space: AbstractSpace
    actor: eqx.nn.MLP

    def __init__(
        self,
        env: Any,
        *,
        width_size: int = 256,
        depth: int = 2,
        activation: Callable[[Array], Array] = jax.nn.relu,
        key: Key,
    ):
        name = "MLPDiscreteSACPolicy"
        obs_space, act_space = check_env_spaces(name, env)
        if not isinstance(act_space, Discrete):
            raise ValueError(f"{name} needs a Discrete action space, got {act_space!r}")
        check_sizes(name, minimum=1, width_size=width_size)
        check_sizes(name, minimum=0, depth=depth)
        check_activation(name, activation)
        self.action_space = act_space
        self.observation_space = obs_space
        self.actor = eqx.nn.MLP(
            obs_space.flat_size, act_space.n, width_size, depth, activation=activation, key=key
        )

    def reset(self, *, key: Key) -> None:
        return None

    def action_logits(self, state: None, observation: Any) -> tuple[None, Float[Array, " n"]]:
        return state, forward(self.actor, self.observation_space.flatten_sample(observation))
