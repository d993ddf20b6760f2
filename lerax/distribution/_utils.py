"""Shared helpers for the distributions (argument checks and broadcasting)."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np
from jax.core import Tracer

from .._types import Array

LOG_SQRT_2PI = 0.5 * float(np.log(2.0 * np.pi))


def as_float(x: Any, name: str) -> Array:
    """`x` as a floating-point JAX array (integers and bools become `float32`)."""
    try:
        x = jnp.asarray(x)
    except TypeError as e:
        raise TypeError(f"{name} must be array-like, got {type(x).__name__}") from e
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jnp.float32)
    return x


def concrete(x: Array) -> np.ndarray | None:
    """The value of `x` as a NumPy array, or `None` when `x` is traced (under `jit`)."""
    if isinstance(x, Tracer):
        return None
    return np.asarray(x)


def broadcast(name: str, *arrays: Array) -> list[Array]:
    """Explicitly broadcast `arrays` to their common shape (no implicit rank promotion)."""
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as e:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ValueError(f"{name}: shapes {shapes} do not broadcast together") from e
    dtype = jnp.result_type(*arrays)
    return [jnp.broadcast_to(a.astype(dtype), shape) for a in arrays]


def check_positive(name: str, x: Array) -> None:
    """Raise if a concrete `x` has an entry that is not finite and > 0."""
    value = concrete(x)
    if value is not None and not (np.all(np.isfinite(value)) and np.all(value > 0)):
        raise ValueError(f"{name} must be finite and > 0 everywhere, got {value}")


def check_finite(name: str, x: Array) -> None:
    """Raise if a concrete `x` has a NaN or infinite entry."""
    value = concrete(x)
    if value is not None and not np.all(np.isfinite(value)):
        raise ValueError(f"{name} must be finite everywhere, got {value}")


def bool_mask(name: str, mask: Any, shape: tuple[int, ...]) -> Array:
    """`mask` as a boolean array broadcast to `shape`, or a `ValueError`."""
    mask = jnp.asarray(mask)
    if mask.dtype != jnp.bool_:
        if not jnp.issubdtype(mask.dtype, jnp.integer):
            raise TypeError(f"{name}: mask must be a boolean array, got dtype {mask.dtype}")
        mask = mask.astype(bool)
    try:
        return jnp.broadcast_to(mask, shape)
    except ValueError as e:
        raise ValueError(f"{name}: mask of shape {mask.shape} does not fit shape {shape}") from e
