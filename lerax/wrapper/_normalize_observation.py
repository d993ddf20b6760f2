"""Observations normalised by running statistics."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp
import numpy as np

from .._types import Array, Bool, Float, Key
from ..env.base import AbstractEnvLike
from ..space import Box
from ._box import require_box
from ._running_mean_std import RunningMeanStd
from .base import AbstractStatefulWrapper, WrapperState


@final
class NormalizeObservationState(eqx.Module):
    """Own state of `NormalizeObservation`.

    Attributes:
        statistics: Running statistics of every observation seen, across episodes.
        observation: The raw observation of the current state.
    """

    statistics: RunningMeanStd
    observation: Float[Array, "*shape"]


@final
class NormalizeObservation(AbstractStatefulWrapper):
    """Normalises observations to zero mean and unit variance with running statistics.

    Every observation `env` produces (initial, after each step, after each auto-reset)
    updates per-feature running mean and variance, which are then used to return
    `clip((obs - mean) / sqrt(var + epsilon), -clip, clip)`. The statistics live in the
    wrapper state, survive episode boundaries and are per environment under `vmap`.

    Args:
        env: The environment to wrap; its observation space must be a `Box`.
        epsilon: Added to the variance before the square root, > 0.
        clip: Bound on the absolute value of normalised observations (Stable-Baselines3's
            default, 10), or `None` for no clipping.

    Raises:
        ValueError: If the observation space is not a `Box`, `epsilon <= 0` or `clip <= 0`.
    """

    env: AbstractEnvLike
    hooks_use_key: ClassVar[bool] = True
    observation_space: Box
    epsilon: float
    clip: float | None = eqx.field(static=True)

    def __init__(self, env: AbstractEnvLike, epsilon: float = 1e-8, clip: float | None = 10.0):
        inner = require_box("NormalizeObservation", "observation", env.observation_space)
        if not epsilon > 0:
            raise ValueError(f"NormalizeObservation needs epsilon > 0, got {epsilon!r}")
        if clip is not None and not clip > 0:
            raise ValueError(f"NormalizeObservation needs clip > 0 or None, got {clip!r}")
        bound = np.inf if clip is None else float(clip)
        self.env = env
        self.observation_space = Box(-bound, bound, inner.shape)
        self.epsilon = float(epsilon)
        self.clip = None if clip is None else float(clip)

    def _observe(
        self, statistics: RunningMeanStd, env_state: Any, key: Key
    ) -> NormalizeObservationState:
        obs = jnp.asarray(self.env.observation(env_state, key=key), jnp.float32)
        return NormalizeObservationState(statistics.update(obs), obs)

    def initial_wrapper_state(self, env_state: Any, *, key: Key) -> NormalizeObservationState:
        return self._observe(RunningMeanStd(self.observation_space.shape), env_state, key)

    def next_wrapper_state(
        self, state: WrapperState, action: Any, next_env_state: Any, *, key: Key
    ) -> NormalizeObservationState:
        return self._observe(state.wrapper_state.statistics, next_env_state, key)

    def reset_wrapper_state(
        self, state: WrapperState, env_state: Any, *, key: Key
    ) -> NormalizeObservationState:
        return self._observe(state.wrapper_state.statistics, env_state, key)

    def observation(self, state: WrapperState, *, key: Key) -> Float[Array, "*shape"]:
        own = state.wrapper_state
        normalized = own.statistics.normalize(own.observation, self.epsilon)
        return normalized if self.clip is None else jnp.clip(normalized, -self.clip, self.clip)

    def reward(
        self, state: WrapperState, action: Any, next_state: WrapperState, *, key: Key
    ) -> Float[Array, ""]:
        return self.env.reward(state.env_state, action, next_state.env_state, key=key)

    def truncate(self, state: WrapperState) -> Bool[Array, ""]:
        return self.env.truncate(state.env_state)

    def state_info(self, state: WrapperState) -> dict[str, Any]:
        return self.env.state_info(state.env_state)
