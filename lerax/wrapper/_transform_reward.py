"""Rewards transformed by a user function."""

from __future__ import annotations

from collections.abc import Callable
from typing import final

import equinox as eqx
import jax.numpy as jnp

from .._types import Array, Float
from ..env.base import AbstractEnvLike
from .base import AbstractRewardWrapper


@final
class TransformReward(AbstractRewardWrapper):
    """Applies `func` to every reward.

    Args:
        env: The environment to wrap.
        func: Jittable map from a scalar reward to a scalar reward.

    Example:
        `TransformReward(env, lambda r: 0.01 * r)`
    """

    env: AbstractEnvLike
    func: Callable[[Float[Array, ""]], Float[Array, ""]] = eqx.field(static=True)

    def __check_init__(self):
        if not callable(self.func):
            raise TypeError(f"TransformReward: func must be callable, got {self.func!r}")

    def transform_reward(self, reward: Float[Array, ""]) -> Float[Array, ""]:
        return jnp.asarray(self.func(reward), jnp.float32)
