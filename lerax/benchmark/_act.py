"""One policy decision, with the environment's action mask."""

from __future__ import annotations

from typing import Any

import jax

from .._types import Key
from ..env import AbstractEnvLike
from ..policy import AbstractPolicy


def act(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    env_state: Any,
    policy_state: Any,
    observation: Any,
    *,
    key: Key,
    deterministic: bool,
) -> tuple[Any, Any]:
    """Ask `policy` for an action in `env_state`, passing the environment's action mask.

    Returns:
        `(policy_state, action)`. With `deterministic=True` the policy gets `key=None`.
    """
    mask_key, action_key = jax.random.split(key)
    mask = env.action_mask(env_state, key=mask_key)
    return policy(
        policy_state, observation, action_mask=mask, key=None if deterministic else action_key
    )


def check_positive_int(function: str, name: str, value: Any) -> int:
    """Return `value` if it is a positive Python int, else raise naming the argument."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{function}: {name} must be a positive int, got {value!r}")
    if value < 1:
        raise ValueError(f"{function}: {name} must be >= 1, got {value}")
    return value


def check_bool(function: str, name: str, value: Any) -> bool:
    """Return `value` if it is a Python bool, else raise naming the argument."""
    if not isinstance(value, bool):
        raise TypeError(f"{function}: {name} must be a bool (True or False), got {value!r}")
    return value
