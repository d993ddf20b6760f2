"""Eager checks of policy hyperparameters."""

from __future__ import annotations

from typing import Any

import numpy as np
from jax.core import Tracer

from ..space import AbstractSpace, Box


def concrete(x: Any) -> np.ndarray | None:
    """The value of `x` as a NumPy array, or `None` when it is traced (e.g. under
    `eqx.filter_eval_shape` while deserialising)."""
    if isinstance(x, Tracer):
        return None
    return np.asarray(x)


def check_sizes(policy_name: str, *, minimum: int, **sizes: Any) -> None:
    """Raise unless every keyword value is an int >= `minimum`."""
    for arg, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{policy_name}: {arg} must be an int, got {value!r}")
        if value < minimum:
            raise ValueError(f"{policy_name}: {arg} must be >= {minimum}, got {value}")


def check_activation(policy_name: str, activation: Any) -> None:
    """Raise unless `activation` is callable."""
    if not callable(activation):
        raise TypeError(
            f"{policy_name}: activation must be a callable such as jax.nn.relu, got {activation!r}"
        )


def check_nonnegative(policy_name: str, arg: str, value: Any) -> None:
    """Raise unless a concrete `value` is a finite scalar >= 0 (traced values pass)."""
    value_np = concrete(value)
    if value_np is None:
        return
    if (
        value_np.shape != ()
        or not np.issubdtype(value_np.dtype, np.number)
        or isinstance(value, bool)
    ):
        raise ValueError(f"{policy_name}: {arg} must be a scalar number, got {value!r}")
    if not (np.isfinite(value_np) and value_np >= 0):
        raise ValueError(f"{policy_name}: {arg} must be a finite number >= 0, got {value}")


def check_bounded_box(policy_name: str, space: AbstractSpace) -> Box:
    """`space` if it is a non-empty `Box` with finite bounds, else a `ValueError`."""
    if not isinstance(space, Box):
        raise ValueError(f"{policy_name} needs a Box action space, got {space!r}")
    if space.flat_size < 1:
        raise ValueError(
            f"{policy_name} needs a Box action space with at least one entry, got {space!r}"
        )
    low, high = concrete(space.low), concrete(space.high)
    if (
        low is not None
        and high is not None
        and not (np.isfinite(low).all() and np.isfinite(high).all())
    ):
        raise ValueError(
            f"{policy_name} needs a Box action space with finite bounds (it maps its "
            f"actions onto them), got {space!r}"
        )
    return space
