"""Mean episode return over several vmapped episodes."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Float, Key
from ..env import AbstractEnvLike
from ..policy import AbstractPolicy
from ._act import check_bool, check_positive_int
from ._rollout_while import _rollout_while


def average_reward(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    num_episodes: int = 4,
    max_steps: int = 1024,
    deterministic: bool = False,
    *,
    key: Key,
) -> Float[Array, ""]:
    """The mean undiscounted return of `policy` over `num_episodes` episodes.

    The episodes run in parallel (`jax.vmap` of `rollout_while` over
    `jax.random.split(key, num_episodes)`), each capped at `max_steps` steps, in one
    compiled call.

    Args:
        env: The environment (or wrapped environment).
        policy: The policy to evaluate.
        num_episodes: Number of episodes, at least 1.
        max_steps: Step cap per episode, at least 1.
        deterministic: If `True`, call the policy with `key=None`.
        key: PRNG key.

    Returns:
        The mean return, a `float32` scalar.

    Raises:
        ValueError: If `num_episodes` or `max_steps` is not positive.
        TypeError: If they are not ints, or `deterministic` is not a bool.

    Example:
        >>> env = lerax.env.make("CartPole-v1")
        >>> policy = MLPQPolicy(env, key=jax.random.key(0))
        >>> average_reward(env, policy, num_episodes=8, key=jax.random.key(1))
    """
    check_positive_int("average_reward", "num_episodes", num_episodes)
    check_positive_int("average_reward", "max_steps", max_steps)
    check_bool("average_reward", "deterministic", deterministic)
    return _average_reward(env, policy, key, num_episodes, max_steps, deterministic)


@eqx.filter_jit
def _average_reward(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    key: Key,
    num_episodes: int,
    max_steps: int,
    deterministic: bool,
) -> Float[Array, ""]:
    keys = jax.random.split(key, num_episodes)
    returns, _ = jax.vmap(lambda k: _rollout_while(env, policy, k, max_steps, deterministic))(keys)
    return jnp.mean(returns)
