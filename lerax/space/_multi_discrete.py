"""Vectors of independent discrete choices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._types import Array, ArrayLike, Bool, Float, Int, Key
from .base import AbstractSpace, false_


@final
class MultiDiscrete(AbstractSpace[Int[Array, " k"], Bool[Array, " total"]]):
    """Vectors ``x`` with ``0 <= x[i] < nvec[i]`` (`int32`).

    A mask is one boolean vector of length ``sum(nvec)``: the masks of each dimension
    concatenated, as `MultiCategorical` expects.

    Args:
        nvec: Number of choices in each dimension, each at least 1.
    """

    nvec: tuple[int, ...] = eqx.field(static=True)

    def __init__(self, nvec: Sequence[int] | Int[ArrayLike, " n"]):
        nvec_np = np.asarray(nvec)
        if nvec_np.ndim != 1 or nvec_np.size == 0 or not np.issubdtype(nvec_np.dtype, np.integer):
            raise ValueError(
                f"MultiDiscrete(nvec): nvec must be a non-empty 1-D list of ints, got {nvec!r}"
            )
        if (nvec_np < 1).any():
            raise ValueError(
                f"MultiDiscrete(nvec): every entry must be >= 1, got {nvec_np.tolist()}"
            )
        self.nvec = tuple(int(n) for n in nvec_np)

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self.nvec),)

    def sample(self, *, key: Key, mask: Bool[Array, " total"] | None = None) -> Int[Array, " k"]:
        keys = jax.random.split(key, len(self.nvec))
        if mask is not None:
            mask = jnp.asarray(mask)
            if mask.shape != (sum(self.nvec),):
                raise ValueError(
                    f"MultiDiscrete.sample: mask must have shape ({sum(self.nvec)},), "
                    f"got {mask.shape}"
                )
        out = []
        start = 0
        for k, n in zip(keys, self.nvec):
            if mask is None:
                out.append(jax.random.randint(k, (), 0, n, dtype=jnp.int32))
            else:
                logits = jnp.where(mask[start : start + n], 0.0, -jnp.inf)
                out.append(jax.random.categorical(k, logits).astype(jnp.int32))
            start += n
        return jnp.stack(out)

    def contains(self, x: Any) -> Bool[Array, ""]:
        x = jnp.asarray(x)
        if x.shape != self.shape or not jnp.issubdtype(x.dtype, jnp.integer):
            return false_()
        return jnp.all((x >= 0) & (x < jnp.asarray(self.nvec)))

    def flatten_sample(self, x: Int[Array, " k"]) -> Float[Array, " k"]:
        return jnp.asarray(x, jnp.float32).reshape(len(self.nvec))

    @property
    def flat_size(self) -> int:
        return len(self.nvec)

    def canonical(self) -> Int[Array, " k"]:
        return jnp.zeros(self.shape, jnp.int32)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiDiscrete) and other.nvec == self.nvec

    def __hash__(self) -> int:
        return hash(("MultiDiscrete", self.nvec))

    def __repr__(self) -> str:
        return f"MultiDiscrete({list(self.nvec)})"
