"""One episode in a `lax.while_loop`, capped at a number of steps, with its length."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Bool, Float, Int, Key
from ..algorithm._collector import Collector, CollectorState, policy_act
from ..env import AbstractEnvLike
from ..policy import AbstractPolicy
from ._act import check_bool, check_positive_int, evaluation_step


class _EpisodeCarry(eqx.Module):
    collector: CollectorState
    key: Key


def rollout_episode(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    *,
    key: Key,
    deterministic: bool = False,
    max_steps: int = 1024,
) -> tuple[Float[Array, ""], Int[Array, ""]]:
    """Run one episode until it terminates, is truncated, or reaches `max_steps` steps.

    The loop is a `jax.lax.while_loop`, so an environment that never ends still stops at
    `max_steps` (counted as the end of the episode, without error; `rollout_while` raises
    instead). The policy is reset at the start and called as
    `policy(state, obs, action_mask=env.action_mask(env_state, key=k), key=k2)`.

    Args:
        env: The environment (or wrapped environment).
        policy: The policy to evaluate.
        key: PRNG key for the reset, the environment and the policy.
        deterministic: If `True`, call the policy with `key=None` (greedy / mode actions).
        max_steps: Step cap, at least 1.

    Returns:
        `(total_reward, length)`: the undiscounted return (`float32`) and the number of
        steps taken (`int32`).

    Raises:
        ValueError: If `max_steps` is not positive.
        TypeError: If `max_steps` is not an int or `deterministic` not a bool.

    Example:
        >>> ret, length = rollout_episode(env, policy, key=jax.random.key(0), max_steps=500)
    """
    check_positive_int("rollout_episode", "max_steps", max_steps)
    check_bool("rollout_episode", "deterministic", deterministic)
    total, length, _ = _rollout_episode(env, policy, key, max_steps, deterministic)
    return total, length


@eqx.filter_jit
def _rollout_episode(
    env: AbstractEnvLike, policy: AbstractPolicy, key: Key, max_steps: int, deterministic: bool
) -> tuple[Float[Array, ""], Int[Array, ""], Bool[Array, ""]]:
    """`(total_reward, length, ended)`; `ended` is false when the cap stopped the loop."""
    reset_key, loop_key = jax.random.split(key)
    collector = Collector(1)
    act = policy_act(policy, deterministic=deterministic)
    init = _EpisodeCarry(collector.reset(env, policy, key=reset_key), loop_key)

    def cond(carry: _EpisodeCarry) -> Bool[Array, ""]:
        stats = carry.collector
        return (stats.episodes[0] == 0) & (stats.episode_length[0] < max_steps)

    def body(carry: _EpisodeCarry) -> _EpisodeCarry:
        key, step_key = jax.random.split(carry.key)
        cstate, _ = evaluation_step(env, policy, act, carry.collector, key=step_key)
        return _EpisodeCarry(cstate, key)

    final = jax.lax.while_loop(cond, body, init).collector
    ended = final.episodes[0] > 0
    total = jnp.where(ended, final.last_return[0], final.episode_return[0])
    length = jnp.where(ended, final.last_length[0], final.episode_length[0])
    return total, length, ended
