"""Multivariate normal distribution with a diagonal covariance."""

from __future__ import annotations

from typing import Any, final

import jax.numpy as jnp
from jaxtyping import ArrayLike, Real

from .._types import Array, Float, Key
from ._gaussian import gaussian_entropy, gaussian_log_prob, gaussian_params, gaussian_sample
from ._utils import as_float
from .base import AbstractDistribution


def event_params(name: str, loc: Any, scale_diag: Any) -> list[Array]:
    """`loc` and `scale_diag` (defaults 0 and 1) with at least one event axis."""
    if loc is None and scale_diag is None:
        raise ValueError(f"{name}: pass loc=, scale_diag= or both, got neither")
    if loc is None:
        scale_diag = as_float(scale_diag, f"{name}(scale_diag=...)")
        loc = jnp.zeros_like(scale_diag)
    elif scale_diag is None:
        loc = as_float(loc, f"{name}(loc=...)")
        scale_diag = jnp.ones_like(loc)
    loc, scale_diag = gaussian_params(name, loc, scale_diag, "scale_diag")
    if loc.ndim == 0:
        raise ValueError(f"{name}: loc and scale_diag need a last (event) axis, got scalars")
    return [loc, scale_diag]


@final
class MultivariateNormalDiag(AbstractDistribution[Float[Array, "*batch d"]]):
    """Normal distribution over vectors (last axis) with diagonal covariance.

    Args:
        loc: Mean, shape ``batch + (d,)``; zeros when omitted.
        scale_diag: Standard deviations, > 0; ones when omitted.

    Raises:
        ValueError: If both are omitted, shapes do not broadcast, they are scalars, or a
            concrete `scale_diag` is not > 0.
    """

    loc: Float[Array, "*batch d"]
    scale_diag: Float[Array, "*batch d"]

    def __init__(self, loc: Any = None, scale_diag: Any = None):
        self.loc, self.scale_diag = event_params("MultivariateNormalDiag", loc, scale_diag)

    def log_prob(self, value: Real[ArrayLike, "..."]) -> Float[Array, "*batch"]:
        return jnp.sum(gaussian_log_prob(value, self.loc, self.scale_diag), axis=-1)

    def sample(self, key: Key) -> Float[Array, "*batch d"]:
        return gaussian_sample(key, self.loc, self.scale_diag)[0]

    def sample_and_log_prob(
        self, key: Key
    ) -> tuple[Float[Array, "*batch d"], Float[Array, "*batch"]]:
        value, lp = gaussian_sample(key, self.loc, self.scale_diag)
        return value, jnp.sum(lp, axis=-1)

    def entropy(self) -> Float[Array, "*batch"]:
        return jnp.sum(gaussian_entropy(self.scale_diag), axis=-1)

    def mean(self) -> Float[Array, "*batch d"]:
        return self.loc

    def mode(self) -> Float[Array, "*batch d"]:
        return self.loc
