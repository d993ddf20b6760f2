"""Categorical distribution over ``{0, ..., n - 1}``."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike, Real

from .._types import Array, Bool, Float, Int, Key
from ._utils import as_float, bool_mask, broadcast, concrete
from .base import AbstractMaskableDistribution


def normalised_logits(name: str, logits: Any, probs: Any) -> Float[Array, "*batch n"]:
    """Log-probabilities from exactly one of `logits` / `probs` (last axis = categories)."""
    if (logits is None) == (probs is None):
        which = "both" if logits is not None else "neither"
        raise ValueError(f"{name}: pass exactly one of logits= or probs=, got {which}")
    arg = "logits" if logits is not None else "probs"
    x = as_float(logits if logits is not None else probs, f"{name}({arg}=...)")
    if x.ndim == 0 or x.shape[-1] == 0:
        raise ValueError(
            f"{name}: {arg} must have a non-empty last axis of categories, got shape {x.shape}"
        )
    value = concrete(x)
    if logits is not None:
        if value is not None and (np.isnan(value).any() or np.isposinf(value).any()):
            raise ValueError(f"{name}: logits must not contain NaN or +inf, got {value}")
        if value is not None and np.isneginf(value).all(axis=-1).any():
            raise ValueError(f"{name}: logits give every category probability 0 (all -inf)")
        return jax.nn.log_softmax(x, axis=-1)
    if value is not None and (np.isnan(value).any() or (value < 0).any() or np.isinf(value).any()):
        raise ValueError(f"{name}: probs must be finite and >= 0, got {value}")
    if value is not None and (value.sum(axis=-1) <= 0).any():
        raise ValueError(f"{name}: probs must have a positive sum along the last axis")
    return jnp.log(x / jnp.sum(x, axis=-1, keepdims=True))


def categorical_entropy(logits: Float[Array, "*batch n"]) -> Float[Array, "*batch"]:
    """Entropy from normalised logits; `-inf` logits contribute 0 (no ``0 * inf``)."""
    probs = jnp.exp(logits)
    safe = jnp.where(jnp.isneginf(logits), 0.0, logits)
    return -jnp.sum(probs * safe, axis=-1)


def categorical_log_prob(logits: Float[Array, "... n"], value: Any) -> Float[Array, "..."]:
    """Log-probability of integer `value` (`-inf` when out of range)."""
    value = jnp.asarray(value)
    n = logits.shape[-1]
    batch = np.broadcast_shapes(value.shape, logits.shape[:-1])
    value = jnp.broadcast_to(value, batch)
    logits = jnp.broadcast_to(logits, batch + (n,))
    index = value.astype(jnp.int32)
    valid = (index >= 0) & (index < n) & (index == value)
    picked = jnp.take_along_axis(logits, jnp.clip(index, 0, n - 1)[..., None], axis=-1)[..., 0]
    return jnp.where(valid, picked, -jnp.inf)


@final
class Categorical(AbstractMaskableDistribution[Int[Array, "*batch"], Bool[Array, "*batch n"]]):
    """Categorical distribution over ``{0, ..., n - 1}`` (samples are `int32`).

    The last axis of `logits` / `probs` indexes the categories; leading axes are batch axes.

    Args:
        logits: Unnormalised log-probabilities (`-inf` allowed for impossible categories).
        probs: Probabilities (non-negative; normalised along the last axis).

    Raises:
        ValueError: Unless exactly one of `logits` and `probs` is given, or on a bad shape or
            value (values are checked when they are not traced).

    Example:
        >>> dist = Categorical(logits=jnp.array([0.0, 1.0, 2.0]))
        >>> dist = dist.mask(jnp.array([True, False, True]))  # never samples 1
    """

    logits: Float[Array, "*batch n"]

    def __init__(self, logits: Any = None, probs: Any = None):
        self.logits = normalised_logits("Categorical", logits, probs)

    @property
    def probs(self) -> Float[Array, "*batch n"]:
        """The probability of each category."""
        return jnp.exp(self.logits)

    @property
    def num_categories(self) -> int:
        """The number of categories `n`."""
        return self.logits.shape[-1]

    def log_prob(self, value: Real[ArrayLike, "..."]) -> Float[Array, "*batch"]:
        return categorical_log_prob(self.logits, value)

    def sample(self, key: Key) -> Int[Array, "*batch"]:
        return jax.random.categorical(key, self.logits, axis=-1).astype(jnp.int32)

    def sample_and_log_prob(self, key: Key) -> tuple[Int[Array, "*batch"], Float[Array, "*batch"]]:
        value = self.sample(key)
        return value, self.log_prob(value)

    def entropy(self) -> Float[Array, "*batch"]:
        return categorical_entropy(self.logits)

    def mean(self) -> Float[Array, "*batch"]:
        """The expected category index (a float)."""
        index = jnp.arange(self.num_categories, dtype=self.logits.dtype)
        probs, index = broadcast("Categorical.mean", self.probs, index)
        return jnp.sum(probs * index, axis=-1)

    def mode(self) -> Int[Array, "*batch"]:
        """The most likely category (the first one on ties)."""
        return jnp.argmax(self.logits, axis=-1).astype(jnp.int32)

    def mask(self, mask: Bool[ArrayLike, "..."]) -> Categorical:
        mask = bool_mask("Categorical.mask", mask, self.logits.shape)
        logits = eqx.error_if(
            self.logits,
            jnp.any(~jnp.any(mask, axis=-1)),
            "Categorical.mask: the mask allows no category; at least one entry must be True",
        )
        return Categorical(logits=jnp.where(mask, logits, -jnp.inf))
