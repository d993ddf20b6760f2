"""Monte-Carlo returns that bootstrap only where an episode is cut off."""

from __future__ import annotations

from typing import final

import jax
import jax.numpy as jnp

from .._types import Array, ArrayLike, Bool, Float, FloatScalarLike
from ..utils._checks import check_unit_interval
from ._gae import _next_values
from .base import AbstractAdvantageEstimator


@final
class BootstrappedReturn(AbstractAdvantageEstimator):
    """Discounted reward-to-go within each episode, as the value target.

    ``G_t = r_t + gamma * G_{t+1}`` inside an episode, computed by a reverse `lax.scan`.
    After the last step of the rollout a still-running episode bootstraps from
    `last_value`; after a terminal the return is cut to zero; after a truncation it
    bootstraps from `bootstrap_values` when given (see `AbstractAdvantageEstimator`).
    Advantages are ``G_t - V(s_t)``. This equals `GAE` with ``lam=1``.

    `gamma` is an array leaf, so it can be swept with `eqx.filter_vmap`.

    Args:
        gamma: Discount factor in ``[0, 1]``.

    Example:
        >>> advantages, returns = BootstrappedReturn(gamma=0.99)(rewards, values, dones, last_value)
    """

    gamma: FloatScalarLike = 0.99

    def __check_init__(self):
        check_unit_interval(self.gamma, "gamma", "BootstrappedReturn")

    def __call__(
        self,
        rewards: Float[ArrayLike, " steps *envs"],
        values: Float[ArrayLike, " steps *envs"],
        dones: Bool[ArrayLike, " steps *envs"],
        last_value: Float[ArrayLike, "*envs"],
        *,
        truncations: Bool[ArrayLike, " steps *envs"] | None = None,
        bootstrap_values: Float[ArrayLike, " steps *envs"] | None = None,
    ) -> tuple[Float[Array, " steps *envs"], Float[Array, " steps *envs"]]:
        values = jnp.asarray(values)
        rewards = jnp.asarray(rewards, values.dtype)
        dones = jnp.asarray(dones, bool)
        # After an episode end: zero, or the bootstrap value of a truncation.
        ended = _next_values(values, dones, last_value, truncations, bootstrap_values)

        def step(future, inputs):
            reward, done, end_value = inputs
            ret = reward + self.gamma * jnp.where(done, end_value, future)
            return ret, ret

        init = jnp.asarray(last_value, values.dtype)
        _, returns = jax.lax.scan(step, init, (rewards, dones, ended), reverse=True)
        return returns - values, returns
