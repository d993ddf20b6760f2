"""Rewards clipped to an interval."""

from __future__ import annotations

from typing import final

import jax.numpy as jnp

from .._types import Array, Float, FloatScalarLike
from ..env.base import AbstractEnvLike
from .base import AbstractRewardWrapper


@final
class ClipReward(AbstractRewardWrapper):
    """Clips every reward to `[min, max]`.

    Args:
        env: The environment to wrap.
        min: Lower bound (may be `-inf` to clip only from above).
        max: Upper bound (may be `inf` to clip only from below).

    Raises:
        ValueError: Unless `min < max`.
    """

    env: AbstractEnvLike
    min: float
    max: float

    def __init__(
        self, env: AbstractEnvLike, min: FloatScalarLike = -1.0, max: FloatScalarLike = 1.0
    ):
        low, high = float(jnp.asarray(min)), float(jnp.asarray(max))
        if not low < high:
            raise ValueError(f"ClipReward needs min < max, got min={min!r}, max={max!r}")
        self.env = env
        self.min = low
        self.max = high

    def transform_reward(self, reward: Float[Array, ""]) -> Float[Array, ""]:
        return jnp.clip(reward, self.min, self.max)
