"""Mean episode return over several vmapped episodes."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Float, Key
from ..env import AbstractEnvLike
from ..policy import AbstractPolicy
from ._act import check_bool, check_positive_int
from ._rollout_episode import _rollout_episode
from ._rollout_while import SAFETY_CAP, cap_message


def average_reward(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    num_episodes: int = 4,
    max_steps: int | None = 1024,
    deterministic: bool = False,
    *,
    key: Key,
) -> Float[Array, ""]:
    """The mean undiscounted return of `policy` over `num_episodes` episodes.

    The episodes run in parallel (`jax.vmap` over `jax.random.split(key, num_episodes)`)
    in one compiled call. With an int `max_steps`, each episode is cut off after that many
    steps and its return so far counts. With `max_steps=None`, each episode runs to its end
    as in `rollout_while`, whose safety cap of 1,000,000 steps raises an error rather than
    loop forever on an environment that never ends.

    Args:
        env: The environment (or wrapped environment).
        policy: The policy to evaluate.
        num_episodes: Number of episodes, at least 1.
        max_steps: Step cap per episode, at least 1, or `None` to run episodes to their end.
        deterministic: If `True`, call the policy with `key=None`.
        key: PRNG key.

    Returns:
        The mean return, a `float32` scalar.

    Raises:
        ValueError: If `num_episodes` or `max_steps` is not positive.
        TypeError: If they are not ints (or `None` for `max_steps`), or `deterministic` is
            not a bool.
        EquinoxRuntimeError: With `max_steps=None`, if an episode has not ended after
            1,000,000 steps.

    Example:
        >>> env = lerax.env.make("CartPole-v1")
        >>> policy = MLPQPolicy(env, key=jax.random.key(0))
        >>> average_reward(env, policy, num_episodes=8, key=jax.random.key(1))
    """
    check_positive_int("average_reward", "num_episodes", num_episodes)
    if max_steps is not None:
        check_positive_int("average_reward", "max_steps", max_steps)
    check_bool("average_reward", "deterministic", deterministic)
    return _average_reward(env, policy, key, num_episodes, max_steps, deterministic)


@eqx.filter_jit
def _average_reward(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    key: Key,
    num_episodes: int,
    max_steps: int | None,
    deterministic: bool,
) -> Float[Array, ""]:
    keys = jax.random.split(key, num_episodes)
    cap = SAFETY_CAP if max_steps is None else max_steps
    returns, _, ended = jax.vmap(lambda k: _rollout_episode(env, policy, k, cap, deterministic))(
        keys
    )
    if max_steps is None:
        returns = eqx.error_if(
            returns,
            ~ended,
            cap_message("average_reward", SAFETY_CAP, "pass an int max_steps to cut episodes off"),
        )
    return jnp.mean(returns)
