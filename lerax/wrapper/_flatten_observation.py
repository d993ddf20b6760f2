"""Observations flattened to a 1-D float vector."""

from __future__ import annotations

from typing import Any, final

import numpy as np

from .._types import Array, Float
from ..env.base import AbstractEnvLike
from ..space import Box
from .base import AbstractObservationWrapper


@final
class FlattenObservation(AbstractObservationWrapper):
    """Flattens observations with `observation_space.flatten_sample`.

    The new observation space is a `Box` of shape `(flat_size,)`: with the flattened bounds
    when `env`'s observation space is a `Box`, unbounded otherwise.

    Args:
        env: The environment to wrap (any observation space).
    """

    env: AbstractEnvLike
    observation_space: Box

    def __init__(self, env: AbstractEnvLike):
        self.env = env
        space = env.observation_space
        if isinstance(space, Box):
            self.observation_space = Box(np.ravel(space.low), np.ravel(space.high))
        else:
            self.observation_space = Box(-np.inf, np.inf, (space.flat_size,))

    def transform_observation(self, observation: Any) -> Float[Array, " size"]:
        return self.env.observation_space.flatten_sample(observation)
