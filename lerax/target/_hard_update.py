"""Copy the online network into the target network."""

from __future__ import annotations

from typing import TypeVar, final

from .base import AbstractTargetUpdate

T = TypeVar("T")


@final
class HardUpdate(AbstractTargetUpdate):
    """Replace the target network with the online one: returns `online` whole.

    Every leaf comes from `online`: floating parameters, integer arrays and non-array
    leaves (static fields, activation functions) alike, so the new target is an exact copy.
    Apply it every `target_update_interval` steps, e.g. with `lerax.utils.filter_cond`
    (which needs the non-array leaves of both branches to agree, as they do for two copies
    of the same network).

    Example:
        >>> target = HardUpdate()(policy, target)
    """

    def __call__(self, online: T, target: T) -> T:
        return online
