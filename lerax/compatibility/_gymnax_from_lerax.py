"""A lerax environment as a gymnax environment."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
from gymnax.environments import spaces as gymnax_spaces
from gymnax.environments.environment import Environment

from .._types import Array, Bool, Float, Int, Key, Observation
from ..env.base import AbstractEnvLike, AbstractEnvLikeState
from ..space import Box, Discrete
from ._gymnax_spaces import as_lerax_value, lerax_to_gymnax_space


@final
class LeraxEnvParams(eqx.Module):
    """The parameters of a `LeraxToGymnaxEnv`: none.

    A lerax environment holds its parameters itself (e.g. `CartPole(gravity=...)`), so
    gymnax's `params` argument is an empty pytree; `None` means the same.
    """


@final
class LeraxEnvState(eqx.Module):
    """State of a `LeraxToGymnaxEnv`.

    Attributes:
        env_state: The lerax environment's state.
        time: `int32[]`: steps taken in the current episode (0 after a reset).
    """

    env_state: AbstractEnvLikeState
    time: Int[Array, ""]


@final
class LeraxToGymnaxEnv(Environment):
    """A lerax environment (or wrapped environment) used as a gymnax `Environment`.

    Follows gymnax's functional API and auto-reset contract, and runs under `jax.jit` and
    `jax.vmap` like any gymnax environment (gymnax wrappers such as `LogWrapper` work on
    it too):

    - `reset(key, params)` returns `(observation, state)`: lerax's `env.reset(key=key)`.
    - `step(key, state, action, params)` returns
      `(observation, state, reward, terminated, truncated, info)`: lerax's
      `env.step(state, action, key=key)`, which auto-resets. After the end of an episode
      `observation` and `state` belong to the next one and `info["final_observation"]`
      is the last observation of the finished one. `info` also holds gymnax's
      `terminated` and `truncated` and the lerax environment's own info. `truncated` is
      lerax's truncation (a `TimeLimit` wrapper, for instance), never set together with
      `terminated`.
    - `params`: `LeraxEnvParams()` (empty; the lerax environment holds its parameters),
      or `None`.
    - Spaces: the lerax spaces converted by `lerax_to_gymnax_space`; actions are converted
      to the lerax action space's dtypes (`int32` or `float32`).

    `step` and `reset` use the lerax environment's keys exactly as `env.step` and
    `env.reset` do, so they return the same values for the same keys. The episode
    restarts with the lerax environment's `reset_episode`, so stateful lerax wrappers
    (`EpisodeStatistics`, `NormalizeObservation`, ...) carry their statistics across
    episodes. `step_env` and `reset_env` are the step without the auto-reset and a fresh
    reset; code that builds its own auto-reset out of them restarts those statistics.

    Args:
        env: The lerax environment, e.g. `TimeLimit(CartPole(), 500)`.

    Raises:
        TypeError: If `env` is not a lerax environment, or its spaces have no gymnax
            counterpart.

    Example:
        >>> env = LeraxToGymnaxEnv(lerax.env.make("CartPole-v1"))
        >>> params = env.default_params
        >>> obs, state = env.reset(jax.random.key(0), params)
        >>> obs, state, reward, terminated, truncated, info = env.step(
        ...     jax.random.key(1), state, 1, params
        ... )
    """

    def __init__(self, env: AbstractEnvLike):
        if not isinstance(env, AbstractEnvLike):
            raise TypeError(
                "LeraxToGymnaxEnv(env): env must be a lerax environment such as "
                f"lerax.env.classic_control.CartPole(), got {env!r}"
            )
        self.env = env
        self._observation_space = lerax_to_gymnax_space(env.observation_space)
        self._action_space = lerax_to_gymnax_space(env.action_space)

    # gymnax types `default_params` as its own `EnvParams`, whose `max_steps_in_episode`
    # would mean nothing here: the lerax environment (a `TimeLimit`) sets the time limit.
    @property
    def default_params(self) -> LeraxEnvParams:  # pyright: ignore[reportIncompatibleMethodOverride]
        """`LeraxEnvParams()`."""
        return LeraxEnvParams()

    @property
    def name(self) -> str:
        """The lerax environment's name."""
        return self.env.name

    @property
    def num_actions(self) -> int:
        """The number of actions of a `Discrete` action space, the size of a `Box` one.

        Raises:
            NotImplementedError: For `Tuple` and `Dict` action spaces.
        """
        space = self.env.action_space
        if isinstance(space, Discrete):
            return space.n
        if isinstance(space, Box):
            return space.flat_size
        raise NotImplementedError(
            f"LeraxToGymnaxEnv({self.env.name}).num_actions: the action space {space!r} is "
            "neither Discrete nor Box; use action_space(params) instead"
        )

    def action_space(self, params: LeraxEnvParams | None = None) -> gymnax_spaces.Space:
        """The lerax action space as a gymnax space."""
        return self._action_space

    def observation_space(self, params: LeraxEnvParams | None = None) -> gymnax_spaces.Space:
        """The lerax observation space as a gymnax space."""
        return self._observation_space

    def step(
        self,
        key: Key,
        state: LeraxEnvState,
        action: Any,
        params: LeraxEnvParams | None = None,
    ) -> tuple[
        Observation, LeraxEnvState, Float[Array, ""], Bool[Array, ""], Bool[Array, ""], dict
    ]:
        """Take one step with lerax's `env.step`, auto-resetting at the end of an episode.

        Args:
            key: PRNG key.
            state: The current state.
            action: An element of `action_space(params)`.
            params: `LeraxEnvParams()` or `None`.

        Returns:
            `(observation, state, reward, terminated, truncated, info)`.
        """
        return _step(self.env, key, state, action)

    def reset_env(
        self, key: Key, params: LeraxEnvParams | None
    ) -> tuple[Observation, LeraxEnvState]:
        """Start an episode with lerax's `env.reset(key=key)` (`reset` calls this).

        Returns:
            `(observation, state)`.
        """
        return _reset(self.env, key)

    def step_env(
        self,
        key: Key,
        state: LeraxEnvState,
        action: Any,
        params: LeraxEnvParams | None,
    ) -> tuple[Observation, LeraxEnvState, Float[Array, ""], Bool[Array, ""], dict]:
        """One step without the auto-reset: the lerax environment's functional pieces.

        `step` does not call this (it calls lerax's `env.step`). The keys of the pieces are
        split from `key`, so the values are not those of `step` for the same key.

        Returns:
            `(observation, state, reward, terminated, info)`.
        """
        return _step_env(self.env, key, state, action)

    def observe(
        self, key: Key, state: LeraxEnvState, action: Any, params: LeraxEnvParams | None
    ) -> Observation:
        """The observation of `state` (`action` is not used)."""
        return self.env.observation(state.env_state, key=key)

    def is_truncated(self, state: LeraxEnvState, params: LeraxEnvParams | None) -> Bool[Array, ""]:
        """Whether the lerax environment truncates the episode in `state`."""
        return jnp.asarray(self.env.truncate(state.env_state), bool)


