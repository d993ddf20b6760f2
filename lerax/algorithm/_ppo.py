"""Proximal policy optimisation."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import optax

from .._types import Array, Float, FloatScalarLike, Int, Key
from ..advantage import GAE
from ..buffer import RolloutBuffer
from ..policy import AbstractActorCriticPolicy
from ..utils import filter_scan
from ._checks import check_bools, check_nonnegative, check_positive_ints, check_unit
from ._gradient import gradient_step
from ._on_policy import (
    AbstractOnPolicyAlgorithm,
    check_common,
    evaluate,
    explained_variance,
    normalize,
)


@final
class PPOStats(eqx.Module):
    """PPO's statistics of one iteration (means over its minibatch updates).

    Attributes:
        policy_loss: The clipped surrogate loss.
        value_loss: The (optionally clipped) squared error of the values.
        entropy_loss: Minus the mean entropy of the action distribution.
        approx_kl: Estimate of the KL divergence from the acting policy,
            ``mean((ratio - 1) - log ratio)``.
        clip_fraction: Fraction of items whose probability ratio was clipped.
        explained_variance: How much of the returns' variance the values explained
            before the update (1 is perfect, 0 is no better than a constant).
    """

    policy_loss: Float[Array, ""]
    value_loss: Float[Array, ""]
    entropy_loss: Float[Array, ""]
    approx_kl: Float[Array, ""]
    clip_fraction: Float[Array, ""]
    explained_variance: Float[Array, ""]


def _at(value: Any, count: Int[Array, ""]) -> Any:
    """A hyperparameter's value at gradient step `count` (schedules are called)."""
    return value(count) if callable(value) else value


