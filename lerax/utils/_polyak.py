"""Polyak (exponential moving) averaging of parameters."""

from __future__ import annotations

from typing import TypeVar

import equinox as eqx
import jax

from .._types import FloatScalarLike

T = TypeVar("T")


def polyak_average(online: T, target: T, tau: FloatScalarLike) -> T:
    """Move `target` towards `online`: ``tau * online + (1 - tau) * target``.

    Only the inexact (floating) array leaves are averaged; every other leaf (integer
    arrays, static fields, Python values) is taken from `target`. Both pytrees must have
    the same structure, e.g. two copies of the same Equinox module.

    Args:
        online: The pytree being trained.
        target: The slowly-moving copy.
        tau: Interpolation factor in ``[0, 1]``; ``1`` copies `online`, ``0`` keeps `target`.

    Returns:
        A pytree like `target` with averaged floating leaves.

    Example:
        >>> target = polyak_average(policy, target, 0.005)
    """
    online_leaves, online_def = jax.tree.flatten(online)
    target_leaves, target_def = jax.tree.flatten(target)
    if online_def != target_def:
        raise ValueError(
            "polyak_average: online and target must have the same pytree structure, got "
            f"{online_def} and {target_def}"
        )

    def average(o, t):
        if eqx.is_inexact_array(t):
            return (tau * o + (1 - tau) * t).astype(t.dtype)
        return t

    return jax.tree.unflatten(
        target_def, [average(o, t) for o, t in zip(online_leaves, target_leaves)]
    )
