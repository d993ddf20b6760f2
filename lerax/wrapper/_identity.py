"""A wrapper that changes nothing."""

from __future__ import annotations

from typing import Any, final

from ..env.base import AbstractEnvLike
from ..space import AbstractSpace
from .base import AbstractObservationWrapper


@final
class Identity(AbstractObservationWrapper):
    """Wraps `env` without changing anything (useful as a placeholder in wrapper stacks).

    Args:
        env: The environment to wrap.
    """

    env: AbstractEnvLike

    @property
    def observation_space(self) -> AbstractSpace:
        return self.env.observation_space

    def transform_observation(self, observation: Any) -> Any:
        return observation
