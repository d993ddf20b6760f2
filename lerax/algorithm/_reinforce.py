"""REINFORCE with a learned baseline."""

from __future__ import annotations

from typing import final

import equinox as eqx
import optax

from .._types import Array, FloatScalarLike, Int, Key
from ..advantage import BootstrappedReturn
from ..buffer import RolloutBuffer
from ..policy import AbstractActorCriticPolicy
from ._checks import check_positive_ints
from ._on_policy import AbstractOnPolicyAlgorithm, check_common
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

    num_envs: int = eqx.field(static=True, default=1, kw_only=True)
    num_steps: int = eqx.field(static=True, default=512, kw_only=True)
    gamma: FloatScalarLike = eqx.field(default=0.99, kw_only=True)
    normalize_advantages: bool = eqx.field(static=True, default=True, kw_only=True)
    value_loss_coefficient: FloatScalarLike = eqx.field(default=0.5, kw_only=True)
    max_grad_norm: FloatScalarLike = eqx.field(default=0.5, kw_only=True)
    learning_rate: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)

    def __check_init__(self):
        check_positive_ints("REINFORCE", num_envs=self.num_envs, num_steps=self.num_steps)
        check_common(self)

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