@eqx.filter_jit
def _reset(env: AbstractEnvLike, key: Key) -> tuple[Observation, LeraxEnvState]:
    env_state, observation, _ = env.reset(key=key)
    return observation, LeraxEnvState(env_state, jnp.zeros((), jnp.int32))


@eqx.filter_jit
def _step(
    env: AbstractEnvLike, key: Key, state: LeraxEnvState, action: Any
) -> tuple[Observation, LeraxEnvState, Float[Array, ""], Bool[Array, ""], Bool[Array, ""], dict]:
    action = as_lerax_value(env.action_space, action)
    env_state, observation, reward, terminal, truncate, info = env.step(
        state.env_state, action, key=key
    )
    time = jnp.where(terminal | truncate, 0, state.time + 1).astype(jnp.int32)
    info = {**info, "terminated": terminal, "truncated": truncate}
    return observation, LeraxEnvState(env_state, time), reward, terminal, truncate, info


@eqx.filter_jit
def _step_env(
    env: AbstractEnvLike, key: Key, state: LeraxEnvState, action: Any
) -> tuple[Observation, LeraxEnvState, Float[Array, ""], Bool[Array, ""], dict]:
    action = as_lerax_value(env.action_space, action)
    k_transition, k_reward, k_terminal, k_observation = jax.random.split(key, 4)
    next_state = env.transition(state.env_state, action, key=k_transition)
    reward = env.reward(state.env_state, action, next_state, key=k_reward)
    terminal = env.terminal(next_state, key=k_terminal)
    observation = env.observation(next_state, key=k_observation)
    info = {
        **env.state_info(next_state),
        **env.transition_info(state.env_state, action, next_state),
    }
    return (
        observation,
        LeraxEnvState(next_state, state.time + 1),
        jnp.asarray(reward, jnp.float32),
        jnp.asarray(terminal, bool),
        info,
    )
