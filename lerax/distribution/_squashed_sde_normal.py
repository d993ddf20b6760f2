"""gSDE: a tanh-squashed Gaussian whose noise is linear in state features."""

from __future__ import annotations

from typing import final

import jax
import jax.numpy as jnp
from jaxtyping import ArrayLike, Real

from .._types import Array, Float, Key
from ._bijector import SquashBijector
from ._gaussian import gaussian_log_prob, log_det_jacobian, squash, squash_bounds
from ._normal import Normal
from ._squashed_normal import SquashedNormal
from ._utils import as_float
from .base import AbstractTransformedDistribution

SDE_EPSILON = 1e-6
"""Added to the variance, as in Stable-Baselines3's gSDE, so the scale never reaches 0."""


@final
class SquashedSDENormal(AbstractTransformedDistribution[Float[Array, "*shape"]]):
    """Generalised state-dependent exploration (gSDE, Raffin et al. 2022), tanh-squashed.

    A draw is ``squash(loc + features . (std * eps))`` with an exploration matrix `eps` of
    standard normal entries, one row per feature. The noise is a linear function of the
    features, so while `eps` is held fixed (a policy keeps it between resamples) the
    exploration changes smoothly with the state instead of independently every step.

    Over `eps`, the pre-squash value is ``Normal(loc, scale)`` with
    ``scale = sqrt(features**2 . std**2 + 1e-6)``, which gives `log_prob`, `entropy`, `mean`
    and the `distribution` property. `sample` and `sample_and_log_prob` draw `eps` from the
    key, unless `exploration` is set: then every draw uses that matrix (the key is unused)
    and its log-probability is the marginal's, as Stable-Baselines3 trains gSDE actors.
    `mode` is ``squash(loc)``.

    Args:
        loc: Mean before squashing, of the action's shape.
        features: The features the noise is linear in, `(num_features,)` (pass them through
            `jax.lax.stop_gradient` to keep the exploration from training them).
        std: Standard deviations of the exploration matrix, `(num_features, *shape)`, > 0.
        high: Upper bound(s), broadcast to the shape of `loc`.
        low: Lower bound(s), with ``low < high``.
        exploration: An exploration matrix of standard normal entries, shaped as `std`, to
            draw with instead of the key, or `None`.

    Raises:
        ValueError: If the shapes do not fit, or concrete bounds are not finite with
            ``low < high``.
    """

    loc: Float[Array, "*shape"]
    features: Float[Array, " features"]
    std: Float[Array, "features *shape"]
    high: Float[Array, "*shape"]
    low: Float[Array, "*shape"]
    exploration: Float[Array, "features *shape"] | None

    def __init__(
        self,
        loc: Real[ArrayLike, "..."],
        features: Real[ArrayLike, "..."],
        std: Real[ArrayLike, "..."],
        high: Real[ArrayLike, "..."] = 1.0,
        low: Real[ArrayLike, "..."] = -1.0,
        exploration: Real[ArrayLike, "..."] | None = None,
    ):
        name = "SquashedSDENormal"
        self.loc = as_float(loc, f"{name}(loc=...)")
        self.features = as_float(features, f"{name}(features=...)")
        self.std = as_float(std, f"{name}(std=...)")
        expected = (*self.features.shape, *self.loc.shape)
        if self.features.ndim != 1 or self.std.shape != expected:
            raise ValueError(
                f"{name}: features must be a vector and std of shape (num_features, *loc.shape) "
                f"= {expected}, got features {self.features.shape}, std {self.std.shape}"
            )
        if exploration is not None:
            exploration = as_float(exploration, f"{name}(exploration=...)")
            if exploration.shape != expected:
                raise ValueError(
                    f"{name}: exploration must be shaped as std {expected}, got {exploration.shape}"
                )
        self.exploration = exploration
        self.low, self.high = squash_bounds(name, low, high, self.loc.shape)

    @property
    def scale(self) -> Float[Array, "*shape"]:
        """Standard deviation of the pre-squash Gaussian, over the exploration matrix."""
        variance = jnp.tensordot(self.features**2, self.std**2, axes=1)
        return jnp.sqrt(variance + SDE_EPSILON)

    @property
    def marginal(self) -> SquashedNormal:
        """The distribution of a draw over the exploration matrix,
        ``SquashedNormal(loc, scale, high, low)``."""
        return SquashedNormal(self.loc, self.scale, high=self.high, low=self.low)

    @property
    def distribution(self) -> Normal:
        """The Gaussian before squashing, ``Normal(loc, scale)``."""
        return self.marginal.distribution

    @property
    def bijector(self) -> SquashBijector:
        """The squashing map onto ``[low, high]``, ``SquashBijector(low, high)``."""
        return self.marginal.bijector

    def log_prob(self, value: Real[ArrayLike, "..."]) -> Float[Array, "*shape"]:
        return self.marginal.log_prob(value)

    def sample(self, key: Key) -> Float[Array, "*shape"]:
        return self.sample_and_log_prob(key)[0]

    def sample_and_log_prob(
        self, key: Key
    ) -> tuple[Float[Array, "*shape"], Float[Array, "*shape"]]:
        eps = self.exploration
        if eps is None:
            eps = jax.random.normal(key, self.std.shape, self.std.dtype)
        x = self.loc + jnp.tensordot(self.features, self.std * eps, axes=1)
        log_prob = gaussian_log_prob(x, self.loc, self.scale)
        return squash(x, self.low, self.high), log_prob - log_det_jacobian(x, self.low, self.high)

    def entropy(self) -> Float[Array, "*shape"]:
        return self.marginal.entropy()

    def mean(self) -> Float[Array, "*shape"]:
        return self.marginal.mean()

    def mode(self) -> Float[Array, "*shape"]:
        """``squash(loc)``, the image of the Gaussian's mode."""
        return self.marginal.mode()
