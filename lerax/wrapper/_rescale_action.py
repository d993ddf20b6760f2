"""Actions rescaled affinely from a new box to the inner bounds."""

from __future__ import annotations

from typing import cast, final

from jaxtyping import ArrayLike

from .._types import Array, Float
from ..env.base import AbstractEnvLike
from ..space import Box
from ._box import rescale, target_box
from .base import AbstractActionWrapper


@final
class RescaleAction(AbstractActionWrapper):
    """Accepts actions in `[min, max]` and maps them affinely to `env`'s `Box` bounds.

    `min` maps exactly to `low` and `max` to `high`; actions are not clipped.

    Args:
        env: The environment to wrap; its action space must be a `Box` with finite bounds.
        min: Lower bound(s) of the new action space (broadcast to its shape).
        max: Upper bound(s) of the new action space (broadcast to its shape).

    Raises:
        ValueError: If the action space is not a finite `Box`, or unless `min < max`
            everywhere with both finite.
    """

    env: AbstractEnvLike
    action_space: Box

    def __init__(self, env: AbstractEnvLike, min: ArrayLike = -1.0, max: ArrayLike = 1.0):
        self.env = env
        self.action_space = target_box("RescaleAction", "action", env.action_space, min, max)

    def transform_action(self, action: Float[Array, "*shape"]) -> Float[Array, "*shape"]:
        return rescale(action, self.action_space, cast(Box, self.env.action_space))

    def transform_action_mask(self, mask: None) -> None:
        return mask
