"""Generalised advantage estimation."""

from __future__ import annotations

from typing import final

import jax
import jax.numpy as jnp

from .._types import Array, ArrayLike, Bool, Float, FloatScalarLike
from ..utils._checks import check_unit_interval
from .base import AbstractAdvantageEstimator


def _next_values(
    values: Float[Array, " steps *envs"],
    dones: Bool[ArrayLike, " steps *envs"],
    last_value: Float[ArrayLike, "*envs"],
    truncations: Bool[ArrayLike, " steps *envs"] | None,
    bootstrap_values: Float[ArrayLike, " steps *envs"] | None,
) -> Float[Array, " steps *envs"]:
    """The value of the state after each step: the next step's value, zero after an episode
    end, or `bootstrap_values` after a truncation when given."""
    if (truncations is None) != (bootstrap_values is None):
        raise ValueError("GAE: give truncations and bootstrap_values together, or neither")
    last_value = jnp.asarray(last_value, values.dtype)
    if last_value.shape != values.shape[1:]:
        raise ValueError(
            f"GAE: last_value must have shape {values.shape[1:]} (values without the step "
            f"axis), got {last_value.shape}"
        )
    following = jnp.concatenate([values[1:], last_value[None]], axis=0)
    out = jnp.where(dones, jnp.zeros_like(values), following)
    if truncations is not None and bootstrap_values is not None:
        out = jnp.where(truncations, jnp.asarray(bootstrap_values, values.dtype), out)
    return out


@final
class GAE(AbstractAdvantageEstimator):
    """Generalised advantage estimation (Schulman et al., 2016).

    ``delta_t = r_t + gamma * V_next_t - V(s_t)`` and
    ``A_t = delta_t + gamma * lam * (1 - done_t) * A_{t+1}``, computed by a reverse
    `lax.scan`; returns are ``A_t + V(s_t)``. `V_next_t` is zero after a terminal and
    the given bootstrap value after a truncation (see `AbstractAdvantageEstimator`).

    `gamma` and `lam` are array leaves, so they can be swept with `eqx.filter_vmap`.

    Args:
        gamma: Discount factor in ``[0, 1]``.
        lam: GAE trade-off between bias (0) and variance (1), in ``[0, 1]``.

    Example:
        >>> advantages, returns = GAE(gamma=0.99, lam=0.95)(rewards, values, dones, last_value)
    """

    gamma: FloatScalarLike = 0.99
    lam: FloatScalarLike = 0.95

    def __check_init__(self):
        check_unit_interval(self.gamma, "gamma", "GAE")
        check_unit_interval(self.lam, "lam", "GAE")

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
        dones = jnp.asarray(dones, bool)
        following = _next_values(values, dones, last_value, truncations, bootstrap_values)
        deltas = rewards + self.gamma * following - values
        decay = self.gamma * self.lam * (1.0 - dones.astype(values.dtype))

        def step(advantage, inputs):
            delta, d = inputs
            advantage = delta + d * advantage
            return advantage, advantage

        _, advantages = jax.lax.scan(step, jnp.zeros_like(values[0]), (deltas, decay), reverse=True)
        return advantages, advantages + values
