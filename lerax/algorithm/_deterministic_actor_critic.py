"""The deterministic actor-critic part shared by DDPG and TD3."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import Any, TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp
import optax

from .._types import Array, Float, Key
from ..buffer import ReplayBuffer, Transition
from ..policy import AbstractDeterministicPolicy
from ..space import Box
from ..target import SoftUpdate
from ..utils import filter_cond
from ._checks import check_positive
from ._collector import CollectorState
from ._ddpg_state import DDPGStats
from ._gradient import gradient_step
from ._off_policy import (
    AbstractOffPolicyAlgorithm,
    AbstractOffPolicyState,
    check_action_space,
    flat_observations,
    next_policy_states,
    not_terminal,
    regression,
    scaled_actions,
)
from ._soft_q_network import SoftQNetwork

StateType = TypeVar("StateType", bound=AbstractOffPolicyState)


class AbstractDeterministicActorCritic(
    AbstractOffPolicyAlgorithm[AbstractDeterministicPolicy, StateType]
):
    """Deterministic policy gradient with target networks (DDPG, TD3).

    Critics regress on ``r + gamma * (1 - terminal) * min_i Q_i'(s', mu'(s') + noise)``
    (one critic and no noise for DDPG; TD3's twin critics and clipped target-policy
    smoothing noise). Every `policy_delay()` gradient steps the actor ascends
    ``Q_1(s, mu(s))`` and the target actor and critics are Polyak-averaged at rate `tau`.
    The policy is used only through `__call__`: ``policy(state, obs)`` (no key) is the
    deterministic action the actor loss and the targets use, and exploration is the
    policy's own ``policy(state, obs, key=key)`` (Gaussian noise of `exploration_noise` on
    `MLPDeterministicPolicy`). Actor and critics use Adam at `actor_lr` and `q_lr`
    (floats or optax schedules); critics read the flattened observation and the action
    rescaled from the Box bounds to ``[-1, 1]``.

    A member declares its hyperparameters, how many critics it has, its smoothing noise and
    delay, and where its state keeps the critics.
    """

    actor_lr: eqx.AbstractVar[Any]
    q_lr: eqx.AbstractVar[Any]

    def __check_init__(self):
        check_positive(type(self).__name__, actor_lr=self.actor_lr, q_lr=self.q_lr)

    @abc.abstractmethod
    def num_critics(self) -> int:
        """How many critics the target takes the minimum of (1 or 2)."""

    @abc.abstractmethod
    def policy_delay(self) -> int:
        """Gradient steps between actor and target updates."""

    @abc.abstractmethod
    def smoothing(self) -> tuple[Any, Any] | None:
        """`(policy_noise, noise_clip)` of the target action, relative to the half-width
        of the bounds; `None` for no smoothing."""

    @abc.abstractmethod
    def make_state(self, **fields: Any) -> StateType:
        """This member's state from the shared fields plus `critics` and `targets` tuples."""

    @abc.abstractmethod
    def critics(self, state: StateType) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """`(critics, target_critics)` of a state."""

    @abc.abstractmethod
    def with_critics(self, state: StateType, critics: tuple, targets: tuple) -> StateType:
        """A state with these critics and target critics."""

    def check_policy(self, env: Any, policy: Any) -> None:
        who = type(self).__name__
        check_action_space(who, env, Box)
        if not isinstance(policy, AbstractDeterministicPolicy):
            raise TypeError(
                f"{who} trains an AbstractDeterministicPolicy (e.g. MLPDeterministicPolicy), "
                f"got {type(policy).__name__}"
            )

    def actor_optimizer(self) -> optax.GradientTransformation:
        """Adam at `actor_lr`."""
        return optax.adam(self.actor_lr)

    def q_optimizer(self) -> optax.GradientTransformation:
        """Adam at `q_lr`, over all critics."""
        return optax.adam(self.q_lr)

    def build(
        self,
        env: Any,
        policy: AbstractDeterministicPolicy,
        collector: CollectorState,
        buffer: ReplayBuffer,
        *,
        key: Key,
    ) -> StateType:
        critics = tuple(
            SoftQNetwork(
                policy.observation_space.flat_size,
                policy.action_space.flat_size,
                width_size=self.q_width_size,
                depth=self.q_depth,
                key=k,
            )
            for k in jax.random.split(key, self.num_critics())
        )
        zero = jnp.zeros((), jnp.int32)
        return self.make_state(
            policy=policy,
            opt_state=self.actor_optimizer().init(eqx.filter(policy, policy.trainable())),
            target_policy=policy,
            critics=critics,
            targets=critics,
            q_opt_state=self.q_optimizer().init(eqx.filter(critics, eqx.is_inexact_array)),
            buffer=buffer,
            collector=collector,
            key=jax.random.key_data(key),
            global_step=zero,
            updates=zero,
            stats=DDPGStats.zeros(),
        )

    def critic_target(self, state: Any, batch: Transition, *, key: Key) -> Float[Array, " batch"]:
        """The critics' regression target for a minibatch: the reward plus the discounted
        minimum of the target critics at the (smoothed) target action, zero past terminals.
        """
        policy = state.policy
        _, targets = self.critics(state)
        target_policy = state.target_policy
        _, next_action = jax.vmap(lambda s, o: target_policy(s, o))(
            next_policy_states(policy, batch), batch.next_observation
        )
        next_action = self._smooth(policy, next_action, key)
        next_obs = flat_observations(policy, batch.next_observation)
        next_actions = scaled_actions(policy, next_action)
        next_q = jnp.min(jnp.stack([jax.vmap(t)(next_obs, next_actions) for t in targets]), 0)
        target = batch.reward + self.gamma * not_terminal(batch) * next_q
        return jax.lax.stop_gradient(target)

    def update(self, state: Any, batch: Transition, *, key: Key) -> Any:
        policy = state.policy
        critics, targets = self.critics(state)
        obs = flat_observations(policy, batch.observation)
        actions = scaled_actions(policy, batch.action)
        target = self.critic_target(state, batch, key=key)

        def critic_loss(critics):
            return regression([jax.vmap(c)(obs, actions) for c in critics], target)

        critics, q_opt_state, loss, q_mean = gradient_step(
            self.q_optimizer(), critics, eqx.is_inexact_array, state.q_opt_state, critic_loss
        )
        stats = eqx.tree_at(lambda s: (s.critic_loss, s.q_mean), state.stats, (loss, q_mean))
        # Only what the actor step changes goes through the branch.
        actor = (state.policy, state.opt_state, state.target_policy, targets, stats)

        def step(actor):
            return self._actor_step(actor, critics, batch, obs)

        if self.policy_delay() == 1:
            actor = step(actor)
        else:
            due = state.updates % self.policy_delay() == 0
            actor = filter_cond(due, step, lambda a: a, actor)
        policy, opt_state, target_policy, targets, stats = actor
        state = self.with_critics(state, critics, targets)
        return eqx.tree_at(
            lambda s: (s.policy, s.opt_state, s.target_policy, s.q_opt_state, s.stats),
            state,
            (policy, opt_state, target_policy, q_opt_state, stats),
        )

    def _smooth(
        self, policy: AbstractDeterministicPolicy, action: Float[Array, "batch ..."], key: Key
    ) -> Float[Array, "batch ..."]:
        smoothing = self.smoothing()
        if smoothing is None:
            return action
        policy_noise, noise_clip = smoothing
        low, high = jax.lax.stop_gradient((policy.action_space.low, policy.action_space.high))
        low, high = jnp.broadcast_to(low, action.shape), jnp.broadcast_to(high, action.shape)
        noise = jnp.clip(
            jax.random.normal(key, action.shape, action.dtype) * policy_noise,
            -noise_clip,
            noise_clip,
        )
        return jnp.clip(action + noise * (high - low) / 2, low, high)

    def _actor_step(
        self, actor: tuple, critics: tuple, batch: Transition, obs: Float[Array, "batch obs"]
    ) -> tuple:
        policy, opt_state, target_policy, targets, stats = actor
        first = critics[0]

        def actor_loss(policy):
            _, action = jax.vmap(lambda s, o: policy(s, o))(batch.state, batch.observation)
            return -jnp.mean(jax.vmap(first)(obs, scaled_actions(policy, action))), None

        policy, opt_state, loss, _ = gradient_step(
            self.actor_optimizer(), policy, policy.trainable(), opt_state, actor_loss
        )
        update = SoftUpdate(self.tau)
        targets = tuple(update(c, t) for c, t in zip(critics, targets))
        stats = eqx.tree_at(lambda s: s.actor_loss, stats, loss)
        return policy, opt_state, update(policy, target_policy), targets, stats
