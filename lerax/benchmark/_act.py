"""Evaluating a policy with the shared collector."""

from __future__ import annotations

from typing import Any

from .._types import Key
from ..algorithm._collector import Act
from ..policy import AbstractPolicy


def acting(policy: AbstractPolicy, deterministic: bool) -> Act:
    """The collector's acting function for evaluating `policy` as it is.

    With `deterministic=True` the policy gets `key=None` (its greedy or mean action).
    """

    def act(policy_state: Any, observation: Any, action_mask: Any, key: Key):
        policy_state, action = policy(
            policy_state, observation, action_mask=action_mask, key=None if deterministic else key
        )
        return policy_state, action, action, None

    return act


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
