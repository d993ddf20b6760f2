"""n-step bootstrapped return along a trajectory."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, ArrayLike, Bool, Float, FloatScalarLike
from ..utils._checks import check_unit_interval
from .base import AbstractReturnTarget


@final
class NStepReturn(AbstractReturnTarget):
    """The n-step target along a time-major trajectory.

    ``G_t = sum_{k<m} gamma^k r_{t+k} + gamma^m (1 - terminal_{t+m-1}) V_next_{t+m-1}``
    where ``m <= n`` is cut short by the end of the episode (terminal or truncation) or of
    the trajectory. Implemented as a `lax.scan` over the `n` offsets, so `n` only sets the
    loop length. ``NStepReturn(1, gamma)`` equals ``BootstrappedReturn(gamma)``.

    Args:
        n: Number of steps, at least 1 (static).
        gamma: Discount factor in ``[0, 1]`` (an array leaf).

    Example:
        >>> targets = NStepReturn(3, 0.99)(rewards, terminals, next_values, truncations=truncs)
    """

    n: int = eqx.field(static=True)
    gamma: FloatScalarLike

    def __check_init__(self):
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 1:
            raise ValueError(f"NStepReturn: n must be an int >= 1, got {self.n!r}")
        check_unit_interval(self.gamma, "gamma", "NStepReturn")

    def __call__(
        self,
        rewards: Float[ArrayLike, " steps *envs"],
        terminals: Bool[ArrayLike, " steps *envs"],
        next_values: Float[ArrayLike, " steps *envs"],
        *,
        truncations: Bool[ArrayLike, " steps *envs"] | None = None,
    ) -> Float[Array, " steps *envs"]:
        rewards = jnp.asarray(rewards)
        steps = rewards.shape[0]
        terminals = jnp.asarray(terminals, bool)
        dones = terminals if truncations is None else terminals | jnp.asarray(truncations, bool)
        bootstrap = (1.0 - terminals.astype(rewards.dtype)) * next_values
        # The trajectory end behaves like a truncation: bootstrap there, look no further.
        last = jnp.arange(steps) == steps - 1
        ends = dones | jnp.reshape(last, (steps,) + (1,) * (rewards.ndim - 1))
        pad = [(0, self.n)] + [(0, 0)] * (rewards.ndim - 1)
        r_pad, b_pad = jnp.pad(rewards, pad), jnp.pad(bootstrap, pad)
        e_pad = jnp.pad(ends, pad, constant_values=True)

        def offset(carry, k):
            total, discount, alive = carry
            r = jax.lax.dynamic_slice_in_dim(r_pad, k, steps)
            b = jax.lax.dynamic_slice_in_dim(b_pad, k, steps)
            e = jax.lax.dynamic_slice_in_dim(e_pad, k, steps)
            stop = alive & (e | (k == self.n - 1))
            total = total + jnp.where(alive, discount * r, 0.0)
            total = total + jnp.where(stop, discount * self.gamma * b, 0.0)
            return (total, discount * self.gamma, alive & ~stop), None

        init = (jnp.zeros_like(rewards), jnp.ones((), rewards.dtype), jnp.ones(rewards.shape, bool))
        (total, _, _), _ = jax.lax.scan(offset, init, jnp.arange(self.n))
        return total
