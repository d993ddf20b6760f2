"""Eager checks shared by the algorithms' constructors and `check` methods."""

from __future__ import annotations

from typing import Any

import numpy as np
from jax.core import Tracer

from ..utils._checks import check_unit_interval


def check_positive_ints(who: str, **values: Any) -> None:
    """Raise `ValueError` naming the first value that is not an int >= 1."""
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{who}: {name} must be a positive int, got {value!r}")


def check_bools(who: str, **values: Any) -> None:
    """Raise `TypeError` naming the first value that is not a bool."""
    for name, value in values.items():
        if not isinstance(value, bool):
            raise TypeError(f"{who}: {name} must be True or False, got {value!r}")


def _concrete(value: Any) -> np.ndarray | None:
    if isinstance(value, Tracer) or callable(value):
        return None
    return np.asarray(value)


def check_nonnegative(who: str, **values: Any) -> None:
    """Raise `ValueError` naming the first concrete value with a negative entry.

    Traced values and schedules (callables) pass unchecked.
    """
    for name, value in values.items():
        array = _concrete(value)
        if array is not None and not np.all(array >= 0.0):
            raise ValueError(f"{who}: {name} must be >= 0, got {value}")


def check_positive(who: str, **values: Any) -> None:
    """Raise `ValueError` naming the first concrete value with an entry <= 0."""
    for name, value in values.items():
        array = _concrete(value)
        if array is not None and not np.all(array > 0.0):
            raise ValueError(f"{who}: {name} must be > 0, got {value}")


def check_unit(who: str, **values: Any) -> None:
    """Raise `ValueError` naming the first concrete value outside ``[0, 1]``."""
    for name, value in values.items():
        if not callable(value):
            check_unit_interval(value, name, who)


def check_spaces(who: str, env: Any, policy: Any) -> None:
    """Raise `ValueError` if the policy's spaces differ from the environment's."""
    if env.action_space != policy.action_space:
        raise ValueError(
            f"{who}: the policy's action space {policy.action_space!r} does not match the "
            f"environment's {env.action_space!r}"
        )
    if env.observation_space != policy.observation_space:
        raise ValueError(
            f"{who}: the policy's observation space {policy.observation_space!r} does not "
            f"match the environment's {env.observation_space!r}"
        )
