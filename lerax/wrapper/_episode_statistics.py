"""Return and length of every episode, reported in the info."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Bool, Float, Int, Key
from ..env.base import AbstractEnvLike
from ..space import AbstractSpace
from .base import AbstractStatefulWrapper, WrapperState


@final
class EpisodeStatisticsState(eqx.Module):
    """Own state of `EpisodeStatistics`.

    Attributes:
        episode_return: Sum of the rewards of the current episode so far.
        episode_length: Number of steps of the current episode so far.
        episode_done: Whether the last step ended the episode.
        episode_count: Number of episodes finished so far (survives episodes).
        reward: The reward of the last transition.
    """

    episode_return: Float[Array, ""]
    episode_length: Int[Array, ""]
    episode_done: Bool[Array, ""]
    episode_count: Int[Array, ""]
    reward: Float[Array, ""]


def _fresh(episode_count: Int[Array, ""]) -> EpisodeStatisticsState:
    zero = jnp.array(0.0, jnp.float32)
    return EpisodeStatisticsState(
        zero, jnp.array(0, jnp.int32), jnp.array(False), episode_count, zero
    )


@final
class EpisodeStatistics(AbstractStatefulWrapper):
    """Records the return and length of each episode in the info.

    Every info (fixed structure, so it works under `jit` and `vmap`) carries:

    - `episode_return`: sum of the rewards of the episode so far; on the step that ends an
      episode, the return of the whole episode;
    - `episode_length`: number of steps of the episode so far (likewise);
    - `episode_done`: whether this step ended the episode (terminal or truncated);
    - `episode_count`: number of episodes finished so far, this one included.

    Put it outside `TimeLimit` (as with Gymnasium's `RecordEpisodeStatistics`), so that it
    sees the truncation. Its rewards are exactly those it sums.

    Args:
        env: The environment to wrap.
    """

    env: AbstractEnvLike
    hooks_use_key: ClassVar[bool] = True

    @property
    def observation_space(self) -> AbstractSpace:
        return self.env.observation_space

    def initial_wrapper_state(self, env_state: Any, *, key: Key) -> EpisodeStatisticsState:
        return _fresh(jnp.array(0, jnp.int32))

    def next_wrapper_state(
        self, state: WrapperState, action: Any, next_env_state: Any, *, key: Key
    ) -> EpisodeStatisticsState:
        own = state.wrapper_state
        reward_key, terminal_key = jax.random.split(key)
        reward = jnp.asarray(
            self.env.reward(state.env_state, action, next_env_state, key=reward_key), jnp.float32
        )
        terminal = self.env.terminal(next_env_state, key=terminal_key)
        done = jnp.asarray(terminal | self.env.truncate(next_env_state), bool)
        return EpisodeStatisticsState(
            episode_return=own.episode_return + reward,
            episode_length=own.episode_length + 1,
            episode_done=done,
            episode_count=own.episode_count + done.astype(jnp.int32),
            reward=reward,
        )

    def reset_wrapper_state(
        self, state: WrapperState, env_state: Any, *, key: Key
    ) -> EpisodeStatisticsState:
        return _fresh(state.wrapper_state.episode_count)

    def observation(self, state: WrapperState, *, key: Key) -> Any:
        return self.env.observation(state.env_state, key=key)

    def reward(
        self, state: WrapperState, action: Any, next_state: WrapperState, *, key: Key
    ) -> Float[Array, ""]:
        return next_state.wrapper_state.reward

    def truncate(self, state: WrapperState) -> Bool[Array, ""]:
        return self.env.truncate(state.env_state)

    def state_info(self, state: WrapperState) -> dict[str, Any]:
        own = state.wrapper_state
        info = dict(self.env.state_info(state.env_state))
        info["episode_return"] = own.episode_return
        info["episode_length"] = own.episode_length
        info["episode_done"] = own.episode_done
        info["episode_count"] = own.episode_count
        return info
