"""Small predicates and conversions of hyperparameters."""

from __future__ import annotations

from typing import Any, cast

import jax.numpy as jnp
import optax
from jax.core import Tracer


def is_concrete(x: Any) -> bool:
    """Whether `x` is a Python number or a concrete (non-traced) array."""
    return not isinstance(x, Tracer) and not callable(x)


def rate(x: Any) -> optax.ScalarOrSchedule:
    """A learning rate as optax takes it: a schedule unchanged, anything else an array."""
    return cast(optax.Schedule, x) if callable(x) else jnp.asarray(x)
