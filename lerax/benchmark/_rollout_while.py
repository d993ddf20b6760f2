"""One whole episode in a `lax.while_loop`: its total reward."""

from __future__ import annotations

import equinox as eqx

from .._types import Array, Float, Key
from ..env import AbstractEnvLike
from ..policy import AbstractPolicy
from ._act import check_bool, check_positive_int
from ._rollout_episode import _rollout_episode

SAFETY_CAP = 1_000_000
"""Default step cap of `rollout_while`: a guard against endless loops, not an episode limit."""


def rollout_while(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    *,
    key: Key,
    deterministic: bool = False,
    max_steps: int = SAFETY_CAP,
) -> Float[Array, ""]:
    """Run one episode to its end in a `jax.lax.while_loop` and return its total reward.

    The episode ends when the environment terminates or truncates it. `max_steps` is only a
    safety cap against an environment that never ends: reaching it without an episode end
    raises an error (from inside the compiled call, with `eqx.error_if`). To evaluate
    a fixed number of steps, wrap the environment in `lerax.wrapper.TimeLimit` or use
    `rollout_scan`; `rollout_episode` also returns the episode length.

    Args:
        env: The environment (or wrapped environment).
        policy: The policy to evaluate.
        key: PRNG key for the reset, the environment and the policy.
        deterministic: If `True`, call the policy with `key=None` (greedy / mode actions).
        max_steps: Safety cap on the number of steps, at least 1 (default 1,000,000).

    Returns:
        The undiscounted return of the episode, a `float32` scalar.

    Raises:
        EquinoxRuntimeError: If the episode has not ended after `max_steps` steps.
        ValueError: If `max_steps` is not positive.
        TypeError: If `max_steps` is not an int or `deterministic` not a bool.

    Example:
        >>> env = lerax.wrapper.TimeLimit(lerax.env.make("CartPole-v1"), 500)
        >>> rollout_while(env, policy, key=jax.random.key(0), deterministic=True)
    """
    check_positive_int("rollout_while", "max_steps", max_steps)
    check_bool("rollout_while", "deterministic", deterministic)
    return _rollout_while(env, policy, key, max_steps, deterministic)


def cap_message(function: str, max_steps: int, remedy: str) -> str:
    """The error raised when an episode outlives the safety cap `max_steps`."""
    return (
        f"{function}: the episode did not end within max_steps={max_steps} steps (a safety "
        "cap against environments that never end); wrap the environment in "
        f"lerax.wrapper.TimeLimit(env, max_episode_steps=...) or {remedy}"
    )


@eqx.filter_jit
def _rollout_while(
    env: AbstractEnvLike, policy: AbstractPolicy, key: Key, max_steps: int, deterministic: bool
) -> Float[Array, ""]:
    total, _, ended = _rollout_episode(env, policy, key, max_steps, deterministic)
    return eqx.error_if(
        total, ~ended, cap_message("rollout_while", max_steps, "pass a larger max_steps")
    )
