"""n-step bootstrapped returns."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, ArrayLike, Bool, Float, FloatScalarLike
from ..utils._checks import check_unit_interval
from ._gae import _next_values
from .base import AbstractAdvantageEstimator


@final
class NStepReturn(AbstractAdvantageEstimator):
    """n-step return: ``n`` discounted rewards, then the value estimate.

    ``G_t = sum_{k<m} gamma^k r_{t+k} + gamma^m V_next_{t+m-1}`` with ``m = n``, unless
    the episode ends or the rollout runs out first: then ``m`` stops at that step and
    `V_next` is zero after a terminal, the bootstrap value after a truncation (when
    given, see `AbstractAdvantageEstimator`) or `last_value` after the rollout's last
    step. Otherwise `V_next_{t+n-1}` is ``values[t + n]``. Advantages are
    ``G_t - V(s_t)``.

    ``n=1`` is the TD(0) target ``r_t + gamma * V_next_t``; ``n`` at least the rollout
    length gives `BootstrappedReturn`. The sum is a `lax.fori_loop` over the ``n``
    offsets (at most the rollout length), each vectorised over all steps.

    `n` is static; `gamma` is an array leaf, so it can be swept with `eqx.filter_vmap`.

    Args:
        n: Number of rewards summed before bootstrapping, an int ``>= 1``.
        gamma: Discount factor in ``[0, 1]``.

    Example:
        >>> advantages, returns = NStepReturn(5, gamma=0.99)(rewards, values, dones, last_value)
    """

    n: int = eqx.field(static=True)
    gamma: FloatScalarLike = 0.99

    def __check_init__(self):
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 1:
            raise ValueError(f"NStepReturn: n must be an int >= 1 (e.g. n=5), got {self.n!r}")
        check_unit_interval(self.gamma, "gamma", "NStepReturn")

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
        # Value of the state after each step: values[t+1], zero after a terminal, the
        # bootstrap value after a truncation, last_value after the rollout's last step.
        following = _next_values(values, dones, last_value, truncations, bootstrap_values)
        steps = values.shape[0]
        # The sum for step t stops at its episode's end or at the rollout's last step.
        stops = dones.at[-1].set(True)
        horizon = min(self.n, steps)  # every sum has stopped after `steps` offsets

        def offset(k, carry):
            # Add reward t+k to the sum of step t, for every t at once.
            total, discount, running = carry
            reward = jnp.roll(rewards, -k, axis=0)
            stop = jnp.roll(stops, -k, axis=0) | (k == horizon - 1)
            next_value = jnp.roll(following, -k, axis=0)
            total = total + jnp.where(running, discount * reward, 0.0)
            discount = discount * self.gamma
            total = total + jnp.where(running & stop, discount * next_value, 0.0)
            return total, discount, running & ~stop

        init = (jnp.zeros_like(values), jnp.ones((), values.dtype), jnp.ones_like(dones))
        returns, _, _ = jax.lax.fori_loop(0, horizon, offset, init)
        return returns - values, returns
