"""REINFORCE with a learned baseline."""

from __future__ import annotations

from typing import final

import equinox as eqx
import optax

from .._types import Array, FloatScalarLike, Int, Key
from ..advantage import BootstrappedReturn
from ..buffer import RolloutBuffer
from ..policy import AbstractActorCriticPolicy
from ._checks import check_bools, check_nonnegative, check_positive, check_positive_ints, check_unit
from ._on_policy import AbstractOnPolicyAlgorithm
from ._policy_gradient import PolicyGradientLoss, PolicyGradientStats


@final
class REINFORCE(AbstractOnPolicyAlgorithm):
    """Monte-Carlo policy gradient (Williams, 1992) with the critic as a baseline.

    Each iteration collects `num_steps` steps in each of `num_envs` environments and
    computes each step's discounted return to the end of its episode (`BootstrappedReturn`:
    an episode still running at the end of the rollout, or cut off by a time limit,
    bootstraps from the critic's value). The advantage is the return minus the baseline
    value; one gradient step on ``-mean(A log pi) + value_loss_coefficient *
    mean((V - G)^2)`` over the whole rollout follows.

    Args:
        num_envs: Parallel environments.
        num_steps: Steps per environment per iteration.
        gamma: Discount factor.
        normalize_advantages: Normalise the advantages of each rollout.
        value_loss_coefficient: Weight of the baseline's loss.
        max_grad_norm: Global gradient-norm clip.
        learning_rate: Adam learning rate (a float or optax schedule).

    Example:
        >>> policy = REINFORCE().learn(env, policy, 500_000, key=jax.random.key(0))
    """

    num_envs: int = eqx.field(static=True)
    num_steps: int = eqx.field(static=True)
    gamma: FloatScalarLike
    normalize_advantages: bool = eqx.field(static=True)
    value_loss_coefficient: FloatScalarLike
    max_grad_norm: FloatScalarLike
    learning_rate: FloatScalarLike | optax.Schedule

    def __init__(
        self,
        *,
        num_envs: int = 1,
        num_steps: int = 512,
        gamma: FloatScalarLike = 0.99,
        normalize_advantages: bool = True,
        value_loss_coefficient: FloatScalarLike = 0.5,
        max_grad_norm: FloatScalarLike = 0.5,
        learning_rate: FloatScalarLike | optax.Schedule = 3e-4,
    ):
        who = "REINFORCE"
        check_positive_ints(who, num_envs=num_envs, num_steps=num_steps)
        check_bools(who, normalize_advantages=normalize_advantages)
        check_unit(who, gamma=gamma)
        check_nonnegative(who, value_loss_coefficient=value_loss_coefficient)
        check_positive(who, max_grad_norm=max_grad_norm, learning_rate=learning_rate)
        self.num_envs = num_envs
        self.num_steps = num_steps
        self.gamma = gamma
        self.normalize_advantages = normalize_advantages
        self.value_loss_coefficient = value_loss_coefficient
        self.max_grad_norm = max_grad_norm
        self.learning_rate = learning_rate

    def estimator(self) -> BootstrappedReturn:
        return BootstrappedReturn(gamma=self.gamma)

    def update(
        self,
        policy: AbstractActorCriticPolicy,
        opt_state: optax.OptState,
        buffer: RolloutBuffer,
        updates: Int[Array, ""],
        *,
        key: Key,
    ) -> tuple[AbstractActorCriticPolicy, optax.OptState, Int[Array, ""], PolicyGradientStats]:
        loss = PolicyGradientLoss(self.value_loss_coefficient, 0.0, self.normalize_advantages)
        return loss.update(self.optimizer(), policy, opt_state, buffer, updates)
