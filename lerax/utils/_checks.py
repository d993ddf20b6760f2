"""Eager checks of hyperparameters (skipped for traced values)."""

from __future__ import annotations

import numpy as np
from jax.core import Tracer

from .._types import FloatScalarLike


def check_unit_interval(value: FloatScalarLike, name: str, who: str) -> None:
    """Raise `ValueError` unless every entry of a concrete `value` lies in ``[0, 1]``.

    Traced values (inside `jit`/`vmap`) cannot be inspected and pass unchecked.
    """
    if isinstance(value, Tracer):
        return
    array = np.asarray(value)
    if not np.all((array >= 0.0) & (array <= 1.0)):
        raise ValueError(f"{who}: {name} must be in [0, 1], got {value}")
