"""Episodes cut off after a fixed number of steps."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from .._types import Array, Bool, Float, Int, Key
from ..env.base import AbstractEnvLike
from ..space import AbstractSpace
from .base import AbstractStatefulWrapper, WrapperState


@final
class TimeLimit(AbstractStatefulWrapper):
    """Truncates episodes after `max_episode_steps` steps.

    The wrapper state counts the steps of the current episode; the episode is truncated
    when the count reaches `max_episode_steps` or when `env` truncates by itself. The count
    restarts at every new episode.

    Args:
        env: The environment to wrap.
        max_episode_steps: Number of steps after which an episode is truncated, at least 1.

    Raises:
        TypeError: If `max_episode_steps` is not an `int`.
        ValueError: If `max_episode_steps < 1`.
    """

    env: AbstractEnvLike
    hooks_use_key: ClassVar[bool] = False
    max_episode_steps: int = eqx.field(static=True)

    def __check_init__(self):
        steps = self.max_episode_steps
        if isinstance(steps, bool) or not isinstance(steps, int):
            raise TypeError(f"TimeLimit needs an int max_episode_steps, got {steps!r}")
        if steps <= 0:
            raise ValueError(f"TimeLimit needs max_episode_steps >= 1, got {steps!r}")

    @property
    def observation_space(self) -> AbstractSpace:
        return self.env.observation_space

    def initial_wrapper_state(self, env_state: Any, *, key: Key) -> Int[Array, ""]:
        return jnp.array(0, jnp.int32)

    def next_wrapper_state(
        self, state: WrapperState, action: Any, next_env_state: Any, *, key: Key
    ) -> Int[Array, ""]:
        return state.wrapper_state + 1

    def reset_wrapper_state(
        self, state: WrapperState, env_state: Any, *, key: Key
    ) -> Int[Array, ""]:
        return jnp.array(0, jnp.int32)

    def observation(self, state: WrapperState, *, key: Key) -> Any:
        return self.env.observation(state.env_state, key=key)

    def reward(
        self, state: WrapperState, action: Any, next_state: WrapperState, *, key: Key
    ) -> Float[Array, ""]:
        return self.env.reward(state.env_state, action, next_state.env_state, key=key)

    def truncate(self, state: WrapperState) -> Bool[Array, ""]:
        return (state.wrapper_state >= self.max_episode_steps) | self.env.truncate(state.env_state)

    def state_info(self, state: WrapperState) -> dict[str, Any]:
        return self.env.state_info(state.env_state)
