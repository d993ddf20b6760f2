"""Tanh-squashed normal distribution on a box, elementwise."""

from __future__ import annotations

from typing import Any, final

from jaxtyping import ArrayLike, Real

from .._types import Array, Float, Key
from ._bijector import SquashBijector
from ._gaussian import (
    gaussian_params,
    squash,
    squash_bounds,
    squashed_entropy,
    squashed_log_prob,
    squashed_mean,
    squashed_sample,
)
from ._normal import Normal
from .base import AbstractTransformedDistribution


@final
class SquashedNormal(AbstractTransformedDistribution[Float[Array, "*batch"]]):
    """``low + (high - low) * (tanh(x) + 1) / 2`` with ``x ~ Normal(loc, scale)``, elementwise.

    The usual SAC action distribution. `log_prob` includes the tanh Jacobian correction,
    computed stably (``log(1 - tanh(x)^2) = 2 (log 2 - x - softplus(-2x))``); values on or
    within float round-off of the bounds get a finite log-density, values outside get `-inf`.
    `sample_and_log_prob` uses the pre-squash draw and is the accurate way to get both.

    `entropy` and `mean` are the true ones of the squashed distribution, computed by
    deterministic quadrature (accurate to float32 round-off for any scale; differentiable).
    `mode` is ``squash(loc)``, the conventional deterministic action (the image of the
    Gaussian's mode, not the maximum of the squashed density, which can sit near the bounds
    when `scale` is large).

    As an `AbstractTransformedDistribution`, it is `distribution` (``Normal(loc, scale)``)
    pushed through `bijector` (``SquashBijector(low, high)``).

    Args:
        loc: Mean of the Gaussian before squashing.
        scale: Standard deviation before squashing, > 0.
        high: Upper bound(s), broadcast to the shape of `loc`.
        low: Lower bound(s), with ``low < high``.

    Raises:
        ValueError: On shapes that do not broadcast, or concrete values with ``scale <= 0``,
            non-finite bounds or ``high <= low``.
    """

    loc: Float[Array, "*batch"]
    scale: Float[Array, "*batch"]
    high: Float[Array, "*batch"]
    low: Float[Array, "*batch"]

    def __init__(self, loc: Any, scale: Any, high: ArrayLike = 1.0, low: ArrayLike = -1.0):
        self.loc, self.scale = gaussian_params("SquashedNormal", loc, scale)
        self.low, self.high = squash_bounds("SquashedNormal", low, high, self.loc.shape)

    @property
    def distribution(self) -> Normal:
        """The Gaussian before squashing, ``Normal(loc, scale)``."""
        return Normal(self.loc, self.scale)

    @property
    def bijector(self) -> SquashBijector:
        """The squashing map onto ``[low, high]``, ``SquashBijector(low, high)``."""
        return SquashBijector(self.low, self.high)

    def log_prob(self, value: Real[ArrayLike, "..."]) -> Float[Array, "*batch"]:
        return squashed_log_prob(value, self.loc, self.scale, self.low, self.high)

    def sample(self, key: Key) -> Float[Array, "*batch"]:
        return squashed_sample(key, self.loc, self.scale, self.low, self.high)[0]

    def sample_and_log_prob(
        self, key: Key
    ) -> tuple[Float[Array, "*batch"], Float[Array, "*batch"]]:
        return squashed_sample(key, self.loc, self.scale, self.low, self.high)

    def entropy(self) -> Float[Array, "*batch"]:
        return squashed_entropy(self.loc, self.scale, self.low, self.high)

    def mean(self) -> Float[Array, "*batch"]:
        return squashed_mean(self.loc, self.scale, self.low, self.high)

    def mode(self) -> Float[Array, "*batch"]:
        """``squash(loc)``: the squashed Gaussian mode (see the class docstring)."""
        return squash(self.loc, self.low, self.high)
