"""Elementwise normal distribution."""

from __future__ import annotations

from typing import Any, final

from jaxtyping import ArrayLike, Real

from .._types import Array, Float, Key
from ._gaussian import gaussian_entropy, gaussian_log_prob, gaussian_params, gaussian_sample
from .base import AbstractDistribution


@final
class Normal(AbstractDistribution[Float[Array, "*batch"]]):
    """Independent normal distributions, elementwise (`loc` and `scale` broadcast together).

    `log_prob` and `entropy` are elementwise too: sum them for a joint log-probability.

    Args:
        loc: Mean.
        scale: Standard deviation, > 0.

    Raises:
        ValueError: If the shapes do not broadcast, or a concrete `scale` is not > 0.
    """

    loc: Float[Array, "*batch"]
    scale: Float[Array, "*batch"]

    def __init__(self, loc: Any, scale: Any):
        self.loc, self.scale = gaussian_params("Normal", loc, scale)

    def log_prob(self, value: Real[ArrayLike, "..."]) -> Float[Array, "*batch"]:
        return gaussian_log_prob(value, self.loc, self.scale)

    def sample(self, key: Key) -> Float[Array, "*batch"]:
        return gaussian_sample(key, self.loc, self.scale)[0]

    def sample_and_log_prob(
        self, key: Key
    ) -> tuple[Float[Array, "*batch"], Float[Array, "*batch"]]:
        return gaussian_sample(key, self.loc, self.scale)

    def entropy(self) -> Float[Array, "*batch"]:
        return gaussian_entropy(self.scale)

    def mean(self) -> Float[Array, "*batch"]:
        return self.loc

    def mode(self) -> Float[Array, "*batch"]:
        return self.loc
