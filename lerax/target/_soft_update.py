"""Polyak-average the online network into the target network."""

from __future__ import annotations

from typing import TypeVar, final

from .._types import FloatScalarLike
from ..utils import polyak_average
from ..utils._checks import check_unit_interval
from .base import AbstractTargetUpdate

T = TypeVar("T")


@final
class SoftUpdate(AbstractTargetUpdate):
    """Move the target towards the online network: ``tau * online + (1 - tau) * target``.

    Args:
        tau: Interpolation factor in ``[0, 1]`` (an array leaf, so it can be vmapped).

    Example:
        >>> target = SoftUpdate(tau=0.005)(policy, target)
    """

    tau: FloatScalarLike = 0.005

    def __check_init__(self):
        check_unit_interval(self.tau, "tau", "SoftUpdate")

    def __call__(self, online: T, target: T) -> T:
        return polyak_average(online, target, self.tau)
