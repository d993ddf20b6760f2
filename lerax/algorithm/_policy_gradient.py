"""One gradient step of advantage-weighted log-likelihood on a whole rollout (A2C, REINFORCE)."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax.numpy as jnp
import optax

from .._types import Array, Float, FloatScalarLike, Int
from ..buffer import RolloutBuffer
from ..policy import AbstractActorCriticPolicy
from ._gradient import gradient_step
from ._on_policy import evaluate, explained_variance, normalize


@final
class PolicyGradientStats(eqx.Module):
    """A2C's and REINFORCE's statistics of one iteration.

    Attributes:
        policy_loss: ``-mean(A log pi(a | s))``.
        value_loss: Mean squared error of the values against the returns.
        entropy_loss: Minus the mean entropy of the action distribution.
        explained_variance: How much of the returns' variance the values explained
            before the update.
    """

    policy_loss: Float[Array, ""]
    value_loss: Float[Array, ""]
    entropy_loss: Float[Array, ""]
    explained_variance: Float[Array, ""]


@final
class PolicyGradientLoss(eqx.Module):
    """``-mean(A log pi) + c_v mean((V - R)^2) - c_e mean(entropy)`` on a flat batch.

    Attributes:
        value_loss_coefficient: `c_v`.
        entropy_loss_coefficient: `c_e`.
        normalize_advantages: Normalise the batch's advantages first.
    """

    value_loss_coefficient: FloatScalarLike
    entropy_loss_coefficient: FloatScalarLike
    normalize_advantages: bool = eqx.field(static=True)

    def __call__(
        self, policy: AbstractActorCriticPolicy, batch: RolloutBuffer
    ) -> tuple[Float[Array, ""], PolicyGradientStats]:
        values, log_probs, entropy = evaluate(policy, batch)
        advantages = batch.advantages
        if self.normalize_advantages:
            advantages = normalize(advantages)
        policy_loss = -jnp.mean(advantages * log_probs)
        value_loss = jnp.mean(jnp.square(values - batch.returns))
        entropy_loss = -jnp.mean(entropy)
        loss = (
            policy_loss
            + self.value_loss_coefficient * value_loss
            + self.entropy_loss_coefficient * entropy_loss
        )
        zero = jnp.zeros((), jnp.float32)
        return loss, PolicyGradientStats(policy_loss, value_loss, entropy_loss, zero)

    def update(
        self,
        optimizer: optax.GradientTransformation,
        policy: AbstractActorCriticPolicy,
        opt_state: optax.OptState,
        buffer: RolloutBuffer,
        updates: Int[Array, ""],
    ) -> tuple[AbstractActorCriticPolicy, optax.OptState, Int[Array, ""], PolicyGradientStats]:
        """One gradient step on the whole rollout (steps and environments flattened)."""
        policy, opt_state, _, stats = gradient_step(
            optimizer, policy, policy.trainable(), opt_state, self, buffer.flatten()
        )
        stats = eqx.tree_at(
            lambda s: s.explained_variance,
            stats,
            explained_variance(buffer.values, buffer.returns),
        )
        return policy, opt_state, updates + 1, stats
