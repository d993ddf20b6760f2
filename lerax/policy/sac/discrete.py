"""Discrete SAC policy made of multilayer perceptrons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, final

import equinox as eqx
import jax

from ..._types import Array, Float, Key
from ...space import AbstractSpace, Discrete
from .._validation import check_activation, check_sizes
from ..base import check_env_spaces
from .base import AbstractDiscreteSACPolicy


@final
class MLPDiscreteSACPolicy(AbstractDiscreteSACPolicy[None, Any]):
    """Discrete SAC policy: an MLP categorical actor and twin MLP critics ``q1``, ``q2``.

    Each network reads the flattened observation; the critics output one Q-value per
    action. Masks (boolean ``(n,)``) are honoured: masked actions are never chosen.
    Stateless: the state is `None`.

    Args:
        env: Environment (anything with `observation_space` and `action_space`); its action
            space must be `Discrete`.
        width_size: Hidden width of the actor and the critics.
        depth: Number of hidden layers of the actor and the critics.
        activation: Hidden activation function.
        key: PRNG key for the initial weights.

    Raises:
        ValueError: If the action space is not `Discrete`, or a hyperparameter is out of range.
    """

    name: ClassVar[str] = "MLPDiscreteSACPolicy"
    action_space: Discrete
    observation_space: AbstractSpace
    actor: eqx.nn.MLP
    q1: eqx.nn.MLP
    q2: eqx.nn.MLP

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
        k_actor, k_q1, k_q2 = jax.random.split(key, 3)
        obs_size, n = obs_space.flat_size, act_space.n
        self.action_space = act_space
        self.observation_space = obs_space
        self.actor = eqx.nn.MLP(obs_size, n, width_size, depth, activation=activation, key=k_actor)
        self.q1 = eqx.nn.MLP(obs_size, n, width_size, depth, activation=activation, key=k_q1)
        self.q2 = eqx.nn.MLP(obs_size, n, width_size, depth, activation=activation, key=k_q2)

    def reset(self, *, key: Key) -> None:
        return None

    def action_logits(self, state: None, observation: Any) -> tuple[None, Float[Array, " n"]]:
        return state, self.actor(self.observation_space.flatten_sample(observation))

    def q_values(
        self, state: None, observation: Any
    ) -> tuple[None, Float[Array, " n"], Float[Array, " n"]]:
        x = self.observation_space.flatten_sample(observation)
        return state, self.q1(x), self.q2(x)
