"""Advantage actor-critic."""

from __future__ import annotations

from typing import final

import equinox as eqx
import optax

from .._types import Array, FloatScalarLike, Int, Key
from ..advantage import GAE
from ..buffer import RolloutBuffer
from ..policy import AbstractActorCriticPolicy
from ._checks import check_bools, check_nonnegative, check_positive, check_positive_ints, check_unit
from ._on_policy import AbstractOnPolicyAlgorithm
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

    num_envs: int = eqx.field(static=True)
    num_steps: int = eqx.field(static=True)
    gae_lambda: FloatScalarLike
    gamma: FloatScalarLike
    entropy_loss_coefficient: FloatScalarLike
    value_loss_coefficient: FloatScalarLike
    max_grad_norm: FloatScalarLike
    normalize_advantages: bool = eqx.field(static=True)
    learning_rate: FloatScalarLike | optax.Schedule

    def __init__(
        self,
        *,
        num_envs: int = 4,
        num_steps: int = 5,
        gae_lambda: FloatScalarLike = 1.0,
        gamma: FloatScalarLike = 0.99,
        entropy_loss_coefficient: FloatScalarLike = 0.0,
        value_loss_coefficient: FloatScalarLike = 0.5,
        max_grad_norm: FloatScalarLike = 0.5,
        normalize_advantages: bool = False,
        learning_rate: FloatScalarLike | optax.Schedule = 7e-4,
    ):
        who = "A2C"
        check_positive_ints(who, num_envs=num_envs, num_steps=num_steps)
        check_bools(who, normalize_advantages=normalize_advantages)
        check_unit(who, gae_lambda=gae_lambda, gamma=gamma)
        check_nonnegative(
            who,
            entropy_loss_coefficient=entropy_loss_coefficient,
            value_loss_coefficient=value_loss_coefficient,
        )
        check_positive(who, max_grad_norm=max_grad_norm, learning_rate=learning_rate)
        self.num_envs = num_envs
        self.num_steps = num_steps
        self.gae_lambda = gae_lambda
        self.gamma = gamma
        self.entropy_loss_coefficient = entropy_loss_coefficient
        self.value_loss_coefficient = value_loss_coefficient
        self.max_grad_norm = max_grad_norm
        self.normalize_advantages = normalize_advantages
        self.learning_rate = learning_rate

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
