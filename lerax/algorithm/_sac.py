"""Soft actor-critic for continuous actions."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import optax

from .._types import Array, Float, FloatScalarLike, Key, KeyBatch
from ..buffer import Transition
from ..policy import AbstractDiscreteSACPolicy, AbstractSACPolicy
from ..space import Box
from ..utils import filter_cond, filter_scan
from ._checks import check_positive_ints
from ._gradient import gradient_step
from ._off_policy import (
    check_action_space,
    flat_observations,
    next_policy_states,
    not_terminal,
    regression,
    scaled_actions,
)
from ._sac_state import SACState
from ._soft_actor_critic import AbstractSoftActorCritic
from ._soft_q_network import SoftQNetwork


@final
class SAC(AbstractSoftActorCritic[AbstractSACPolicy, SACState]):
    """Soft actor-critic (Haarnoja et al., 2018) for `Box` actions.

    Critics: twin `SoftQNetwork`s regress on
    ``r + gamma * (1 - terminal) * (min(Q1', Q2')(s', a') - alpha * log pi(a'|s'))`` with
    ``a' ~ pi(s')`` and target critics Polyak-averaged at rate `tau` after every gradient
    step. Actor: every `policy_frequency` gradient steps, `policy_frequency` steps on
    ``E[alpha * log pi(a|s) - min(Q1, Q2)(s, a)]`` with reparameterised actions (the
    delayed schedule of CleanRL's SAC), each followed (with `autotune`) by a temperature
    step towards the target entropy ``-dim(A)``. Critics read the flattened observation and
    the action rescaled from the Box bounds to ``[-1, 1]``.

    The loop (warm-up, replay buffer, truncation bootstrapping) is the off-policy family's.
    Array-valued hyperparameters are leaves; learning rates accept optax schedules.

    Args:
        buffer_size: Replay buffer capacity.
        gamma: Discount factor.
        learning_starts: Environment steps of uniformly random actions before learning.
        num_envs: Parallel environments.
        num_steps: Steps per environment per iteration.
        batch_size: Minibatch size.
        tau: Target-critic Polyak rate in (0, 1].
        policy_frequency: Gradient steps between (bursts of) actor updates.
        autotune: Tune the temperature towards the target entropy.
        initial_alpha: Initial (or, without `autotune`, fixed) temperature.
        policy_lr: Actor learning rate.
        q_lr: Critic learning rate.
        alpha_lr: Temperature learning rate (`None`: `q_lr`).
        q_width_size: Hidden width of the critics.
        q_depth: Hidden layers of the critics.
        gradient_steps: Gradient steps per iteration (with `num_envs * num_steps` it sets
            the update-to-data ratio).
        target_update_interval: Gradient steps between target updates.

    Example:
        >>> env = lerax.env.make("Pendulum-v1")
        >>> policy = MLPSACPolicy(env, key=jax.random.key(0))
        >>> policy = SAC().learn(env, policy, 20_000, key=jax.random.key(1))
    """

    state_type: ClassVar[type] = SACState
    buffer_size: int = eqx.field(static=True, default=1_000_000, kw_only=True)
    gamma: FloatScalarLike = eqx.field(default=0.99, kw_only=True)
    learning_starts: int = eqx.field(static=True, default=100, kw_only=True)
    num_envs: int = eqx.field(static=True, default=4, kw_only=True)
    num_steps: int = eqx.field(static=True, default=1, kw_only=True)
    batch_size: int = eqx.field(static=True, default=256, kw_only=True)
    tau: FloatScalarLike = eqx.field(default=0.005, kw_only=True)
    policy_frequency: int = eqx.field(static=True, default=2, kw_only=True)
    autotune: bool = eqx.field(static=True, default=True, kw_only=True)
    initial_alpha: FloatScalarLike = eqx.field(default=0.2, kw_only=True)
    policy_lr: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)
    q_lr: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)
    alpha_lr: FloatScalarLike | optax.Schedule | None = eqx.field(default=None, kw_only=True)
    q_width_size: int = eqx.field(static=True, default=256, kw_only=True)
    q_depth: int = eqx.field(static=True, default=2, kw_only=True)
    gradient_steps: int = eqx.field(static=True, default=1, kw_only=True)
    target_update_interval: int = eqx.field(static=True, default=1, kw_only=True)

    def __check_init__(self):
        check_positive_ints("SAC", policy_frequency=self.policy_frequency)

    def check_policy(self, env: Any, policy: Any) -> None:
        check_action_space("SAC", env, Box)
        if not isinstance(policy, AbstractSACPolicy) or isinstance(
            policy, AbstractDiscreteSACPolicy
        ):
            raise TypeError(
                "SAC trains an AbstractSACPolicy over Box actions (e.g. MLPSACPolicy), "
                f"got {type(policy).__name__}"
            )

    def critic(self, policy: AbstractSACPolicy, *, key: Key) -> SoftQNetwork:
        return SoftQNetwork(
            policy.observation_space.flat_size,
            policy.action_space.flat_size,
            width_size=self.q_width_size,
            depth=self.q_depth,
            key=key,
        )

    def target_entropy(self, policy: AbstractSACPolicy) -> Float[Array, ""]:
        return -jnp.asarray(policy.action_space.flat_size, jnp.float32)

    def critic_target(
        self, state: SACState, batch: Transition, *, key: Key | KeyBatch
    ) -> Float[Array, " batch"]:
        """The critics' regression target for a minibatch: the reward plus the discounted
        soft value ``min(Q1', Q2')(s', a') - alpha log pi(a'|s')`` of a fresh next action
        ``a' ~ pi(s')``, zero past terminals.

        `key` is one PRNG key, split into one per sample, or the samples' keys already
        split (shape `(batch,)`).
        """
        policy = state.policy
        # One key is a typed scalar key or raw key data of shape (2,) (legacy `PRNGKey`).
        one_key = jnp.ndim(key) == (0 if jnp.issubdtype(key.dtype, jax.dtypes.prng_key) else 1)
        keys = jax.random.split(key, batch.reward.shape[0]) if one_key else key
        _, next_action, next_log_prob = jax.vmap(
            lambda s, o, k: policy.action_and_log_prob(s, o, key=k)
        )(next_policy_states(policy, batch), batch.next_observation, keys)
        next_obs = flat_observations(policy, batch.next_observation)
        next_actions = scaled_actions(policy, next_action)
        next_q = jnp.minimum(
            jax.vmap(state.qf1_target)(next_obs, next_actions),
            jax.vmap(state.qf2_target)(next_obs, next_actions),
        )
        soft = next_q - jnp.exp(state.log_alpha) * next_log_prob
        target = batch.reward + self.gamma * not_terminal(batch) * soft
        return jax.lax.stop_gradient(target)

    def update(self, state: SACState, batch: Transition, *, key: Key) -> SACState:
        # One split gives every per-sample key of the step: the next actions' and those of
        # each actor step of a burst. A split is a Threefry hash, a loop of its own on CPU;
        # fewer of them in a row shorten the step (most at 16 vmapped seeds).
        n = self.batch_size
        keys = jax.random.split(key, n * (1 + self.policy_frequency))
        next_keys = keys[:n]
        actor_keys = keys[n:].reshape(self.policy_frequency, n, *keys.shape[1:])
        policy = state.policy
        obs = flat_observations(policy, batch.observation)
        actions = scaled_actions(policy, batch.action)
        target = self.critic_target(state, batch, key=next_keys)

        def critic_loss(qfs):
            return regression([jax.vmap(qf)(obs, actions) for qf in qfs], target)

        state = self.critic_step(state, critic_loss)
        # Only the actor's part goes through the branch (not the critics or targets).
        actor = (state.policy, state.opt_state, state.log_alpha, state.alpha_opt_state, state.stats)
        actor = filter_cond(
            state.updates % self.policy_frequency == 0,
            lambda a: self._actor_burst(a, state, batch, obs, actor_keys),
            lambda a: a,
            actor,
        )
        state = eqx.tree_at(
            lambda s: (s.policy, s.opt_state, s.log_alpha, s.alpha_opt_state, s.stats), state, actor
        )
        return self.target_step(state)

    def _actor_burst(
        self,
        actor: tuple,
        state: SACState,
        batch: Transition,
        obs: Float[Array, "batch obs"],
        keys: KeyBatch,
    ) -> tuple:
        qf1, qf2 = state.qf1, state.qf2

        def actor_loss(policy, alpha, keys):
            _, action, log_prob = jax.vmap(lambda s, o, k: policy.action_and_log_prob(s, o, key=k))(
                batch.state, batch.observation, keys
            )
            actions = scaled_actions(policy, action)
            q = jnp.minimum(jax.vmap(qf1)(obs, actions), jax.vmap(qf2)(obs, actions))
            return jnp.mean(alpha * log_prob - q), -jnp.mean(log_prob)

        def one(actor, keys):
            policy, opt_state, log_alpha, alpha_opt_state, stats = actor
            policy, opt_state, loss, entropy = gradient_step(
                self.policy_optimizer(),
                policy,
                policy.trainable(),
                opt_state,
                actor_loss,
                jax.lax.stop_gradient(jnp.exp(log_alpha)),
                keys,
            )
            log_alpha, alpha_opt_state = self.temperature_step(
                log_alpha, alpha_opt_state, state.target_entropy, entropy
            )
            stats = eqx.tree_at(
                lambda s: (s.actor_loss, s.entropy, s.alpha),
                stats,
                (loss, entropy, jnp.exp(log_alpha)),
            )
            return (policy, opt_state, log_alpha, alpha_opt_state, stats), None

        actor, _ = filter_scan(one, actor, keys)
        return actor
