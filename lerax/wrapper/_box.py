"""Helpers shared by the wrappers that only work on `Box` spaces."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from .._types import Array, Float
from ..space import AbstractSpace, Box


def require_box(wrapper: str, kind: str, space: AbstractSpace) -> Box:
    """Return `space` if it is a `Box`, else raise a `ValueError` naming `wrapper` and `kind`."""
    if not isinstance(space, Box):
        raise ValueError(f"{wrapper} needs a Box {kind} space, got {space!r}")
    return space


def target_box(
    wrapper: str, kind: str, space: AbstractSpace, min: ArrayLike, max: ArrayLike
) -> Box:
    """The `Box(min, max)` that `space` is rescaled to, after checking both are valid.

    `space` must be a `Box` with finite bounds, and `min < max` must be finite everywhere.
    """
    box = require_box(wrapper, kind, space)
    if not (np.isfinite(np.asarray(box.low)).all() and np.isfinite(np.asarray(box.high)).all()):
        raise ValueError(f"{wrapper} needs finite {kind} space bounds, got {box!r}")
    try:
        low = np.broadcast_to(np.asarray(min, np.float32), box.shape)
        high = np.broadcast_to(np.asarray(max, np.float32), box.shape)
    except ValueError:
        raise ValueError(
            f"{wrapper}: min and max must broadcast to the {kind} shape {box.shape}, "
            f"got shapes {np.shape(min)} and {np.shape(max)}"
        ) from None
    if not (np.isfinite(low).all() and np.isfinite(high).all() and (low < high).all()):
        raise ValueError(f"{wrapper} needs finite min < max, got min={min!r}, max={max!r}")
    return Box(low, high, box.shape)


def rescale(x: Float[Array, "*shape"], source: Box, target: Box) -> Float[Array, "*shape"]:
    """Affinely map `x` from the bounds of `source` to those of `target`.

    The bounds map exactly onto each other. A degenerate source dimension (`low == high`)
    is not divided by zero: its value `low` maps to `target.low`.
    """
    width = source.high - source.low
    t = (jnp.asarray(x, jnp.float32) - source.low) / jnp.where(width > 0, width, 1.0)
    return target.low * (1.0 - t) + target.high * t
