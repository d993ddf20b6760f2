"""The on-policy family: collect a rollout, estimate advantages, update the policy."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import optax

from .._types import Array, Float, Int, Key
from ..advantage import AbstractAdvantageEstimator
from ..buffer import RolloutBuffer
from ..callback import AbstractCallback
from ..policy import AbstractActorCriticPolicy
from ..space import Box
from ._checks import check_bools, check_nonnegative, check_positive, check_spaces, check_unit
from ._collector import Act, Collector, StepRecord
from ._on_policy_state import OnPolicyState
from .base import AbstractAlgorithm


class AbstractOnPolicyAlgorithm(AbstractAlgorithm[AbstractActorCriticPolicy, OnPolicyState]):
    """PPO, A2C, REINFORCE: each iteration collects `num_steps` steps in each of `num_envs`
    environments with the current policy, estimates advantages and updates the policy.

    The family implements the rollout once: the shared `Collector` steps the environments;
    Box actions are sampled unclipped, clipped to the bounds to step the environment and
    stored unclipped (so their log-probabilities match); a truncated episode bootstraps from
    the value of its true final observation; the policy state each action was chosen in is
    stored, so stateful policies are evaluated in the state they acted in. A member declares
    its advantage estimator and its update.
    """

    num_envs: eqx.AbstractVar[int]
    num_steps: eqx.AbstractVar[int]
    gamma: eqx.AbstractVar[Any]
    learning_rate: eqx.AbstractVar[Any]
    max_grad_norm: eqx.AbstractVar[Any]
    value_loss_coefficient: eqx.AbstractVar[Any]
    normalize_advantages: eqx.AbstractVar[bool]

    @abc.abstractmethod
    def estimator(self) -> AbstractAdvantageEstimator:
        """The advantage estimator (`GAE`, `BootstrappedReturn`, ...)."""

    @abc.abstractmethod
    def update(
        self,
        policy: AbstractActorCriticPolicy,
        opt_state: optax.OptState,
        buffer: RolloutBuffer,
        updates: Int[Array, ""],
        *,
        key: Key,
    ) -> tuple[AbstractActorCriticPolicy, optax.OptState, Int[Array, ""], Any]:
        """Update the policy on a rollout whose advantages are computed.

        Args:
            policy: The policy that collected the rollout.
            opt_state: The optimiser state.
            buffer: The rollout, leading axes ``(num_steps, num_envs)``.
            updates: Gradient steps taken before this update.
            key: PRNG key (minibatch shuffling).

        Returns:
            `(policy, opt_state, updates, stats)`.
        """

    def optimizer(self) -> optax.GradientTransformation:
        """Global-norm clipping then Adam at `learning_rate` (a float or optax schedule)."""
        return optax.chain(
            optax.clip_by_global_norm(self.max_grad_norm), optax.adam(self.learning_rate)
        )

    def check(self, env: Any, policy: AbstractActorCriticPolicy) -> None:
        name = type(self).__name__
        if not isinstance(policy, AbstractActorCriticPolicy):
            raise TypeError(
                f"{name} trains an AbstractActorCriticPolicy (e.g. MLPActorCriticPolicy), "
                f"got {type(policy).__name__}"
            )
        check_spaces(name, env, policy)

    def init(self, env: Any, policy: AbstractActorCriticPolicy, *, key: Key) -> OnPolicyState:
        collector_key, key = jax.random.split(key)
        params = eqx.filter(policy, policy.trainable())
        return OnPolicyState(
            policy=policy,
            opt_state=self.optimizer().init(params),
            collector=Collector(self.num_envs).reset(env, policy, key=collector_key),
            key=jax.random.key_data(key),
            global_step=jnp.zeros((), jnp.int32),
            updates=jnp.zeros((), jnp.int32),
        )

    def act(self, env: Any, policy: AbstractActorCriticPolicy) -> Act:
        """Sample an action with its value and log-probability; clip Box actions to step."""

        def act(policy_state, observation, action_mask, key):
            policy_state, action, value, log_prob = policy.action_and_value(
                policy_state, observation, key=key, action_mask=action_mask
            )
            env_action = action
            if isinstance(env.action_space, Box):
                env_action = jnp.clip(action, env.action_space.low, env.action_space.high)
            return policy_state, action, env_action, (value, log_prob)

        return act

    def iteration(
        self,
        env: Any,
        state: OnPolicyState,
        callback: AbstractCallback,
        step_state: Any,
        *,
        total_timesteps: int,
    ) -> tuple[OnPolicyState, Any, Any]:
        policy = state.policy
        key, rollout_key, update_key = jax.random.split(jax.random.wrap_key_data(state.key), 3)
        cstate, step_state, records = Collector(self.num_envs).rollout(
            env,
            policy,
            self.act(env, policy),
            state.collector,
            callback,
            step_state,
            state.global_step,
            self.num_steps,
            key=rollout_key,
        )
        buffer = self._buffer(policy, records)
        _, last_value = jax.vmap(policy.value)(cstate.policy_state, cstate.observation)
        buffer = buffer.estimate(self.estimator(), jax.lax.stop_gradient(last_value))
        policy, opt_state, updates, stats = self.update(
            policy, state.opt_state, buffer, state.updates, key=update_key
        )
        state = OnPolicyState(
            policy=policy,
            opt_state=opt_state,
            collector=cstate,
            key=jax.random.key_data(key),
            global_step=state.global_step + self.steps_per_iteration,
            updates=updates,
        )
        return state, step_state, stats

    def _buffer(self, policy: AbstractActorCriticPolicy, records: StepRecord) -> RolloutBuffer:
        values, log_probs = records.extras
        # The value of each step's true final observation, used where a time limit cut the
        # episode off (ignored elsewhere).
        _, bootstrap = jax.vmap(jax.vmap(policy.value))(
            records.next_policy_state, records.next_observation
        )
        return RolloutBuffer(
            records.observation,
            records.action,
            records.reward,
            records.terminal | records.truncation,
            log_probs,
            values,
            records.policy_state,
            records.action_mask,
            truncations=records.truncation,
            bootstrap_values=jax.lax.stop_gradient(bootstrap),
        )


def check_common(algo: AbstractOnPolicyAlgorithm) -> None:
    """Check the hyperparameters every on-policy algorithm has, naming the bad one."""
    who = type(algo).__name__
    check_bools(who, normalize_advantages=algo.normalize_advantages)
    check_unit(who, gamma=algo.gamma)
    check_nonnegative(who, value_loss_coefficient=algo.value_loss_coefficient)
    check_positive(who, max_grad_norm=algo.max_grad_norm, learning_rate=algo.learning_rate)


def explained_variance(
    values: Float[Array, "*batch"], returns: Float[Array, "*batch"]
) -> Float[Array, ""]:
    """``1 - Var(returns - values) / Var(returns)`` (zero when the returns do not vary)."""
    var = jnp.var(returns)
    return jnp.where(var > 0, 1.0 - jnp.var(returns - values) / jnp.where(var > 0, var, 1.0), 0.0)


def normalize(advantages: Float[Array, "*batch"]) -> Float[Array, "*batch"]:
    """Advantages shifted to mean zero and scaled to unit standard deviation."""
    return (advantages - jnp.mean(advantages)) / (jnp.std(advantages) + 1e-8)


def evaluate(
    policy: AbstractActorCriticPolicy, batch: RolloutBuffer
) -> tuple[Float[Array, " batch"], Float[Array, " batch"], Float[Array, " batch"]]:
    """Values, log-probabilities and entropies of a flat batch's actions, in their states."""

    def one(state, observation, action, mask):
        _, value, log_prob, entropy = policy.evaluate_action(
            state, observation, action, action_mask=mask
        )
        return value, log_prob, entropy

    return jax.vmap(one)(batch.states, batch.observations, batch.actions, batch.action_masks)
