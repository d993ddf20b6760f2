"""Advantage actor-critic."""

from __future__ import annotations

from typing import final

import equinox as eqx
import optax

from .._types import Array, FloatScalarLike, Int, Key
from ..advantage import GAE
from ..buffer import RolloutBuffer
from ..policy import AbstractActorCriticPolicy
from ._checks import check_nonnegative, check_positive_ints, check_unit
from ._on_policy import AbstractOnPolicyAlgorithm, check_common
from ._policy_gradient import PolicyGradientLoss, PolicyGradientStats


@final
class A2C(AbstractOnPolicyAlgorithm):
    """Synchronous advantage actor-critic (Mnih et al., 2016).

    Each iteration collects `num_steps` steps in each of `num_envs` environments, computes
    GAE advantages (with the default ``gae_lambda=1`` the n-step bootstrapped returns of
    the rollout; truncations bootstrap from the final observation) and takes one gradient
    step on ``-mean(A log pi) + value_loss_coefficient * mean((V - R)^2) -
    entropy_loss_coefficient * mean(entropy)`` over the whole rollout.

    Args:
        num_envs: Parallel environments.
        num_steps: Steps per environment per iteration.
        gae_lambda: GAE lambda.
        gamma: Discount factor.
        entropy_loss_coefficient: Weight of the entropy bonus.
        value_loss_coefficient: Weight of the value loss.
        max_grad_norm: Global gradient-norm clip.
        normalize_advantages: Normalise the advantages of each rollout.
        learning_rate: Adam learning rate (a float or optax schedule).

    Example:
        >>> policy = A2C().learn(env, policy, 500_000, key=jax.random.key(0))
    """

    num_envs: int = eqx.field(static=True, default=4, kw_only=True)
    num_steps: int = eqx.field(static=True, default=5, kw_only=True)
    gae_lambda: FloatScalarLike = eqx.field(default=1.0, kw_only=True)
    gamma: FloatScalarLike = eqx.field(default=0.99, kw_only=True)
    entropy_loss_coefficient: FloatScalarLike = eqx.field(default=0.0, kw_only=True)
    value_loss_coefficient: FloatScalarLike = eqx.field(default=0.5, kw_only=True)
    max_grad_norm: FloatScalarLike = eqx.field(default=0.5, kw_only=True)
    normalize_advantages: bool = eqx.field(static=True, default=False, kw_only=True)
    learning_rate: FloatScalarLike | optax.Schedule = eqx.field(default=7e-4, kw_only=True)

    def __check_init__(self):
        check_positive_ints("A2C", num_envs=self.num_envs, num_steps=self.num_steps)
        check_common(self)
        check_unit("A2C", gae_lambda=self.gae_lambda)
        check_nonnegative("A2C", entropy_loss_coefficient=self.entropy_loss_coefficient)

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
    ) -> tuple[AbstractActorCriticPolicy, optax.OptState, Int[Array, ""], PolicyGradientStats]:
        loss = PolicyGradientLoss(
            self.value_loss_coefficient, self.entropy_loss_coefficient, self.normalize_advantages
        )
        return loss.update(self.optimizer(), policy, opt_state, buffer, updates)
