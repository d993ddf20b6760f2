"""Independent categorical distributions of different sizes, side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike, Real

from .._types import Array, Bool, Float, Int, Key
from ._categorical import categorical_entropy, categorical_log_prob, normalised_logits
from ._utils import as_float, bool_mask
from .base import AbstractMaskableDistribution


def _layout(action_dims: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Static index arrays between the concatenated layout and a padded ``(k, max)`` one."""
    width = max(action_dims)
    starts = np.cumsum((0,) + action_dims[:-1])
    cols = np.arange(width)
    valid = cols[None, :] < np.asarray(action_dims)[:, None]
    gather = np.where(valid, starts[:, None] + cols[None, :], 0)
    rows = np.repeat(np.arange(len(action_dims)), action_dims)
    flat_cols = np.concatenate([np.arange(n) for n in action_dims])
    return gather, valid, rows, flat_cols


def _pad(x: Array, action_dims: tuple[int, ...], fill: Any) -> Array:
    """``(..., total)`` -> ``(..., k, max)``, padding with `fill`."""
    gather, valid, _, _ = _layout(action_dims)
    padded = x[..., gather]
    return jnp.where(jnp.broadcast_to(valid, padded.shape), padded, fill)


def _unpad(x: Array, action_dims: tuple[int, ...]) -> Array:
    """``(..., k, max)`` -> ``(..., total)``."""
    _, _, rows, cols = _layout(action_dims)
    return x[..., rows, cols]


