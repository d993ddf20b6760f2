"""Argument checks and the single evaluation step shared by the benchmark functions."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from .._types import Key, KeyBatch
from ..algorithm._collector import Collector, CollectorState, StepRecord
from ..callback import EmptyCallback


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


def evaluation_step(
    env: Any, policy: Any, act: Any, cstate: CollectorState, *, key: Key | KeyBatch
) -> tuple[CollectorState, StepRecord]:
    """One step of a single evaluation environment, without callbacks."""
    collector = Collector(1)
    cstate, _, record = collector.step(
        env, policy, act, cstate, EmptyCallback(), None, jnp.zeros((), jnp.int32), key=key
    )
    return cstate, record
