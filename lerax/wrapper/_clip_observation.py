"""Observations clipped to the bounds of their Box space."""

from __future__ import annotations

from typing import final

import jax.numpy as jnp

from .._types import Array, Float
from ..env.base import AbstractEnvLike
from ..space import Box
from ._box import require_box
from .base import AbstractObservationWrapper


@final
class ClipObservation(AbstractObservationWrapper):
    """Clips observations to the bounds of `env`'s `Box` observation space.

    The observation space is unchanged.

    Args:
        env: The environment to wrap; its observation space must be a `Box`.

    Raises:
        ValueError: If the observation space is not a `Box`.
    """

    env: AbstractEnvLike
    observation_space: Box

    def __init__(self, env: AbstractEnvLike):
        self.env = env
        self.observation_space = require_box(
            "ClipObservation", "observation", env.observation_space
        )

    def transform_observation(self, observation: Float[Array, "*shape"]) -> Float[Array, "*shape"]:
        return jnp.clip(observation, self.observation_space.low, self.observation_space.high)
