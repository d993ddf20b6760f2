"""Finite set of integers ``{0, ..., n - 1}``."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._types import Array, Bool, Float, Int, Key
from .base import AbstractSpace, false_


@final
class Discrete(AbstractSpace[Int[Array, ""], Bool[Array, " n"]]):
    """The integers ``0, ..., n - 1``.

    Samples are `int32` scalars. A mask is a boolean vector of length `n`; sampling picks
    uniformly among the allowed values.

    Args:
        n: Number of elements, at least 1.
    """

    n: int = eqx.field(static=True)

    def __init__(self, n: int | np.integer):
        if isinstance(n, bool) or not isinstance(n, int | np.integer):
            raise TypeError(f"Discrete(n): n must be a positive int, got {n!r}")
        if n < 1:
            raise ValueError(
                f"Discrete(n): n must be >= 1 (an empty space has no elements), got {n}"
            )
        self.n = int(n)

    @property
    def shape(self) -> tuple[int, ...]:
        return ()

    def sample(self, *, key: Key, mask: Bool[Array, " n"] | None = None) -> Int[Array, ""]:
        if mask is None:
            return jax.random.randint(key, (), 0, self.n, dtype=jnp.int32)
        mask = jnp.asarray(mask)
        if mask.shape != (self.n,):
            raise ValueError(f"Discrete.sample: mask must have shape ({self.n},), got {mask.shape}")
        logits = jnp.where(mask, 0.0, -jnp.inf)
        return jax.random.categorical(key, logits).astype(jnp.int32)

    def contains(self, x: Any) -> Bool[Array, ""]:
        x = jnp.asarray(x)
        if x.shape != () or not jnp.issubdtype(x.dtype, jnp.integer):
            return false_()
        return (x >= 0) & (x < self.n)

    def flatten_sample(self, x: Int[Array, ""]) -> Float[Array, " 1"]:
        return jnp.reshape(jnp.asarray(x, jnp.float32), (1,))

    @property
    def flat_size(self) -> int:
        return 1

    def canonical(self) -> Int[Array, ""]:
        return jnp.array(0, dtype=jnp.int32)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Discrete) and other.n == self.n

    def __hash__(self) -> int:
        return hash(("Discrete", self.n))

    def __repr__(self) -> str:
        return f"Discrete({self.n})"
