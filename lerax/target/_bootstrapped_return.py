"""One-step bootstrapped (TD(0)) return."""

from __future__ import annotations

from typing import final

import jax.numpy as jnp

from .._types import Array, ArrayLike, Bool, Float, FloatScalarLike
from ..utils._checks import check_unit_interval
from .base import AbstractReturnTarget


@final
class BootstrappedReturn(AbstractReturnTarget):
    """The one-step target ``r + gamma * (1 - terminal) * next_value``.

    Truncations need no special care: `next_value` of a truncated step is the value of
    the cut-off episode's final observation and is bootstrapped as usual.

    Args:
        gamma: Discount factor in ``[0, 1]`` (an array leaf, so it can be vmapped).

    Example:
        >>> targets = BootstrappedReturn(0.99)(batch.reward, batch.terminal, next_q.max(-1))
    """

    gamma: FloatScalarLike

    def __check_init__(self):
        check_unit_interval(self.gamma, "gamma", "BootstrappedReturn")

    def __call__(
        self,
        rewards: Float[ArrayLike, " steps *envs"],
        terminals: Bool[ArrayLike, " steps *envs"],
        next_values: Float[ArrayLike, " steps *envs"],
        *,
        truncations: Bool[ArrayLike, " steps *envs"] | None = None,
    ) -> Float[Array, " steps *envs"]:
        del truncations  # a truncated step still bootstraps from its next value
        rewards = jnp.asarray(rewards)
        not_terminal = 1.0 - jnp.asarray(terminals).astype(rewards.dtype)
        return rewards + self.gamma * not_terminal * next_values
