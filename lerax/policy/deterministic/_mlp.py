"""Deterministic policy made of a multilayer perceptron."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import ArrayLike

from ..._types import Array, Float, Key
from ...space import AbstractSpace, Box
from .._network import forward
from .._validation import check_activation, check_bounded_box, check_nonnegative, check_sizes
from ..base import check_env_spaces
from .base import AbstractNoisyDeterministicPolicy


@final
class MLPDeterministicPolicy(AbstractNoisyDeterministicPolicy[None, Any]):
    """An MLP from the flattened observation to a tanh output scaled to the Box bounds.

    ``action = low + (high - low) * (tanh(mlp(obs)) + 1) / 2``, reshaped to the action
    shape. With a key, `__call__` adds Gaussian noise of standard deviation
    ``exploration_noise * (high - low) / 2`` and clips. Stateless: the state is `None`.

    Args:
        env: Environment (anything with `observation_space` and `action_space`); its action
            space must be a `Box` with finite bounds.
        width_size: Hidden width.
        depth: Number of hidden layers.
        exploration_noise: Relative noise scale, >= 0.
        activation: Hidden activation function.
        key: PRNG key for the initial weights.

    Raises:
        ValueError: If the action space is not a bounded `Box`, or a hyperparameter is out of
            range.
    """

    name: ClassVar[str] = "MLPDeterministicPolicy"
    action_space: Box
    observation_space: AbstractSpace
    exploration_noise: Float[Array, ""]
    network: eqx.nn.MLP

    def __init__(
        self,
        env: Any,
        *,
        width_size: int = 256,
        depth: int = 2,
        exploration_noise: Float[ArrayLike, ""] = 0.1,
        activation: Callable[[Array], Array] = jax.nn.relu,
        key: Key,
    ):
        name = "MLPDeterministicPolicy"
        obs_space, act_space = check_env_spaces(name, env)
        act_space = check_bounded_box(name, act_space)
        check_sizes(name, minimum=1, width_size=width_size)
        check_sizes(name, minimum=0, depth=depth)
        check_nonnegative(name, "exploration_noise", exploration_noise)
        check_activation(name, activation)
        self.action_space = act_space
        self.observation_space = obs_space
        self.exploration_noise = jnp.asarray(exploration_noise, jnp.float32)
        self.network = eqx.nn.MLP(
            obs_space.flat_size,
            act_space.flat_size,
            width_size,
            depth,
            activation=activation,
            final_activation=jnp.tanh,
            key=key,
        )

    def reset(self, *, key: Key) -> None:
        return None

    def deterministic_action(
        self, state: None, observation: Any
    ) -> tuple[None, Float[Array, "..."]]:
        out = forward(self.network, self.observation_space.flatten_sample(observation))
        low, high = jax.lax.stop_gradient((self.action_space.low, self.action_space.high))
        action = low + (high - low) * (out.reshape(self.action_space.shape) + 1) / 2
        return state, jnp.clip(action, low, high)
