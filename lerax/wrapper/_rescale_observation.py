"""Observations rescaled affinely to a new box."""

from __future__ import annotations

from typing import cast, final

from jaxtyping import ArrayLike

from .._types import Array, Float
from ..env.base import AbstractEnvLike
from ..space import Box
from ._box import rescale, target_box
from .base import AbstractObservationWrapper


@final
class RescaleObservation(AbstractObservationWrapper):
    """Maps observations affinely from `env`'s `Box` bounds to `[min, max]`.

    `low` maps exactly to `min` and `high` to `max`.

    Args:
        env: The environment to wrap; its observation space must be a `Box` with finite bounds.
        min: Lower bound(s) of the new observation space (broadcast to its shape).
        max: Upper bound(s) of the new observation space (broadcast to its shape).

    Raises:
        ValueError: If the observation space is not a finite `Box`, or unless
            `min < max` everywhere with both finite.
    """

    env: AbstractEnvLike
    observation_space: Box

    def __init__(self, env: AbstractEnvLike, min: ArrayLike = -1.0, max: ArrayLike = 1.0):
        self.env = env
        self.observation_space = target_box(
            "RescaleObservation", "observation", env.observation_space, min, max
        )

    def transform_observation(self, observation: Float[Array, "*shape"]) -> Float[Array, "*shape"]:
        return rescale(observation, cast(Box, self.env.observation_space), self.observation_space)
