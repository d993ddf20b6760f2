"""Q policy with a multilayer perceptron."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import ArrayLike

from ..._types import Array, Float, Key
from ...space import AbstractSpace, Discrete
from ..base import check_env_spaces
from .base import AbstractQPolicy


@final
class MLPQPolicy(AbstractQPolicy[None, Any]):
    """Epsilon-greedy policy over the Q-values of an MLP on the flattened observation.

    Args:
        env: Environment whose spaces the policy serves; its action space must be `Discrete`.
        epsilon: Exploration probability in ``[0, 1]``.
        width_size: Width of the hidden layers.
        depth: Number of hidden layers.
        activation: Hidden activation function.
        key: PRNG key for the initial weights.

    Raises:
        ValueError: If the action space is not `Discrete`, or a hyperparameter is out of range.

    Example:
        >>> env = lerax.env.make("CartPole-v1")
        >>> policy = MLPQPolicy(env, key=jax.random.key(0))
        >>> state, action = policy(policy.reset(key=k), obs, key=k2)
    """

    name: ClassVar[str] = "MLPQPolicy"
    action_space: Discrete
    observation_space: AbstractSpace
    epsilon: Float[Array, ""]
    q_network: eqx.nn.MLP

    def __init__(
        self,
        env: Any,
        *,
        epsilon: Float[ArrayLike, ""] = 0.1,
        width_size: int = 64,
        depth: int = 2,
        activation: Callable[[Array], Array] = jax.nn.relu,
        key: Key,
    ):
        obs_space, act_space = check_env_spaces("MLPQPolicy", env)
        if not isinstance(act_space, Discrete):
            raise ValueError(f"MLPQPolicy needs a Discrete action space, got {act_space!r}")
        if isinstance(epsilon, int | float) and not 0.0 <= epsilon <= 1.0:
            raise ValueError(f"MLPQPolicy: epsilon must be in [0, 1], got {epsilon}")
        if width_size < 1 or depth < 0:
            raise ValueError(
                f"MLPQPolicy: width_size must be >= 1 and depth >= 0, got {width_size} and {depth}"
            )
        self.action_space = act_space
        self.observation_space = obs_space
        self.epsilon = jnp.asarray(epsilon, jnp.float32)
        self.q_network = eqx.nn.MLP(
            obs_space.flat_size, act_space.n, width_size, depth, activation=activation, key=key
        )

    def reset(self, *, key: Key) -> None:
        return None

    def q_values(self, state: None, observation: Any) -> tuple[None, Float[Array, " n"]]:
        return state, self.q_network(self.observation_space.flatten_sample(observation))
