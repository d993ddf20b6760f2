"""Actions clipped to the bounds of the inner Box action space."""

from __future__ import annotations

from typing import cast, final

import jax.numpy as jnp
import numpy as np

from .._types import Array, Float
from ..env.base import AbstractEnvLike
from ..space import Box
from ._box import require_box
from .base import AbstractActionWrapper


@final
class ClipAction(AbstractActionWrapper):
    """Clips actions to the bounds of `env`'s `Box` action space before passing them on.

    As in Gymnasium, the wrapper's own action space is the unbounded `Box` of the same shape,
    so any real action is accepted.

    Args:
        env: The environment to wrap; its action space must be a `Box`.

    Raises:
        ValueError: If the action space is not a `Box`.
    """

    env: AbstractEnvLike
    action_space: Box

    def __init__(self, env: AbstractEnvLike):
        inner = require_box("ClipAction", "action", env.action_space)
        self.env = env
        self.action_space = Box(-np.inf, np.inf, inner.shape)

    def transform_action(self, action: Float[Array, "*shape"]) -> Float[Array, "*shape"]:
        inner = cast(Box, self.env.action_space)
        return jnp.clip(action, inner.low, inner.high)

    def transform_action_mask(self, mask: None) -> None:
        return mask
