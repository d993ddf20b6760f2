"""The abstract space interface."""

from __future__ import annotations

import abc
from typing import Any, Generic, TypeVar

import equinox as eqx
import jax.numpy as jnp

from .._types import Array, Bool, Float, Key

SampleType = TypeVar("SampleType")
MaskType = TypeVar("MaskType")


class AbstractSpace(eqx.Module, Generic[SampleType, MaskType]):
    """A set of values that observations or actions are drawn from.

    Every space can sample (jittable), test membership (jittable), flatten a sample to a
    1-D float vector and give a canonical element. Spaces compare and hash by value.
    """

    @property
    @abc.abstractmethod
    def shape(self) -> tuple[int, ...] | None:
        """The shape of a sample, or `None` for composite spaces."""

    @abc.abstractmethod
    def sample(self, *, key: Key, mask: MaskType | None = None) -> SampleType:
        """Draw a random element.

        Args:
            key: PRNG key.
            mask: Optional mask restricting the values that may be drawn.

        Returns:
            An element of the space.
        """

    @abc.abstractmethod
    def contains(self, x: Any) -> Bool[Array, ""]:
        """Whether `x` is an element of the space (jittable)."""

    @abc.abstractmethod
    def flatten_sample(self, x: SampleType) -> Float[Array, " size"]:
        """Flatten an element into a 1-D float array of `flat_size` entries."""

    @property
    @abc.abstractmethod
    def flat_size(self) -> int:
        """The length of `flatten_sample`'s output."""

    @abc.abstractmethod
    def canonical(self) -> SampleType:
        """A fixed, valid element of the space."""

    @abc.abstractmethod
    def __eq__(self, other: object) -> bool: ...

    @abc.abstractmethod
    def __hash__(self) -> int: ...

    @abc.abstractmethod
    def __repr__(self) -> str: ...

    def __contains__(self, x: Any) -> bool:
        return bool(self.contains(x))


def false_() -> Bool[Array, ""]:
    """A scalar boolean `False` array."""
    return jnp.array(False)
