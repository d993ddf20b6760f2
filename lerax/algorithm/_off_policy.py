"""The off-policy actor-critic family: collect into a replay buffer, learn from minibatches."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import Any, TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Float, Int, Key
from ..buffer import ReplayBuffer, Transition
from ..callback import AbstractCallback
from ..policy import AbstractPolicy
from ..policy._validation import check_bounded_box
from ..space import Box, Discrete
from ..utils import filter_cond, filter_scan
from ._checks import check_positive, check_positive_ints, check_spaces, check_unit
from ._collector import Act, Collector, CollectorState
from .base import AbstractAlgorithm, AbstractTrainState

PolicyType = TypeVar("PolicyType", bound=AbstractPolicy)
StateType = TypeVar("StateType", bound="AbstractOffPolicyState")


class AbstractOffPolicyState(AbstractTrainState):
    """What every off-policy actor-critic run carries beside its networks."""

    buffer: eqx.AbstractVar[ReplayBuffer]
    """The replay buffer."""
    updates: eqx.AbstractVar[Int[Array, ""]]
    """Gradient steps taken so far (delays, target intervals and schedules count them)."""
    stats: eqx.AbstractVar[Any]
    """The statistics of the last gradient step (losses of the last actor update)."""


class AbstractOffPolicyAlgorithm(AbstractAlgorithm[PolicyType, StateType]):
    """SAC, SACDiscrete, DDPG, TD3: learn from a replay buffer with critics they own.

    The family implements the loop once. Each iteration takes `num_steps` steps in each of
    `num_envs` environments with the shared `Collector`: uniformly random actions (allowed
    ones under a mask) while fewer than `learning_starts` steps have been taken, the
    policy's exploring action (``policy(state, obs, key=key)``) afterwards. The transitions
    go into the replay buffer with the true final observation of each finished episode
    and separate terminal and truncation flags, so targets bootstrap through time limits.
    Once learning has started, `gradient_steps` minibatches of `batch_size` are drawn and
    the member's `update` runs on each. A member declares its hyperparameters, its
    state (`build`) and its gradient step (`update`).
    """

    buffer_size: eqx.AbstractVar[int]
    learning_starts: eqx.AbstractVar[int]
    batch_size: eqx.AbstractVar[int]
    gradient_steps: eqx.AbstractVar[int]
    gamma: eqx.AbstractVar[Any]
    tau: eqx.AbstractVar[Any]
    q_width_size: eqx.AbstractVar[int]
    q_depth: eqx.AbstractVar[int]

    def __check_init__(self):
        who = type(self).__name__
        check_positive_ints(
            who,
            buffer_size=self.buffer_size,
            num_envs=self.num_envs,
            num_steps=self.num_steps,
            batch_size=self.batch_size,
            gradient_steps=self.gradient_steps,
            q_width_size=self.q_width_size,
        )
        for name in ("learning_starts", "q_depth"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{who}: {name} must be an int >= 0, got {value!r}")
        if self.batch_size > self.buffer_size:
            raise ValueError(
                f"{who}: batch_size ({self.batch_size}) must not exceed "
                f"buffer_size ({self.buffer_size})"
            )
        if self.steps_per_iteration > self.buffer_size:
            raise ValueError(
                f"{who}: buffer_size ({self.buffer_size}) must hold one iteration's "
                f"num_envs * num_steps = {self.steps_per_iteration} transitions"
            )
        check_unit(who, gamma=self.gamma)
        check_positive(who, tau=self.tau)
        check_unit(who, tau=self.tau)

    @abc.abstractmethod
    def check_policy(self, env: Any, policy: Any) -> None:
        """Raise a clear error if this member cannot train `policy` on `env`'s spaces."""

    @abc.abstractmethod
    def build(
        self,
        env: Any,
        policy: PolicyType,
        collector: CollectorState,
        buffer: ReplayBuffer,
        *,
        key: Key,
    ) -> StateType:
        """The initial training state: critics, targets and optimiser states around the
        given collector and buffer (`global_step` and `updates` zero)."""

    @abc.abstractmethod
    def update(self, state: StateType, batch: Transition, *, key: Key) -> StateType:
        """One gradient step on a minibatch: critics, then (when due) actor, temperature
        and targets. Sets `state.stats`; the family counts `state.updates` afterwards.
        `state.buffer` is `None` here (the minibatch is all the update reads)."""

    def check(self, env: Any, policy: PolicyType) -> None:
        self.check_policy(env, policy)
        check_spaces(type(self).__name__, env, policy)

    def init(self, env: Any, policy: PolicyType, *, key: Key) -> StateType:
        collector_key, build_key, key = jax.random.split(key, 3)
        collector = Collector(self.num_envs)
        cstate = collector.reset(env, policy, key=collector_key)
        buffer = ReplayBuffer(
            self.buffer_size,
            env.observation_space,
            env.action_space,
            jax.tree.map(lambda x: x[0], cstate.policy_state),
            action_mask=collector.example_mask(env, cstate),
        )
        state = self.build(env, policy, cstate, buffer, key=build_key)
        return eqx.tree_at(lambda s: s.key, state, jax.random.key_data(key))

    def act(self, env: Any, policy: PolicyType, warming_up: Any) -> Act:
        """Uniformly random actions while `warming_up`, the policy's exploring ones after.

        The policy is called in both cases, so a stateful policy's state advances alike.
        """
        space = env.action_space

        def act(policy_state, observation, action_mask, key):
            policy_key, random_key = jax.random.split(key)
            policy_state, action = policy(
                policy_state, observation, action_mask=action_mask, key=policy_key
            )
            random = space.sample(key=random_key, mask=action_mask)
            action = jnp.where(warming_up, random, action).astype(action.dtype)
            return policy_state, action, action, None

        return act

    def iteration(
        self,
        env: Any,
        state: StateType,
        callback: AbstractCallback,
        step_state: Any,
        *,
        total_timesteps: int,
    ) -> tuple[StateType, Any, Any]:
        # One split for the iteration: the next state key, the learning key and the keys of
        # every collected step. Each split is a Threefry hash, a loop of its own on CPU.
        keys = jax.random.split(
            jax.random.wrap_key_data(state.key), 2 + 2 * self.steps_per_iteration
        )
        key, update_key = keys[0], keys[1]
        rollout_keys = keys[2:].reshape(self.num_steps, self.num_envs, 2)
        warming_up = state.global_step < self.learning_starts
        cstate, step_state, records = Collector(self.num_envs).rollout(
            env,
            state.policy,
            self.act(env, state.policy, warming_up),
            state.collector,
            callback,
            step_state,
            state.global_step,
            self.num_steps,
            key=rollout_keys,
        )
        flat = jax.tree.map(lambda x: x.reshape((-1, *x.shape[2:])), records)
        buffer = state.buffer.add(
            flat.observation,
            flat.next_observation,
            flat.action,
            flat.reward,
            flat.terminal,
            flat.truncation,
            flat.policy_state,
            flat.next_policy_state,
            flat.action_mask,
            next_action_mask=flat.next_action_mask,
        )
        state = eqx.tree_at(
            lambda s: (s.buffer, s.collector, s.key, s.global_step),
            state,
            (
                buffer,
                cstate,
                jax.random.key_data(key),
                state.global_step + self.steps_per_iteration,
            ),
        )
        # The buffer is only read while learning: keep it out of the branch's operands.
        learner = eqx.tree_at(lambda s: s.buffer, state, None)
        learner = filter_cond(
            state.global_step >= self.learning_starts,
            lambda s: self._learn(s, buffer, update_key),
            lambda s: s,
            learner,
        )
        state = eqx.tree_at(lambda s: s.buffer, learner, buffer, is_leaf=lambda x: x is None)
        return state, step_state, state.stats

    def _learn(self, state: StateType, buffer: ReplayBuffer, key: Key) -> StateType:
        def one(state, step_key):
            sample_key, update_key = jax.random.split(step_key)
            batch = buffer.sample(self.batch_size, key=sample_key)
            state = self.update(state, batch, key=update_key)
            return eqx.tree_at(lambda s: s.updates, state, state.updates + 1), None

        if self.gradient_steps == 1:  # the usual ratio: no loop and no second split
            return one(state, key)[0]
        state, _ = filter_scan(one, state, jax.random.split(key, self.gradient_steps))
        return state


