"""Running mean and variance of a stream of arrays."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import ArrayLike

from .._types import Array, Float, Int


@final
class RunningMeanStd(eqx.Module):
    """Mean and (population, `ddof=0`) variance of every sample seen so far.

    Updated one sample at a time with Welford's algorithm (the parallel update of Chan et al.
    with a batch of one), so the statistics equal `numpy.mean` / `numpy.var` of the samples.
    Before the first sample the mean is 0 and the variance 1.

    Args:
        shape: Shape of one sample.
    """

    mean: Float[Array, "*shape"]
    var: Float[Array, "*shape"]
    count: Int[Array, ""]

    def __init__(self, shape: tuple[int, ...] = ()):
        self.mean = jnp.zeros(shape, jnp.float32)
        self.var = jnp.ones(shape, jnp.float32)
        self.count = jnp.array(0, jnp.int32)

    def update(self, x: Float[ArrayLike, "*shape"]) -> RunningMeanStd:
        """The statistics after also seeing `x`."""
        x = jnp.asarray(x, jnp.float32)
        count = self.count.astype(jnp.float32)
        total = count + 1.0
        delta = x - self.mean
        mean = self.mean + delta / total
        var = (self.var * count + delta * delta * (count / total)) / total
        return eqx.tree_at(lambda s: (s.mean, s.var, s.count), self, (mean, var, self.count + 1))

    def normalize(self, x: Float[ArrayLike, "*shape"], epsilon: float) -> Float[Array, "*shape"]:
        """`(x - mean) / sqrt(var + epsilon)`."""
        return (jnp.asarray(x, jnp.float32) - self.mean) / jnp.sqrt(self.var + epsilon)
