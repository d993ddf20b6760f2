"""Monte-Carlo discounted returns with episode boundaries."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .._types import Array, ArrayLike, Bool, Float, FloatScalarLike


def discounted_returns(
    rewards: Float[ArrayLike, " steps *envs"],
    dones: Bool[ArrayLike, " steps *envs"],
    final_value: Float[ArrayLike, "*envs"],
    gamma: FloatScalarLike,
) -> Float[Array, " steps *envs"]:
    """Discounted reward-to-go, restarting at episode boundaries.

    ``G_t = r_t + gamma * (1 - done_t) * G_{t+1}`` with ``G_T = final_value``, computed by
    a reverse `lax.scan` over axis 0.

    Args:
        rewards: Reward of each step (time-major).
        dones: Whether the episode ended with the step.
        final_value: Value to bootstrap from after the last step (zero for complete
            episodes), shaped like `rewards` without the step axis.
        gamma: Discount factor.

    Returns:
        The returns, shaped like `rewards`.

    Example:
        >>> returns = discounted_returns(rewards, dones, jnp.zeros(()), 0.99)
    """
    rewards = jnp.asarray(rewards)
    final_value = jnp.asarray(final_value, rewards.dtype)
    if final_value.shape != rewards.shape[1:]:
        raise ValueError(
            "discounted_returns: final_value must have shape "
            f"{rewards.shape[1:]} (rewards without the step axis), got {final_value.shape}"
        )
    discounts = gamma * (1.0 - jnp.asarray(dones).astype(rewards.dtype))

    def step(future, inputs):
        reward, discount = inputs
        ret = reward + discount * future
        return ret, ret

    _, returns = jax.lax.scan(step, final_value, (rewards, discounts), reverse=True)
    return returns