def check_action_space(who: str, env: Any, kind: type) -> None:
    """Raise `ValueError` unless the action space is a `Discrete`, or a `Box` with finite
    bounds (which random exploration and the squashed actors need)."""
    space = env.action_space
    if kind is Discrete:
        if not isinstance(space, Discrete):
            raise ValueError(f"{who} needs a Discrete action space, got {space!r}")
        return
    if not isinstance(space, Box):
        raise ValueError(
            f"{who} needs a Box action space (continuous actions), got {space!r}; "
            "for Discrete actions use SACDiscrete or DQN"
        )
    check_bounded_box(who, space)


def regression(
    qs: list[Float[Array, " batch"]], target: Float[Array, " batch"]
) -> tuple[Float[Array, ""], Float[Array, ""]]:
    """The critics' loss, the sum of each critic's mean squared error to `target`, and
    their mean Q-value (for the statistics)."""
    loss = sum(jnp.mean((q - target) ** 2) for q in qs)
    return jnp.asarray(loss), jnp.mean(jnp.stack(qs))


def flat_observations(policy: Any, observations: Any) -> Float[Array, "batch obs"]:
    """A batch of observations flattened as the critics read them."""
    return jax.vmap(policy.observation_space.flatten_sample)(observations)


def scaled_actions(policy: Any, actions: Float[Array, "batch ..."]) -> Float[Array, "batch act"]:
    """A batch of Box actions flattened and rescaled from the bounds to ``[-1, 1]``."""
    low, high = jax.lax.stop_gradient((policy.action_space.low, policy.action_space.high))
    low, high = jnp.broadcast_to(low, actions.shape), jnp.broadcast_to(high, actions.shape)
    scaled = 2.0 * (actions - low) / (high - low) - 1.0
    return scaled.reshape(scaled.shape[0], -1)


def next_policy_states(policy: Any, batch: Transition) -> Any:
    """The policy states after reading each stored observation in its stored state (where a
    stateful policy stands at the next observation; `None` for stateless policies)."""
    return jax.vmap(lambda s, o: policy(s, o)[0])(batch.state, batch.observation)


def not_terminal(batch: Transition) -> Float[Array, " batch"]:
    """1 where the next observation may be bootstrapped from (also after a truncation)."""
    return 1.0 - batch.terminal.astype(jnp.float32)
