"""Copy the online network into the target network."""

from __future__ import annotations

from typing import TypeVar, final

import equinox as eqx

from .base import AbstractTargetUpdate

T = TypeVar("T")


@final
class HardUpdate(AbstractTargetUpdate):
    """Replace the target's floating-point parameters with the online ones (an exact copy).

    Non-floating leaves (integer arrays, static fields) are kept from `target`. Apply it
    every `target_update_interval` steps, e.g. with `lerax.utils.filter_cond`.

    Example:
        >>> target = HardUpdate()(policy, target)
    """

    def __call__(self, online: T, target: T) -> T:
        params = eqx.filter(online, eqx.is_inexact_array)
        rest = eqx.filter(target, eqx.is_inexact_array, inverse=True)
        return eqx.combine(params, rest)
