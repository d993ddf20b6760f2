"""Tanh-squashed diagonal multivariate normal on a box."""

from __future__ import annotations

from typing import Any, final

import jax.numpy as jnp
from jaxtyping import ArrayLike, Real

from .._types import Array, Float, Key
from ._bijector import SquashBijector
from ._gaussian import (
    squash,
    squash_bounds,
    squashed_entropy,
    squashed_log_prob,
    squashed_mean,
    squashed_sample,
)
from ._multivariate_normal_diag import MultivariateNormalDiag, event_params
from .base import AbstractTransformedDistribution


@final
class SquashedMultivariateNormalDiag(AbstractTransformedDistribution[Float[Array, "*batch d"]]):
    """`SquashedNormal` over vectors (last axis): log-probabilities and entropies are summed.

    See `SquashedNormal` for the squashing, the stable Jacobian correction, the exact
    (quadrature) entropy and mean, and the `mode` convention ``squash(loc)``.

    As an `AbstractTransformedDistribution`, it is `distribution`
    (``MultivariateNormalDiag(loc, scale_diag)``) pushed through `bijector`
    (``SquashBijector(low, high)``, elementwise; its log-Jacobian is summed over the last axis).

    Args:
        loc: Mean before squashing, shape ``batch + (d,)``; zeros when omitted.
        scale_diag: Standard deviations before squashing, > 0; ones when omitted.
        high: Upper bound(s), broadcast to the shape of `loc`.
        low: Lower bound(s), with ``low < high``.

    Raises:
        ValueError: If `loc` and `scale_diag` are both omitted or scalars, on shapes that do
            not broadcast, or concrete values with ``scale_diag <= 0`` or ``high <= low``.
    """

    loc: Float[Array, "*batch d"]
    scale_diag: Float[Array, "*batch d"]
    high: Float[Array, "*batch d"]
    low: Float[Array, "*batch d"]

    def __init__(
        self,
        loc: Any = None,
        scale_diag: Any = None,
        high: ArrayLike = 1.0,
        low: ArrayLike = -1.0,
    ):
        name = "SquashedMultivariateNormalDiag"
        self.loc, self.scale_diag = event_params(name, loc, scale_diag)
        self.low, self.high = squash_bounds(name, low, high, self.loc.shape)

    @property
    def distribution(self) -> MultivariateNormalDiag:
        """The Gaussian before squashing, ``MultivariateNormalDiag(loc, scale_diag)``."""
        return MultivariateNormalDiag(self.loc, self.scale_diag)

    @property
    def bijector(self) -> SquashBijector:
        """The elementwise squashing map onto ``[low, high]``, ``SquashBijector(low, high)``."""
        return SquashBijector(self.low, self.high)

    def log_prob(self, value: Real[ArrayLike, "..."]) -> Float[Array, "*batch"]:
        lp = squashed_log_prob(value, self.loc, self.scale_diag, self.low, self.high)
        return jnp.sum(lp, axis=-1)

    def sample(self, key: Key) -> Float[Array, "*batch d"]:
        return squashed_sample(key, self.loc, self.scale_diag, self.low, self.high)[0]

    def sample_and_log_prob(
        self, key: Key
    ) -> tuple[Float[Array, "*batch d"], Float[Array, "*batch"]]:
        value, lp = squashed_sample(key, self.loc, self.scale_diag, self.low, self.high)
        return value, jnp.sum(lp, axis=-1)

    def entropy(self) -> Float[Array, "*batch"]:
        h = squashed_entropy(self.loc, self.scale_diag, self.low, self.high)
        return jnp.sum(h, axis=-1)

    def mean(self) -> Float[Array, "*batch d"]:
        return squashed_mean(self.loc, self.scale_diag, self.low, self.high)

    def mode(self) -> Float[Array, "*batch d"]:
        """``squash(loc)``: the squashed Gaussian mode (see `SquashedNormal`)."""
        return squash(self.loc, self.low, self.high)
