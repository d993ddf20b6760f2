"""Bernoulli distribution over ``{0, 1}``."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike, Real

from .._types import Array, Bool, Float, Int, Key
from ._utils import as_float, bool_mask, concrete
from .base import AbstractMaskableDistribution


@final
class Bernoulli(AbstractMaskableDistribution[Int[Array, "*batch"], Bool[Array, "*batch 2"]]):
    """Independent coin flips, elementwise over `logits` / `probs` (samples are `int32` 0/1).

    A mask comes in one of two layouts:

    - per value, with one more axis than `logits`, of size 2 (as for
      `lerax.space.MultiBinary`, e.g. ``batch + (2,)``): ``mask[..., v]`` allows value `v`.
      Forbidding one value makes the other certain (logit `±inf`).
    - per entry, broadcastable to the shape of `logits`: `False` forbids a 1 (the logit
      becomes `-inf`, so the entry is always 0), `True` leaves the entry as it is.

    Args:
        logits: Log-odds of a 1 (`±inf` allowed for certain outcomes).
        probs: Probability of a 1, in ``[0, 1]``.

    Raises:
        ValueError: Unless exactly one of `logits` and `probs` is given, or on a bad value
            (checked when not traced).
    """

    logits: Float[Array, "*batch"]

    def __init__(self, logits: Any = None, probs: Any = None):
        if (logits is None) == (probs is None):
            which = "both" if logits is not None else "neither"
            raise ValueError(f"Bernoulli: pass exactly one of logits= or probs=, got {which}")
        if logits is not None:
            logits = as_float(logits, "Bernoulli(logits=...)")
            value = concrete(logits)
            if value is not None and np.isnan(value).any():
                raise ValueError(f"Bernoulli: logits must not contain NaN, got {value}")
            self.logits = logits
        else:
            probs = as_float(probs, "Bernoulli(probs=...)")
            value = concrete(probs)
            if value is not None and not ((value >= 0) & (value <= 1)).all():
                raise ValueError(f"Bernoulli: probs must lie in [0, 1], got {value}")
            self.logits = jnp.log(probs) - jnp.log1p(-probs)

    @property
    def probs(self) -> Float[Array, "*batch"]:
        """The probability of a 1."""
        return jax.nn.sigmoid(self.logits)

    def log_prob(self, value: Real[ArrayLike, "..."]) -> Float[Array, "*batch"]:
        value = jnp.asarray(value)
        shape = np.broadcast_shapes(value.shape, self.logits.shape)
        value = jnp.broadcast_to(value, shape)
        logits = jnp.broadcast_to(self.logits, shape)
        lp = jnp.where(value == 1, jax.nn.log_sigmoid(logits), jax.nn.log_sigmoid(-logits))
        return jnp.where((value == 0) | (value == 1), lp, -jnp.inf)

    def sample(self, key: Key) -> Int[Array, "*batch"]:
        return jax.random.bernoulli(key, self.probs).astype(jnp.int32)

    def sample_and_log_prob(self, key: Key) -> tuple[Int[Array, "*batch"], Float[Array, "*batch"]]:
        value = self.sample(key)
        return value, self.log_prob(value)

    def entropy(self) -> Float[Array, "*batch"]:
        finite = jnp.isfinite(self.logits)
        logits = jnp.where(finite, self.logits, 0.0)
        p = jax.nn.sigmoid(logits)
        h = p * jax.nn.softplus(-logits) + (1 - p) * jax.nn.softplus(logits)
        return jnp.where(finite, h, 0.0)

    def mean(self) -> Float[Array, "*batch"]:
        return self.probs

    def mode(self) -> Int[Array, "*batch"]:
        """1 where a 1 is strictly more likely, else 0."""
        return (self.logits > 0).astype(jnp.int32)

    def mask(self, mask: Bool[ArrayLike, "..."]) -> Bernoulli:
        """The same coin flips restricted to the allowed values.

        Args:
            mask: Per value, shape ``logits.shape + (2,)`` (or broadcastable to it, with one
                more axis than `logits` and a last axis of size 2), ``True`` where a value is
                allowed; or per entry, broadcastable to ``logits.shape``, ``False`` where a 1
                is forbidden.

        Returns:
            A new `Bernoulli`.

        Raises:
            ValueError: If the mask fits neither layout.
            equinox.EquinoxRuntimeError: If a per-value mask forbids both 0 and 1 somewhere.
        """
        ndim = jnp.ndim(mask)
        if ndim == self.logits.ndim + 1 and jnp.shape(mask)[-1] == 2:
            mask = bool_mask("Bernoulli.mask", mask, self.logits.shape + (2,))
        elif ndim <= self.logits.ndim:
            allow1 = bool_mask("Bernoulli.mask", mask, self.logits.shape)
            return Bernoulli(logits=jnp.where(allow1, self.logits, -jnp.inf))
        else:
            raise ValueError(
                f"Bernoulli.mask: mask of shape {jnp.shape(mask)} fits neither a per-value "
                f"mask of shape {self.logits.shape + (2,)} nor a per-entry mask broadcastable "
                f"to {self.logits.shape}"
            )
        allow0, allow1 = mask[..., 0], mask[..., 1]
        logits = eqx.error_if(
            self.logits,
            jnp.any(~allow0 & ~allow1),
            "Bernoulli.mask: the mask allows neither 0 nor 1 for some entry",
        )
        logits = jnp.where(allow1 & ~allow0, jnp.inf, jnp.where(allow0 & ~allow1, -jnp.inf, logits))
        return Bernoulli(logits=logits)
