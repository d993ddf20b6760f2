"""Binary vectors."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._types import Array, Bool, Float, Int, Key
from .base import AbstractSpace, false_


@final
class MultiBinary(AbstractSpace[Int[Array, " n"], Bool[Array, "n 2"]]):
    """Vectors of `n` bits (`int32` zeros and ones).

    A mask has shape ``(n, 2)``: ``mask[i, v]`` allows bit `i` to take value `v`. A bit
    with neither value allowed is drawn as 0.

    Args:
        n: Number of bits, at least 1.
    """

    n: int = eqx.field(static=True)

    def __init__(self, n: int):
        if isinstance(n, bool) or not isinstance(n, int | np.integer):
            raise TypeError(f"MultiBinary(n): n must be a positive int, got {n!r}")
        if n < 1:
            raise ValueError(f"MultiBinary(n): n must be >= 1, got {n}")
        self.n = int(n)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.n,)

    def sample(self, *, key: Key, mask: Bool[Array, "n 2"] | None = None) -> Int[Array, " n"]:
        if mask is None:
            return jax.random.bernoulli(key, 0.5, (self.n,)).astype(jnp.int32)
        mask = jnp.asarray(mask)
        if mask.shape != (self.n, 2):
            raise ValueError(
                f"MultiBinary.sample: mask must have shape ({self.n}, 2), got {mask.shape}"
            )
        coin = jax.random.bernoulli(key, 0.5, (self.n,))
        one = jnp.where(mask[:, 0] & mask[:, 1], coin, mask[:, 1] & ~mask[:, 0])
        return one.astype(jnp.int32)

    def contains(self, x: Any) -> Bool[Array, ""]:
        x = jnp.asarray(x)
        if x.shape != (self.n,) or not (
            jnp.issubdtype(x.dtype, jnp.integer) or x.dtype == jnp.bool_
        ):
            return false_()
        return jnp.all((x == 0) | (x == 1))

    def flatten_sample(self, x: Int[Array, " n"]) -> Float[Array, " n"]:
        return jnp.asarray(x, jnp.float32).reshape(self.n)

    @property
    def flat_size(self) -> int:
        return self.n

    def canonical(self) -> Int[Array, " n"]:
        return jnp.zeros((self.n,), jnp.int32)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiBinary) and other.n == self.n

    def __hash__(self) -> int:
        return hash(("MultiBinary", self.n))

    def __repr__(self) -> str:
        return f"MultiBinary({self.n})"
