"""Observations transformed by a user function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, final

import equinox as eqx

from ..env.base import AbstractEnvLike
from ..space import AbstractSpace
from .base import AbstractObservationWrapper


@final
class TransformObservation(AbstractObservationWrapper):
    """Applies `func` to every observation.

    Args:
        env: The environment to wrap.
        func: Jittable map from an observation of `env` to an observation in
            `observation_space`.
        observation_space: The space of the transformed observations.

    Example:
        `TransformObservation(env, lambda o: 2 * o, Box(-2.0, 2.0, env.observation_space.shape))`
    """

    env: AbstractEnvLike
    func: Callable[[Any], Any] = eqx.field(static=True)
    observation_space: AbstractSpace

    def __check_init__(self):
        if not callable(self.func):
            raise TypeError(f"TransformObservation: func must be callable, got {self.func!r}")
        if not isinstance(self.observation_space, AbstractSpace):
            raise TypeError(
                "TransformObservation: observation_space must be a lerax space, "
                f"got {self.observation_space!r}"
            )

    def transform_observation(self, observation: Any) -> Any:
        return self.func(observation)
