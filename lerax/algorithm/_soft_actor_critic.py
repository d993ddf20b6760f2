"""The soft actor-critic part shared by SAC and SACDiscrete: twin critics, temperature."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp
import optax

from .._types import Array, Float, Key
from ..buffer import ReplayBuffer
from ..policy import AbstractPolicy
from ..target import SoftUpdate
from ..utils import filter_cond
from ._checks import check_bools, check_positive, check_positive_ints
from ._collector import CollectorState
from ._gradient import gradient_step
from ._off_policy import AbstractOffPolicyAlgorithm, AbstractOffPolicyState
from ._q_network import AbstractQNetwork
from ._sac_state import SACStats

PolicyType = TypeVar("PolicyType", bound=AbstractPolicy)
StateType = TypeVar("StateType", bound=AbstractOffPolicyState)

CriticLoss = Callable[[tuple[Any, Any]], tuple[Float[Array, ""], Float[Array, ""]]]
"""`loss((qf1, qf2)) -> (loss, mean Q)`: a loss of the twin critics."""


class AbstractSoftActorCritic(AbstractOffPolicyAlgorithm[PolicyType, StateType]):
    """Maximum-entropy actor-critic (Haarnoja et al., 2018): twin critics with clipped
    double-Q targets, Polyak-averaged target critics, and an entropy temperature
    ``alpha = exp(log_alpha)`` tuned towards a target entropy when `autotune`.

    A member declares its critic, its target entropy and its gradient step; this class
    builds the state, the three Adam optimisers (actor at `policy_lr`, critics at `q_lr`,
    temperature at `alpha_lr`, which defaults to `q_lr`; each a float or an optax
    schedule) and the critic, temperature and target updates.
    """

    autotune: eqx.AbstractVar[bool]
    initial_alpha: eqx.AbstractVar[Any]
    policy_lr: eqx.AbstractVar[Any]
    q_lr: eqx.AbstractVar[Any]
    alpha_lr: eqx.AbstractVar[Any]
    target_update_interval: eqx.AbstractVar[int]
    state_type: ClassVar[type]

    def __check_init__(self):
        who = type(self).__name__
        check_bools(who, autotune=self.autotune)
        check_positive_ints(who, target_update_interval=self.target_update_interval)
        check_positive(who, initial_alpha=self.initial_alpha, policy_lr=self.policy_lr)
        check_positive(who, q_lr=self.q_lr)
        if self.alpha_lr is not None:
            check_positive(who, alpha_lr=self.alpha_lr)

    @abc.abstractmethod
    def critic(self, policy: PolicyType, *, key: Key) -> AbstractQNetwork:
        """A freshly initialised critic of width `q_width_size` and depth `q_depth`."""

    @abc.abstractmethod
    def target_entropy(self, policy: PolicyType) -> Float[Array, ""]:
        """The entropy the temperature steers the policy towards."""

    def policy_optimizer(self) -> optax.GradientTransformation:
        """Adam at `policy_lr`."""
        return optax.adam(self.policy_lr)

    def q_optimizer(self) -> optax.GradientTransformation:
        """Adam at `q_lr`, over both critics."""
        return optax.adam(self.q_lr)

    def alpha_optimizer(self) -> optax.GradientTransformation:
        """Adam at `alpha_lr` (`q_lr` when `None`)."""
        return optax.adam(self.q_lr if self.alpha_lr is None else self.alpha_lr)

    def build(
        self,
        env: Any,
        policy: PolicyType,
        collector: CollectorState,
        buffer: ReplayBuffer,
        *,
        key: Key,
    ) -> StateType:
        key1, key2 = jax.random.split(key)
        qf1, qf2 = self.critic(policy, key=key1), self.critic(policy, key=key2)
        log_alpha = jnp.log(jnp.asarray(self.initial_alpha, jnp.float32))
        params = eqx.filter(policy, policy.trainable())  # pyright: ignore[reportAttributeAccessIssue]
        zero = jnp.zeros((), jnp.int32)
        return self.state_type(
            policy=policy,
            opt_state=self.policy_optimizer().init(params),
            qf1=qf1,
            qf2=qf2,
            qf1_target=qf1,
            qf2_target=qf2,
            q_opt_state=self.q_optimizer().init(eqx.filter((qf1, qf2), eqx.is_inexact_array)),
            log_alpha=log_alpha,
            alpha_opt_state=self.alpha_optimizer().init(log_alpha),
            target_entropy=jnp.asarray(self.target_entropy(policy), jnp.float32),
            buffer=buffer,
            collector=collector,
            key=jax.random.key_data(key),
            global_step=zero,
            updates=zero,
            stats=SACStats.zeros(jnp.exp(log_alpha)),
        )

    def critic_step(self, state: Any, loss_fn: CriticLoss) -> Any:
        """One Adam step of both critics on `loss_fn`; records the critic statistics."""
        (qf1, qf2), q_opt_state, loss, q_mean = gradient_step(
            self.q_optimizer(),
            (state.qf1, state.qf2),
            eqx.is_inexact_array,
            state.q_opt_state,
            loss_fn,
        )
        stats = eqx.tree_at(lambda s: (s.critic_loss, s.q_mean), state.stats, (loss, q_mean))
        return eqx.tree_at(
            lambda s: (s.qf1, s.qf2, s.q_opt_state, s.stats),
            state,
            (qf1, qf2, q_opt_state, stats),
        )

    def temperature_step(
        self,
        log_alpha: Float[Array, ""],
        opt_state: optax.OptState,
        target_entropy: Float[Array, ""],
        entropy: Float[Array, ""],
    ) -> tuple[Float[Array, ""], optax.OptState]:
        """Move ``log_alpha`` to make the policy's `entropy` approach `target_entropy`
        (loss ``log_alpha * (entropy - target_entropy)``); a no-op unless `autotune`.

        Returns:
            `(log_alpha, opt_state)`.
        """
        if not self.autotune:
            return log_alpha, opt_state
        gap = jax.lax.stop_gradient(entropy - target_entropy)
        log_alpha, opt_state, _, _ = gradient_step(
            self.alpha_optimizer(),
            log_alpha,
            eqx.is_inexact_array,
            opt_state,
            lambda a: (a * gap, None),
        )
        return log_alpha, opt_state

    def target_step(self, state: Any) -> Any:
        """Polyak-average the critics into their targets every `target_update_interval`
        gradient steps (``tau = 1`` copies them)."""
        update = SoftUpdate(self.tau)

        def move(s):
            return eqx.tree_at(
                lambda s: (s.qf1_target, s.qf2_target),
                s,
                (update(s.qf1, s.qf1_target), update(s.qf2, s.qf2_target)),
            )

        if self.target_update_interval == 1:
            return move(state)
        due = (state.updates + 1) % self.target_update_interval == 0
        return filter_cond(due, move, lambda s: s, state)