@final
class PPO(AbstractOnPolicyAlgorithm):
    """Proximal policy optimisation with a clipped surrogate objective (Schulman et al., 2017).

    Each iteration collects `num_steps` steps in each of `num_envs` environments, computes
    GAE advantages (bootstrapping through truncations), then runs `num_epochs` epochs over
    the rollout in `num_batches` shuffled minibatches. The loss is the clipped surrogate
    ``-min(r A, clip(r, 1 - c, 1 + c) A)`` plus `value_loss_coefficient` times the squared
    error of the values (with `clip_value_loss`, the maximum of the clipped and unclipped
    errors) minus `entropy_loss_coefficient` times the entropy. Advantages are normalised
    per minibatch when `normalize_advantages`. Action masks are honoured when acting and in
    log-probabilities and entropies.

    `learning_rate` and `clip_coefficient` accept optax schedules (functions of the
    gradient step). Array-valued hyperparameters are leaves: `eqx.filter_vmap` sweeps them.

    Args:
        num_envs: Parallel environments.
        num_steps: Steps per environment per iteration.
        num_epochs: Passes over each rollout.
        num_batches: Minibatches per epoch; must divide ``num_envs * num_steps``.
        gae_lambda: GAE lambda.
        gamma: Discount factor.
        clip_coefficient: Surrogate clipping range (a float or schedule).
        clip_value_loss: Clip the value updates by the same range.
        entropy_loss_coefficient: Weight of the entropy bonus.
        value_loss_coefficient: Weight of the value loss.
        max_grad_norm: Global gradient-norm clip.
        normalize_advantages: Normalise advantages per minibatch.
        learning_rate: Adam learning rate (a float or schedule).

    Example:
        >>> env = CartPole()
        >>> policy = MLPActorCriticPolicy(env=env, key=jax.random.key(0))
        >>> algo = PPO()
        >>> policy = algo.learn(env, policy, total_timesteps=2**16, key=jax.random.key(1))
    """

    num_envs: int = eqx.field(static=True, default=4, kw_only=True)
    num_steps: int = eqx.field(static=True, default=2048, kw_only=True)
    num_epochs: int = eqx.field(static=True, default=10, kw_only=True)
    num_batches: int = eqx.field(static=True, default=32, kw_only=True)
    gae_lambda: FloatScalarLike = eqx.field(default=0.95, kw_only=True)
    gamma: FloatScalarLike = eqx.field(default=0.99, kw_only=True)
    clip_coefficient: FloatScalarLike | optax.Schedule = eqx.field(default=0.2, kw_only=True)
    clip_value_loss: bool = eqx.field(static=True, default=False, kw_only=True)
    entropy_loss_coefficient: FloatScalarLike = eqx.field(default=0.0, kw_only=True)
    value_loss_coefficient: FloatScalarLike = eqx.field(default=0.5, kw_only=True)
    max_grad_norm: FloatScalarLike = eqx.field(default=0.5, kw_only=True)
    normalize_advantages: bool = eqx.field(static=True, default=True, kw_only=True)
    learning_rate: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)

    def __check_init__(self):
        check_positive_ints(
            "PPO",
            num_envs=self.num_envs,
            num_steps=self.num_steps,
            num_epochs=self.num_epochs,
            num_batches=self.num_batches,
        )
        items = self.num_envs * self.num_steps
        if items % self.num_batches:
            raise ValueError(
                f"PPO: num_batches ({self.num_batches}) must divide num_envs * num_steps "
                f"({self.num_envs} * {self.num_steps} = {items})"
            )
        check_common(self)
        check_bools("PPO", clip_value_loss=self.clip_value_loss)
        check_unit("PPO", gae_lambda=self.gae_lambda)
        check_nonnegative(
            "PPO",
            clip_coefficient=self.clip_coefficient,
            entropy_loss_coefficient=self.entropy_loss_coefficient,
        )

    def estimator(self) -> GAE:
        return GAE(gamma=self.gamma, lam=self.gae_lambda)

    def update(
        self,
        policy: AbstractActorCriticPolicy,
        opt_state: optax.OptState,
        buffer: RolloutBuffer,
        updates: Int[Array, ""],
        *,
        key: Key,
    ) -> tuple[AbstractActorCriticPolicy, optax.OptState, Int[Array, ""], PPOStats]:
        optimizer = self.optimizer()
        spec = policy.trainable()
        batch_size = self.num_envs * self.num_steps // self.num_batches

        def minibatch(carry, batch):
            policy, opt_state, count = carry
            clip = _at(self.clip_coefficient, count)
            policy, opt_state, _, stats = gradient_step(
                optimizer, policy, spec, opt_state, self.loss, batch, clip
            )
            return (policy, opt_state, count + 1), stats

        # Only what the loss reads is shuffled into minibatches.
        lean = eqx.tree_at(
            lambda b: (b.dones, b.truncations, b.bootstrap_values),
            buffer,
            (None, None, None),
            is_leaf=lambda x: x is None,
        )

        def epoch(carry, epoch_key):
            return filter_scan(minibatch, carry, lean.batches(batch_size, key=epoch_key))

        (policy, opt_state, updates), stats = filter_scan(
            epoch, (policy, opt_state, updates), jax.random.split(key, self.num_epochs)
        )
        stats = jax.tree.map(jnp.mean, stats)
        stats = eqx.tree_at(
            lambda s: s.explained_variance,
            stats,
            explained_variance(buffer.values, buffer.returns),
        )
        return policy, opt_state, updates, stats

    def loss(
        self, policy: AbstractActorCriticPolicy, batch: RolloutBuffer, clip: FloatScalarLike
    ) -> tuple[Float[Array, ""], PPOStats]:
        """PPO's loss on a flat minibatch, with its statistics.

        Args:
            policy: The policy being trained.
            batch: A minibatch of the rollout (one leading axis).
            clip: The clipping range.

        Returns:
            `(loss, stats)`.
        """
        clip = jnp.asarray(clip)
        values, log_probs, entropy = evaluate(policy, batch)
        advantages = batch.advantages
        if self.normalize_advantages:
            advantages = normalize(advantages)
        log_ratio = log_probs - batch.log_probs
        ratio = jnp.exp(log_ratio)
        surrogate = jnp.minimum(
            ratio * advantages, jnp.clip(ratio, 1 - clip, 1 + clip) * advantages
        )
        policy_loss = -jnp.mean(surrogate)
        errors = jnp.square(values - batch.returns)
        if self.clip_value_loss:
            clipped = batch.values + jnp.clip(values - batch.values, -clip, clip)
            errors = jnp.maximum(errors, jnp.square(clipped - batch.returns))
        value_loss = jnp.mean(errors)
        entropy_loss = -jnp.mean(entropy)
        loss = (
            policy_loss
            + self.value_loss_coefficient * value_loss
            + self.entropy_loss_coefficient * entropy_loss
        )
        ratio = jax.lax.stop_gradient(ratio)
        stats = PPOStats(
            policy_loss=policy_loss,
            value_loss=value_loss,
            entropy_loss=entropy_loss,
            approx_kl=jnp.mean((ratio - 1.0) - jax.lax.stop_gradient(log_ratio)),
            clip_fraction=jnp.mean((jnp.abs(ratio - 1.0) > clip).astype(jnp.float32)),
            explained_variance=jnp.zeros((), jnp.float32),
        )
        return loss, stats