@final
class MultiCategorical(
    AbstractMaskableDistribution[Int[Array, "*batch k"], Bool[Array, "*batch total"]]
):
    """Independent categoricals with ``action_dims[i]`` categories each (samples `int32`).

    Logits (or probabilities) of all the categoricals are concatenated along the last axis,
    like `lerax.space.MultiDiscrete` masks; ``action_dims`` splits them. A sample has one
    entry per categorical; `log_prob` and `entropy` are summed over them. `mask` takes one
    flat mask in the same concatenated layout, or a sequence of per-dimension masks.

    Args:
        logits: Concatenated logits of shape ``batch + (sum(action_dims),)``, or a sequence
            of per-categorical logits (then `action_dims` may be omitted).
        probs: Same, with probabilities (each categorical normalised separately).
        action_dims: Number of categories of each categorical.

    Raises:
        ValueError: Unless exactly one of `logits` and `probs` is given, if `action_dims` is
            missing for a concatenated array, has an entry < 1, or does not sum to the size of
            the last axis.
    """

    logits: Float[Array, "*batch total"]
    action_dims: tuple[int, ...] = eqx.field(static=True)

    def __init__(
        self,
        logits: Any = None,
        probs: Any = None,
        action_dims: Sequence[int] | None = None,
    ):
        name = "MultiCategorical"
        if (logits is None) == (probs is None):
            which = "both" if logits is not None else "neither"
            raise ValueError(f"{name}: pass exactly one of logits= or probs=, got {which}")
        arg = "logits" if logits is not None else "probs"
        x = logits if logits is not None else probs
        # A sequence of arrays is one per categorical; a plain list of numbers is one array.
        if isinstance(x, list | tuple) and (not x or any(jnp.ndim(p) > 0 for p in x)):
            parts = [as_float(p, f"{name}({arg}=...)") for p in x]
            if not parts or any(p.ndim == 0 for p in parts):
                raise ValueError(
                    f"{name}: {arg} must be a non-empty sequence of 1-D or larger arrays"
                )
            dims = tuple(p.shape[-1] for p in parts)
            if action_dims is not None and tuple(action_dims) != dims:
                raise ValueError(
                    f"{name}: action_dims {tuple(action_dims)} do not match the {arg} sizes {dims}"
                )
            action_dims, x = dims, jnp.concatenate(parts, axis=-1)
        if action_dims is None:
            raise ValueError(
                f"{name}: action_dims is required with a concatenated {arg} array "
                f"(e.g. action_dims=(3, 2) for 5 logits), or pass a list of per-dimension {arg}"
            )
        dims_np = np.asarray(action_dims)
        if dims_np.ndim != 1 or dims_np.size == 0 or not np.issubdtype(dims_np.dtype, np.integer):
            raise ValueError(
                f"{name}: action_dims must be a non-empty list of ints, got {action_dims!r}"
            )
        if (dims_np < 1).any():
            raise ValueError(
                f"{name}: every entry of action_dims must be >= 1, got {dims_np.tolist()}"
            )
        self.action_dims = tuple(int(n) for n in dims_np)
        x = as_float(x, f"{name}({arg}=...)")
        if x.ndim == 0 or x.shape[-1] != sum(self.action_dims):
            raise ValueError(
                f"{name}: {arg} must have a last axis of size sum(action_dims) = "
                f"{sum(self.action_dims)}, got shape {x.shape}"
            )
        fill = -jnp.inf if logits is not None else 0.0
        padded = _pad(x, self.action_dims, fill)
        if logits is not None:
            normalised = normalised_logits(name, padded, None)
        else:
            normalised = normalised_logits(name, None, padded)
        self.logits = _unpad(normalised, self.action_dims)

    @property
    def padded_logits(self) -> Float[Array, "*batch k max"]:
        """Normalised logits as a ``(k, max(action_dims))`` matrix, padded with `-inf`."""
        return _pad(self.logits, self.action_dims, -jnp.inf)

    @property
    def probs(self) -> Float[Array, "*batch total"]:
        """Concatenated probabilities (each categorical sums to 1)."""
        return jnp.exp(self.logits)

    def log_prob(self, value: Real[ArrayLike, "..."]) -> Float[Array, "*batch"]:
        value = jnp.asarray(value)
        k = len(self.action_dims)
        if value.ndim == 0 or value.shape[-1] != k:
            raise ValueError(
                f"MultiCategorical.log_prob: value must end with an axis of size {k}, "
                f"got {value.shape}"
            )
        return jnp.sum(categorical_log_prob(self.padded_logits, value), axis=-1)

    def sample(self, key: Key) -> Int[Array, "*batch k"]:
        return jax.random.categorical(key, self.padded_logits, axis=-1).astype(jnp.int32)

    def sample_and_log_prob(
        self, key: Key
    ) -> tuple[Int[Array, "*batch k"], Float[Array, "*batch"]]:
        value = self.sample(key)
        return value, self.log_prob(value)

    def entropy(self) -> Float[Array, "*batch"]:
        return jnp.sum(categorical_entropy(self.padded_logits), axis=-1)

    def mean(self) -> Float[Array, "*batch k"]:
        """The expected index of each categorical (floats)."""
        logits = self.padded_logits
        index = jnp.broadcast_to(jnp.arange(logits.shape[-1], dtype=logits.dtype), logits.shape)
        return jnp.sum(jnp.exp(logits) * index, axis=-1)

    def mode(self) -> Int[Array, "*batch k"]:
        return jnp.argmax(self.padded_logits, axis=-1).astype(jnp.int32)

    def mask(
        self, mask: Bool[ArrayLike, "..."] | Sequence[Bool[ArrayLike, "..."]]
    ) -> MultiCategorical:
        """The same distribution restricted to the allowed values of each dimension.

        Args:
            mask: Either one flat mask, ``True`` where a value is allowed, with a last axis of
                size ``sum(action_dims)`` (as for `lerax.space.MultiDiscrete`) that broadcasts
                to the shape of `logits`; or a sequence of per-dimension masks, the `i`-th
                with a last axis of size ``action_dims[i]``, each broadcasting to the batch
                shape.

        Returns:
            A new `MultiCategorical`.

        Raises:
            ValueError: If the mask (or one of the masks) has the wrong shape, or a sequence
                has the wrong length.
            equinox.EquinoxRuntimeError: If the mask allows no value for some dimension.
        """
        name = "MultiCategorical.mask"
        # A sequence of arrays is per dimension; a plain list of booleans is one flat mask.
        if isinstance(mask, list | tuple) and any(jnp.ndim(part) > 0 for part in mask):
            mask = self._concatenate_masks(mask)
        mask = bool_mask(name, mask, self.logits.shape)
        allowed = jnp.any(_pad(mask, self.action_dims, False), axis=-1)
        logits = eqx.error_if(
            self.logits,
            jnp.any(~allowed),
            "MultiCategorical.mask: the mask allows no value for some dimension",
        )
        return MultiCategorical(
            logits=jnp.where(mask, logits, -jnp.inf), action_dims=self.action_dims
        )

    def _concatenate_masks(self, masks: Sequence[Any]) -> Bool[Array, "*batch total"]:
        """One flat mask from per-dimension masks, broadcast to the batch shape."""
        name = "MultiCategorical.mask"
        if len(masks) != len(self.action_dims):
            raise ValueError(
                f"{name}: expected {len(self.action_dims)} per-dimension masks (one per entry "
                f"of action_dims {self.action_dims}), got {len(masks)}"
            )
        batch = self.logits.shape[:-1]
        parts = []
        for i, (part, n) in enumerate(zip(masks, self.action_dims, strict=True)):
            part = jnp.asarray(part)
            if part.ndim == 0 or part.shape[-1] != n:
                raise ValueError(
                    f"{name}: mask {i} must have a last axis of size action_dims[{i}] = {n}, "
                    f"got shape {part.shape}"
                )
            parts.append(bool_mask(f"{name} (mask {i})", part, batch + (n,)))
        return jnp.concatenate(parts, axis=-1)
