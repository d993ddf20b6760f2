"""One episode in a `lax.while_loop`, capped at a number of steps."""

from __future__ import annotations

from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Bool, Float, Int, Key
from ..env import AbstractEnvLike
from ..policy import AbstractPolicy
from ._act import act, check_bool, check_positive_int


class _EpisodeCarry(eqx.Module):
    env_state: Any
    policy_state: Any
    observation: Any
    total_reward: Float[Array, ""]
    length: Int[Array, ""]
    done: Bool[Array, ""]
    key: Key


def rollout_while(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    *,
    key: Key,
    max_steps: int = 1024,
    deterministic: bool = False,
) -> tuple[Float[Array, ""], Int[Array, ""]]:
    """Run one episode until it terminates, is truncated, or reaches `max_steps` steps.

    The loop is a `jax.lax.while_loop`, so an environment that never ends still stops at
    `max_steps`. The policy is reset at the start and called as
    `policy(state, obs, action_mask=env.action_mask(env_state, key=k), key=k2)`.

    Args:
        env: The environment (or wrapped environment).
        policy: The policy to evaluate.
        key: PRNG key for the reset, the environment and the policy.
        max_steps: Step cap, at least 1.
        deterministic: If `True`, call the policy with `key=None` (greedy / mode actions).

    Returns:
        `(total_reward, length)`: the undiscounted return (`float32`) and the number of
        steps taken (`int32`).

    Raises:
        ValueError: If `max_steps` is not positive.
        TypeError: If `max_steps` is not an int or `deterministic` not a bool.

    Example:
        >>> ret, length = rollout_while(env, policy, key=jax.random.key(0), max_steps=500)
    """
    check_positive_int("rollout_while", "max_steps", max_steps)
    check_bool("rollout_while", "deterministic", deterministic)
    return _rollout_while(env, policy, key, max_steps, deterministic)


@eqx.filter_jit
def _rollout_while(
    env: AbstractEnvLike, policy: AbstractPolicy, key: Key, max_steps: int, deterministic: bool
) -> tuple[Float[Array, ""], Int[Array, ""]]:
    env_key, policy_key, loop_key = jax.random.split(key, 3)
    env_state, observation, _ = env.reset(key=env_key)
    init = _EpisodeCarry(
        env_state=env_state,
        policy_state=policy.reset(key=policy_key),
        observation=observation,
        total_reward=jnp.array(0.0, jnp.float32),
        length=jnp.array(0, jnp.int32),
        done=jnp.array(False),
        key=loop_key,
    )

    def cond(carry: _EpisodeCarry) -> Bool[Array, ""]:
        return ~carry.done & (carry.length < max_steps)

    def body(carry: _EpisodeCarry) -> _EpisodeCarry:
        key, act_key, step_key = jax.random.split(carry.key, 3)
        policy_state, action = act(
            env,
            policy,
            carry.env_state,
            carry.policy_state,
            carry.observation,
            key=act_key,
            deterministic=deterministic,
        )
        env_state, observation, reward, terminal, truncate, _ = env.step(
            carry.env_state, action, key=step_key
        )
        return _EpisodeCarry(
            env_state=env_state,
            policy_state=policy_state,
            observation=observation,
            total_reward=carry.total_reward + reward,
            length=carry.length + 1,
            done=terminal | truncate,
            key=key,
        )

    final = jax.lax.while_loop(cond, body, init)
    return final.total_reward, final.length
