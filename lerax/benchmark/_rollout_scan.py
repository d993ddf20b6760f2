"""One episode of at most `max_steps` steps in a `lax.scan`: its summed reward."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Bool, Float, Key, KeyBatch
from ..algorithm._collector import Collector, CollectorState, policy_act
from ..env import AbstractEnvLike
from ..policy import AbstractPolicy
from ..utils import filter_scan
from ._act import check_bool, check_positive_int, evaluation_step


class _ScanCarry(eqx.Module):
    collector: CollectorState
    total: Float[Array, ""]
    running: Bool[Array, ""]


def rollout_scan(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    *,
    key: Key,
    deterministic: bool = False,
    max_steps: int = 1024,
) -> Float[Array, ""]:
    """Run one episode for at most `max_steps` steps in a `jax.lax.scan`; return its reward.

    The scan always takes `max_steps` steps (a fixed trip count, cheap under `vmap`); once
    the episode terminates or is truncated, the remaining steps contribute nothing. An
    episode still running after `max_steps` steps counts the reward of those steps. For the
    steps themselves, see `rollout_trajectory`.

    Args:
        env: The environment (or wrapped environment).
        policy: The policy to evaluate.
        key: PRNG key for the reset, the environment and the policy.
        deterministic: If `True`, call the policy with `key=None` (greedy / mode actions).
        max_steps: Number of scanned steps, at least 1.

    Returns:
        The undiscounted return of the (possibly cut-off) episode, a `float32` scalar.

    Raises:
        ValueError: If `max_steps` is not positive.
        TypeError: If `max_steps` is not an int or `deterministic` not a bool.

    Example:
        >>> rollout_scan(env, policy, key=jax.random.key(0), max_steps=500)
    """
    check_positive_int("rollout_scan", "max_steps", max_steps)
    check_bool("rollout_scan", "deterministic", deterministic)
    return _rollout_scan(env, policy, key, max_steps, deterministic)


@eqx.filter_jit
def _rollout_scan(
    env: AbstractEnvLike, policy: AbstractPolicy, key: Key, max_steps: int, deterministic: bool
) -> Float[Array, ""]:
    reset_key, loop_key = jax.random.split(key)
    collector = Collector(1)
    act = policy_act(policy, deterministic=deterministic)
    init = _ScanCarry(
        collector.reset(env, policy, key=reset_key),
        jnp.zeros((), jnp.float32),
        jnp.ones((), jnp.bool_),
    )

    def body(carry: _ScanCarry, step_key: Key | KeyBatch) -> tuple[_ScanCarry, None]:
        cstate, record = evaluation_step(env, policy, act, carry.collector, key=step_key)
        total = carry.total + jnp.where(carry.running, record.reward[0], 0.0)
        done = record.terminal[0] | record.truncation[0]
        return _ScanCarry(cstate, total, carry.running & ~done), None

    final, _ = filter_scan(body, init, collector.keys(loop_key, max_steps))
    return final.total
