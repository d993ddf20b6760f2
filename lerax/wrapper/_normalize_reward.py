"""Rewards scaled by the running standard deviation of the discounted return."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp

from .._types import Array, Bool, Float, Key
from ..env.base import AbstractEnvLike
from ..space import AbstractSpace
from ._running_mean_std import RunningMeanStd
from .base import AbstractStatefulWrapper, WrapperState


@final
class NormalizeRewardState(eqx.Module):
    """Own state of `NormalizeReward`.

    Attributes:
        statistics: Running statistics of the discounted return, across episodes.
        discounted_return: `sum_k gamma^k r_{t-k}` over the current episode.
        reward: The raw reward of the last transition.
    """

    statistics: RunningMeanStd
    discounted_return: Float[Array, ""]
    reward: Float[Array, ""]


@final
class NormalizeReward(AbstractStatefulWrapper):
    """Scales rewards by the running standard deviation of the discounted return.

    As in Stable-Baselines3's `VecNormalize` and Gymnasium's `NormalizeReward`: after each
    step the discounted return `G <- gamma * G + r` updates running statistics, and the
    reward returned is `r / sqrt(var(G) + epsilon)` (not centred). Until two returns have
    been seen, `var(G)` is taken as 1 (one sample has no spread), so the first reward is not
    blown up by `1 / sqrt(epsilon)`. `G` restarts at every new episode; the statistics
    survive episodes and live in the wrapper state. The reward scaled is the one the
    transition fed to the statistics, so stochastic rewards stay consistent.

    Args:
        env: The environment to wrap.
        gamma: Discount factor of the return, in `[0, 1]`.
        epsilon: Added to the variance before the square root, > 0.

    Raises:
        ValueError: If `gamma` is outside `[0, 1]` or `epsilon <= 0`.
    """

    env: AbstractEnvLike
    hooks_use_key: ClassVar[bool] = True
    gamma: float
    epsilon: float

    def __init__(self, env: AbstractEnvLike, gamma: float = 0.99, epsilon: float = 1e-8):
        if not 0.0 <= gamma <= 1.0:
            raise ValueError(f"NormalizeReward needs 0 <= gamma <= 1, got {gamma!r}")
        if not epsilon > 0:
            raise ValueError(f"NormalizeReward needs epsilon > 0, got {epsilon!r}")
        self.env = env
        self.gamma = float(gamma)
        self.epsilon = float(epsilon)

    @property
    def observation_space(self) -> AbstractSpace:
        return self.env.observation_space

    def initial_wrapper_state(self, env_state: Any, *, key: Key) -> NormalizeRewardState:
        zero = jnp.array(0.0, jnp.float32)
        return NormalizeRewardState(RunningMeanStd(()), zero, zero)

    def next_wrapper_state(
        self, state: WrapperState, action: Any, next_env_state: Any, *, key: Key
    ) -> NormalizeRewardState:
        own = state.wrapper_state
        reward = jnp.asarray(
            self.env.reward(state.env_state, action, next_env_state, key=key), jnp.float32
        )
        discounted_return = self.gamma * own.discounted_return + reward
        return NormalizeRewardState(
            own.statistics.update(discounted_return), discounted_return, reward
        )

    def reset_wrapper_state(
        self, state: WrapperState, env_state: Any, *, key: Key
    ) -> NormalizeRewardState:
        zero = jnp.array(0.0, jnp.float32)
        return NormalizeRewardState(state.wrapper_state.statistics, zero, zero)

    def observation(self, state: WrapperState, *, key: Key) -> Any:
        return self.env.observation(state.env_state, key=key)

    def reward(
        self, state: WrapperState, action: Any, next_state: WrapperState, *, key: Key
    ) -> Float[Array, ""]:
        own = next_state.wrapper_state
        var = jnp.where(own.statistics.count > 1, own.statistics.var, 1.0)
        return own.reward / jnp.sqrt(var + self.epsilon)

    def truncate(self, state: WrapperState) -> Bool[Array, ""]:
        return self.env.truncate(state.env_state)

    def state_info(self, state: WrapperState) -> dict[str, Any]:
        return self.env.state_info(state.env_state)
