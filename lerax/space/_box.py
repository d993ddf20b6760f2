"""Continuous box of real vectors."""

from __future__ import annotations

from typing import Any, final

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from .._types import Array, Bool, Float, Key
from .base import AbstractSpace, false_


@final
class Box(AbstractSpace[Float[Array, "..."], None]):
    """A (possibly unbounded) box ``low <= x <= high`` of `float32` arrays.

    Bounds broadcast to `shape`. Sampling is uniform where both bounds are finite, normal
    where neither is, and a shifted exponential where only one is.

    Args:
        low: Lower bound(s).
        high: Upper bound(s).
        shape: Shape of a sample; inferred from the bounds when `None`.
    """

    low: Float[Array, "..."]
    high: Float[Array, "..."]

    def __init__(self, low: ArrayLike, high: ArrayLike, shape: tuple[int, ...] | None = None):
        low_np = np.asarray(low, dtype=np.float32)
        high_np = np.asarray(high, dtype=np.float32)
        if shape is None:
            shape = np.broadcast_shapes(low_np.shape, high_np.shape)
        shape = tuple(int(s) for s in shape)
        if any(s < 0 for s in shape):
            raise ValueError(f"Box: shape must have non-negative sizes, got {shape}")
        try:
            low_np = np.broadcast_to(low_np, shape)
            high_np = np.broadcast_to(high_np, shape)
        except ValueError as e:
            raise ValueError(
                f"Box: low {low_np.shape} and high {high_np.shape} do not broadcast to "
                f"shape {shape}"
            ) from e
        if np.isnan(low_np).any() or np.isnan(high_np).any():
            raise ValueError("Box: low and high must not contain NaN")
        if (low_np > high_np).any():
            raise ValueError(
                f"Box: low must be <= high everywhere, got low={low_np}, high={high_np}"
            )
        self.low = jnp.asarray(low_np)
        self.high = jnp.asarray(high_np)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.low.shape)

    def sample(self, *, key: Key, mask: None = None) -> Float[Array, "..."]:
        if mask is not None:
            raise ValueError("Box.sample does not take a mask")
        k_u, k_n, k_e = jax.random.split(key, 3)
        shape = self.shape
        low_fin = jnp.isfinite(self.low)
        high_fin = jnp.isfinite(self.high)
        safe_low = jnp.where(low_fin, self.low, 0.0)
        safe_high = jnp.where(high_fin, self.high, 0.0)
        uniform = jax.random.uniform(k_u, shape, minval=safe_low, maxval=safe_high)
        normal = jax.random.normal(k_n, shape)
        expo = jax.random.exponential(k_e, shape)
        out = jnp.where(
            low_fin & high_fin,
            uniform,
            jnp.where(low_fin, safe_low + expo, jnp.where(high_fin, safe_high - expo, normal)),
        )
        return out.astype(jnp.float32)

    def contains(self, x: Any) -> Bool[Array, ""]:
        x = jnp.asarray(x)
        if x.shape != self.shape or not (
            jnp.issubdtype(x.dtype, jnp.floating) or jnp.issubdtype(x.dtype, jnp.integer)
        ):
            return false_()
        return jnp.all((x >= self.low) & (x <= self.high))

    def flatten_sample(self, x: Float[Array, "..."]) -> Float[Array, " size"]:
        return jnp.ravel(jnp.asarray(x, jnp.float32))

    @property
    def flat_size(self) -> int:
        return int(np.prod(self.shape, dtype=int))

    def canonical(self) -> Float[Array, "..."]:
        return jnp.clip(jnp.zeros(self.shape, jnp.float32), self.low, self.high)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Box)
            and other.shape == self.shape
            and bool(np.array_equal(np.asarray(other.low), np.asarray(self.low)))
            and bool(np.array_equal(np.asarray(other.high), np.asarray(self.high)))
        )

    def __hash__(self) -> int:
        return hash(
            ("Box", self.shape, np.asarray(self.low).tobytes(), np.asarray(self.high).tobytes())
        )

    def __repr__(self) -> str:
        low, high = np.asarray(self.low), np.asarray(self.high)
        if low.size and (low == low.flat[0]).all() and (high == high.flat[0]).all():
            return f"Box({low.flat[0]}, {high.flat[0]}, {self.shape})"
        return f"Box({low.tolist()}, {high.tolist()}, {self.shape})"
