"""The abstract distribution interfaces."""

# No `from __future__ import annotations` here: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
import abc
from typing import Any, Generic, TypeVar

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import ArrayLike, Real

from .._types import Array, Float, Key

SampleType = TypeVar("SampleType")
MaskType = TypeVar("MaskType")


class AbstractDistribution(eqx.Module, Generic[SampleType]):
    """A probability distribution over arrays, usable under `jit`, `vmap` and `grad`.

    Distributions have a *batch shape* (independent distributions side by side) and an
    *event shape* (the shape of one draw of one distribution). `log_prob`, `prob` and
    `entropy` return one value per batch element; `sample`, `mean` and `mode` return arrays
    of shape ``batch + event``.
    """

    @abc.abstractmethod
    def log_prob(self, value: Any) -> Float[Array, "*batch"]:
        """Log-probability (mass or density) of `value`; `-inf` outside the support."""

    def prob(self, value: Any) -> Float[Array, "*batch"]:
        """Probability (mass or density) of `value`, ``exp(log_prob(value))``."""
        return jnp.exp(self.log_prob(value))

    @abc.abstractmethod
    def sample(self, key: Key) -> SampleType:
        """Draw one sample (of shape ``batch + event``).

        Args:
            key: PRNG key.
        """

    @abc.abstractmethod
    def sample_and_log_prob(self, key: Key) -> tuple[SampleType, Float[Array, "*batch"]]:
        """Draw a sample and return it with its log-probability.

        Equal to ``(s, log_prob(s))`` with ``s = sample(key)``, but may be computed more
        accurately (squashed distributions use the pre-squash draw).

        Args:
            key: PRNG key.
        """

    @abc.abstractmethod
    def entropy(self) -> Float[Array, "*batch"]:
        """Differential or Shannon entropy, in nats."""

    @abc.abstractmethod
    def mean(self) -> Float[Array, "*batch_event"]:
        """The expected value."""

    @abc.abstractmethod
    def mode(self) -> SampleType:
        """The most likely value (see each class for the exact convention)."""


class AbstractMaskableDistribution(AbstractDistribution[SampleType], Generic[SampleType, MaskType]):
    """A distribution over discrete values that can rule some of them out."""

    @abc.abstractmethod
    def mask(self, mask: MaskType) -> "AbstractMaskableDistribution[SampleType, MaskType]":
        """The same distribution restricted to the allowed values.

        Disallowed values get logit `-inf` (probability 0) and the rest is renormalised.
        `log_prob` and `entropy` stay finite for allowed values, and gradients stay finite.

        Args:
            mask: Boolean array, `True` where a value is allowed.

        Returns:
            A new distribution of the same class.

        Raises:
            ValueError: If the mask has the wrong shape.
            equinox.EquinoxRuntimeError: If the mask allows no value for some distribution
                in the batch (also under `jit`).
        """


class AbstractBijector(eqx.Module):
    """An invertible, differentiable map applied elementwise to arrays.

    `forward_log_det_jacobian` is elementwise too (``log |d forward / dx|`` per entry); a
    distribution over vectors sums it over its event axis.
    """

    @abc.abstractmethod
    def forward(self, x: Real[ArrayLike, "..."]) -> Float[Array, "..."]:
        """Map `x` forward."""

    @abc.abstractmethod
    def inverse(self, y: Real[ArrayLike, "..."]) -> Float[Array, "..."]:
        """Map `y` back: ``inverse(forward(x)) == x``."""

    @abc.abstractmethod
    def forward_log_det_jacobian(self, x: Real[ArrayLike, "..."]) -> Float[Array, "..."]:
        """``log |d forward / dx|`` at `x`, elementwise."""


class AbstractTransformedDistribution(AbstractDistribution[SampleType]):
    """The distribution of ``bijector.forward(x)`` for ``x ~ distribution``.

    A sample is the image of a sample of the base `distribution`; densities follow by the
    change of variables, ``log p(y) = log p_base(x) - log |d forward / dx|`` with
    ``x = bijector.inverse(y)`` (summed over the event axes).
    """

    distribution: eqx.AbstractVar[AbstractDistribution]
    bijector: eqx.AbstractVar[AbstractBijector]
