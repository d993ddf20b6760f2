"""Soft actor-critic for discrete actions."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import optax

from .._types import Array, Float, FloatScalarLike, Key
from ..buffer import Transition
from ..policy import AbstractDiscreteSACPolicy
from ..space import Discrete
from ._checks import check_positive
from ._discrete_q_network import DiscreteQNetwork
from ._gradient import gradient_step
from ._off_policy import (
    check_action_space,
    flat_observations,
    next_policy_states,
    not_terminal,
    regression,
)
from ._sac_state import SACDiscreteState
from ._soft_actor_critic import AbstractSoftActorCritic


@final
class SACDiscrete(AbstractSoftActorCritic[AbstractDiscreteSACPolicy, SACDiscreteState]):
    """Soft actor-critic for `Discrete` actions (Christodoulou, 2019).

    Expectations over actions replace samples: the critics (twin `DiscreteQNetwork`s, one
    Q-value per action) regress the taken action's value on
    ``r + gamma * (1 - terminal) * sum_a' pi(a'|s') (min(Q1', Q2')(s', a') - alpha log pi(a'|s'))``;
    the actor minimises ``sum_a pi(a|s) (alpha log pi(a|s) - min(Q1, Q2)(s, a))`` at every
    gradient step; with `autotune` the temperature steers the entropy towards
    ``target_entropy_scale * log(n)``. Action masks are honoured everywhere: the stored
    masks restrict the policy at the state and the next state. Targets are Polyak-averaged
    at rate `tau` every `target_update_interval` gradient steps (``tau = 1`` copies).

    Args:
        buffer_size: Replay buffer capacity.
        gamma: Discount factor.
        learning_starts: Environment steps of uniformly random actions before learning.
        num_envs: Parallel environments.
        num_steps: Steps per environment per iteration.
        batch_size: Minibatch size.
        tau: Target-critic Polyak rate in (0, 1].
        autotune: Tune the temperature towards the target entropy.
        initial_alpha: Initial (or fixed) temperature.
        target_entropy_scale: Target entropy as a fraction of the maximum, ``log(n)``.
        policy_lr: Actor learning rate.
        q_lr: Critic learning rate.
        alpha_lr: Temperature learning rate (`None`: `q_lr`).
        q_width_size: Hidden width of the critics.
        q_depth: Hidden layers of the critics.
        gradient_steps: Gradient steps per iteration.
        target_update_interval: Gradient steps between target updates.

    Example:
        >>> env = lerax.env.make("CartPole-v1")
        >>> policy = MLPDiscreteSACPolicy(env, key=jax.random.key(0))
        >>> policy = SACDiscrete().learn(env, policy, 100_000, key=jax.random.key(1))
    """

    state_type: ClassVar[type] = SACDiscreteState
    buffer_size: int = eqx.field(static=True, default=1_000_000, kw_only=True)
    gamma: FloatScalarLike = eqx.field(default=0.99, kw_only=True)
    learning_starts: int = eqx.field(static=True, default=20_000, kw_only=True)
    num_envs: int = eqx.field(static=True, default=1, kw_only=True)
    num_steps: int = eqx.field(static=True, default=4, kw_only=True)
    batch_size: int = eqx.field(static=True, default=64, kw_only=True)
    tau: FloatScalarLike = eqx.field(default=1.0, kw_only=True)
    autotune: bool = eqx.field(static=True, default=True, kw_only=True)
    initial_alpha: FloatScalarLike = eqx.field(default=0.2, kw_only=True)
    target_entropy_scale: FloatScalarLike = eqx.field(default=0.89, kw_only=True)
    policy_lr: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)
    q_lr: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)
    alpha_lr: FloatScalarLike | optax.Schedule | None = eqx.field(default=None, kw_only=True)
    q_width_size: int = eqx.field(static=True, default=256, kw_only=True)
    q_depth: int = eqx.field(static=True, default=2, kw_only=True)
    gradient_steps: int = eqx.field(static=True, default=1, kw_only=True)
    target_update_interval: int = eqx.field(static=True, default=1, kw_only=True)

    def __check_init__(self):
        check_positive("SACDiscrete", target_entropy_scale=self.target_entropy_scale)

    def check_policy(self, env: Any, policy: Any) -> None:
        check_action_space("SACDiscrete", env, Discrete)
        if not isinstance(policy, AbstractDiscreteSACPolicy):
            raise TypeError(
                "SACDiscrete trains an AbstractDiscreteSACPolicy (e.g. MLPDiscreteSACPolicy), "
                f"got {type(policy).__name__}"
            )

    def critic(self, policy: AbstractDiscreteSACPolicy, *, key: Key) -> DiscreteQNetwork:
        return DiscreteQNetwork(
            policy.observation_space.flat_size,
            policy.action_space.n,
            width_size=self.q_width_size,
            depth=self.q_depth,
            key=key,
        )

    def target_entropy(self, policy: AbstractDiscreteSACPolicy) -> Float[Array, ""]:
        return jnp.asarray(self.target_entropy_scale) * jnp.log(float(policy.action_space.n))

    def critic_target(self, state: SACDiscreteState, batch: Transition) -> Float[Array, " batch"]:
        """The critics' regression target for a minibatch: the reward plus the discounted
        expected soft value ``sum_a' pi(a'|s') (min(Q1', Q2')(s', a') - alpha log pi(a'|s'))``
        under the next state's mask, zero past terminals."""
        policy = state.policy
        next_probs, next_log_probs = _probs(
            policy,
            next_policy_states(policy, batch),
            batch.next_observation,
            batch.next_action_mask,
        )
        next_obs = flat_observations(policy, batch.next_observation)
        next_q = jnp.minimum(
            jax.vmap(state.qf1_target)(next_obs), jax.vmap(state.qf2_target)(next_obs)
        )
        alpha = jnp.exp(state.log_alpha)
        next_value = jnp.sum(next_probs * (next_q - alpha * next_log_probs), axis=-1)
        target = batch.reward + self.gamma * not_terminal(batch) * next_value
        return jax.lax.stop_gradient(target)

    def update(self, state: SACDiscreteState, batch: Transition, *, key: Key) -> SACDiscreteState:
        policy = state.policy
        obs = flat_observations(policy, batch.observation)
        alpha = jnp.exp(state.log_alpha)
        target = self.critic_target(state, batch)
        taken = batch.action[:, None]

        def critic_loss(qfs):
            qs = [jnp.take_along_axis(jax.vmap(qf)(obs), taken, axis=-1)[:, 0] for qf in qfs]
            return regression(qs, target)

        state = self.critic_step(state, critic_loss)
        q = jnp.minimum(jax.vmap(state.qf1)(obs), jax.vmap(state.qf2)(obs))

        def actor_loss(policy):
            p, log_p = _probs(policy, batch.state, batch.observation, batch.action_mask)
            loss = jnp.mean(jnp.sum(p * (alpha * log_p - q), axis=-1))
            return loss, jnp.mean(-jnp.sum(p * log_p, axis=-1))

        policy, opt_state, loss, entropy = gradient_step(
            self.policy_optimizer(), policy, policy.trainable(), state.opt_state, actor_loss
        )
        log_alpha, alpha_opt_state = self.temperature_step(
            state.log_alpha, state.alpha_opt_state, state.target_entropy, entropy
        )
        stats = eqx.tree_at(
            lambda s: (s.actor_loss, s.entropy, s.alpha),
            state.stats,
            (loss, entropy, jnp.exp(log_alpha)),
        )
        state = eqx.tree_at(
            lambda s: (s.policy, s.opt_state, s.log_alpha, s.alpha_opt_state, s.stats),
            state,
            (policy, opt_state, log_alpha, alpha_opt_state, stats),
        )
        return self.target_step(state)


def _probs(policy: AbstractDiscreteSACPolicy, states: Any, observations: Any, masks: Any) -> Any:
    """Probabilities and log-probabilities of every action for a minibatch."""
    return jax.vmap(lambda s, o, m: policy.action_probs_and_log_probs(s, o, action_mask=m)[1:])(
        states, observations, masks
    )
