"""Environment stepping, written once for every algorithm and for `lerax.benchmark`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Action, Array, Bool, Float, Int, Key, KeyBatch, Mask, Observation
from ..callback import AbstractCallback, IterationMetrics
from ..callback.base_callback import StepContext
from ..utils import filter_scan

Act = Callable[[Any, Observation, Mask, Key], tuple[Any, Action, Action, Any]]
"""How an algorithm acts in one environment:
`act(policy_state, observation, action_mask, key) -> (policy_state, action, env_action, extras)`.
`action` is what the algorithm stores, `env_action` what steps the environment (for example
clipped to the bounds) and `extras` anything else it wants recorded (values, log-probs)."""


_SALT = 0x1E7A_C011


def policy_act(policy: Any, *, deterministic: bool = False) -> Act:
    """The acting function of a policy used as it is: `policy(state, obs, mask, key)`.

    Stores and steps the same action and records no extras. With `deterministic=True`
    the policy gets `key=None` (its greedy or mean action).
    """

    def act(policy_state: Any, observation: Any, action_mask: Mask, key: Key):
        policy_state, action = policy(
            policy_state, observation, action_mask=action_mask, key=None if deterministic else key
        )
        return policy_state, action, action, None

    return act


def where_done(done: Bool[Array, "*envs"], fresh: Any, current: Any) -> Any:
    """Take `fresh` where `done` and `current` elsewhere, leaf by leaf (leading axes `done`)."""

    def pick(a: Array, b: Array) -> Array:
        return jnp.where(jnp.reshape(done, done.shape + (1,) * (a.ndim - done.ndim)), a, b)

    return jax.tree.map(pick, fresh, current)


class AbstractStepState(eqx.Module):
    """Base class of where the environments of a run stand between steps."""


@final
class CollectorState(AbstractStepState):
    """Where `num_envs` parallel environments stand between two steps.

    Attributes:
        env_state: Environment states, leading axis `num_envs`.
        observation: Current observations.
        policy_state: Policy states (reset where an episode ended).
        episode_return: Return of the episode in progress, per environment.
        episode_length: Length of the episode in progress, per environment.
        last_return: Return of the last finished episode, per environment.
        last_length: Length of the last finished episode, per environment.
        episodes: Finished episodes so far, per environment.
    """

    env_state: Any
    observation: Observation
    policy_state: Any
    episode_return: Float[Array, " envs"]
    episode_length: Int[Array, " envs"]
    last_return: Float[Array, " envs"]
    last_length: Int[Array, " envs"]
    episodes: Int[Array, " envs"]

    def metrics(self, stats: Any) -> IterationMetrics:
        """The iteration metrics: these episode statistics and the algorithm's `stats`."""
        return IterationMetrics(
            episode_return=jnp.mean(self.last_return),
            episode_length=jnp.mean(self.last_length.astype(jnp.float32)),
            episodes=jnp.sum(self.episodes).astype(jnp.float32),
            stats=stats,
        )


@final
class StepRecord(eqx.Module):
    """One step of every environment, as algorithms store it; leading axis `num_envs`.

    Attributes:
        observation: Observation the action was chosen on.
        action: The action the algorithm stores (before any clipping).
        reward: Reward received.
        terminal: Whether the step reached a true terminal.
        truncation: Whether the episode was cut off after the step.
        next_observation: Observation after the step; at an episode end the final
            observation of that episode, not the reset one.
        action_mask: Mask the action was chosen under (`None` for unmasked environments).
        next_action_mask: Mask of `next_observation` (`None` likewise).
        policy_state: Policy state the action was chosen in.
        next_policy_state: Policy state after acting, before any reset: the state that
            goes with `next_observation`.
        extras: What the algorithm's `act` recorded (values, log-probabilities, ...).
    """

    observation: Observation
    action: Action
    reward: Float[Array, " envs"]
    terminal: Bool[Array, " envs"]
    truncation: Bool[Array, " envs"]
    next_observation: Observation
    action_mask: Mask
    next_action_mask: Mask
    policy_state: Any
    next_policy_state: Any
    extras: Any


@final
class Collector(eqx.Module):
    """Steps `num_envs` environments with a policy: the one place where acting happens.

    For each environment it draws the action mask, asks the algorithm's `act` for an
    action, steps the environment (which auto-resets), resets the policy state where an
    episode ended, calls the callback's `on_step` and keeps the episode statistics.

    Args:
        num_envs: Number of parallel environments (static).

    Example:
        >>> collector = Collector(4)
        >>> cstate = collector.reset(env, policy, key=key)
        >>> cstate, step_state, record = collector.step(
        ...     env, policy, act, cstate, callback, step_state, global_step, key=key)
    """

    num_envs: int = eqx.field(static=True)

    def reset(self, env: Any, policy: Any, *, key: Key) -> CollectorState:
        """Reset every environment and its policy state."""
        env_key, policy_key = jax.random.split(key)
        env_state, observation, _ = jax.vmap(lambda k: env.reset(key=k))(
            jax.random.split(env_key, self.num_envs)
        )
        policy_state = jax.vmap(lambda k: policy.reset(key=k))(
            jax.random.split(policy_key, self.num_envs)
        )
        zeros = jnp.zeros(self.num_envs, jnp.float32)
        izeros = jnp.zeros(self.num_envs, jnp.int32)
        return CollectorState(
            env_state, observation, policy_state, zeros, izeros, zeros, izeros, izeros
        )

    def keys(self, key: Key, num_steps: int) -> KeyBatch:
        """Keys for `num_steps` calls of `step` in one split: shape `(num_steps, num_envs, 2)`.

        Each step's keys are hashed here, ahead of the loop, rather than inside it.
        """
        return jax.random.split(key, (num_steps, self.num_envs, 2))

    def example_mask(self, env: Any, state: CollectorState) -> Mask:
        """The action mask of the first environment (`None` for unmasked environments)."""
        first = jax.tree.map(lambda x: x[0], state.env_state)
        return env.action_mask(first, key=jax.random.key(0))

    def step(
        self,
        env: Any,
        policy: Any,
        act: Act,
        state: CollectorState,
        callback: AbstractCallback,
        step_state: Any,
        global_step: Int[Array, ""],
        *,
        key: Key | KeyBatch,
    ) -> tuple[CollectorState, Any, StepRecord]:
        """Take one step in every environment.

        Args:
            env: The environment.
            policy: The policy (its `reset` restarts the state of ended episodes).
            act: The algorithm's acting function (see `Act`).
            state: Where the environments stand.
            callback: The callback whose `on_step` sees every step.
            step_state: The callback's per-environment step states.
            global_step: Environment steps taken before this one (all environments).
            key: One PRNG key, or a pair per environment (shape `(num_envs, 2)`, a row of
                `keys`). Splitting the keys of a whole rollout up front is cheaper than a
                split per step.

        Returns:
            `(state, step_state, record)`.
        """
        n = self.num_envs
        keys = jax.random.split(key, (n, 2)) if jnp.ndim(key) == 0 else key
        if keys.shape != (n, 2):
            raise ValueError(
                f"Collector.step: key must be one key or keys of shape ({n}, 2) "
                f"(see Collector.keys), got shape {keys.shape}"
            )
        # The action and the environment step get keys of their own; the rarely used
        # purposes derive theirs by `fold_in` (XLA drops the hashing when nobody uses the
        # key), with constants far from the small ones environments use on their key.
        k_act, k_env = keys[:, 0], keys[:, 1]
        k_mask, k_reset, k_cb = (
            jax.vmap(lambda k, i=i: jax.random.fold_in(k, _SALT + i))(k_act) for i in range(3)
        )
        masks = jax.vmap(lambda s, k: env.action_mask(s, key=k))(state.env_state, k_mask)
        policy_state, action, env_action, extras = jax.vmap(act)(
            state.policy_state, state.observation, masks, k_act
        )
        env_state, observation, reward, terminal, truncate, info = jax.vmap(
            lambda s, a, k: env.step(s, a, key=k)
        )(state.env_state, env_action, k_env)
        done = terminal | truncate
        fresh = jax.vmap(lambda k: policy.reset(key=k))(k_reset)
        next_policy_state = where_done(done, fresh, policy_state)
        step_global = global_step + n
        step_state = jax.vmap(
            lambda ss, o, a, r, te, tr, inf, k: callback.on_step(
                step_context(env, policy, ss, o, a, r, te, tr, inf, step_global), key=k
            )
        )(step_state, state.observation, env_action, reward, terminal, truncate, info, k_cb)
        episode_return = state.episode_return + reward
        episode_length = state.episode_length + 1
        record = StepRecord(
            observation=state.observation,
            action=action,
            reward=reward,
            terminal=terminal,
            truncation=truncate,
            next_observation=info["final_observation"],
            action_mask=masks,
            next_action_mask=info["final_action_mask"],
            policy_state=state.policy_state,
            next_policy_state=policy_state,
            extras=extras,
        )
        new_state = CollectorState(
            env_state=env_state,
            observation=observation,
            policy_state=next_policy_state,
            episode_return=jnp.where(done, 0.0, episode_return),
            episode_length=jnp.where(done, 0, episode_length),
            last_return=jnp.where(done, episode_return, state.last_return),
            last_length=jnp.where(done, episode_length, state.last_length),
            episodes=state.episodes + done.astype(jnp.int32),
        )
        return new_state, step_state, record

    def rollout(
        self,
        env: Any,
        policy: Any,
        act: Act,
        state: CollectorState,
        callback: AbstractCallback,
        step_state: Any,
        global_step: Int[Array, ""],
        num_steps: int,
        *,
        key: Key | KeyBatch,
    ) -> tuple[CollectorState, Any, StepRecord]:
        """Take `num_steps` steps in every environment with a `lax.scan` of `step`.

        The keys of all steps are split once, ahead of the loop (`keys`), unless `key`
        already holds them (shape `(num_steps, num_envs, 2)`): a caller that splits its own
        keys anyway can split these with them, in one hash.

        Returns:
            `(state, step_state, records)`, the records stacked along a leading step axis
            (leaves shaped `(num_steps, num_envs, ...)`).
        """

        def body(carry, step_key):
            cstate, step_state, global_step = carry
            cstate, step_state, record = self.step(
                env, policy, act, cstate, callback, step_state, global_step, key=step_key
            )
            return (cstate, step_state, global_step + self.num_envs), record

        keys = self.keys(key, num_steps) if jnp.ndim(key) == 0 else key
        if keys.shape != (num_steps, self.num_envs, 2):
            raise ValueError(
                f"Collector.rollout: key must be one key or keys of shape "
                f"({num_steps}, {self.num_envs}, 2), got shape {keys.shape}"
            )
        (state, step_state, _), records = filter_scan(body, (state, step_state, global_step), keys)
        return state, step_state, records


def step_context(
    env: Any,
    policy: Any,
    state: Any,
    observation: Any,
    action: Any,
    reward: Float[Array, ""],
    terminal: Bool[Array, ""],
    truncate: Bool[Array, ""],
    info: dict[str, Any],
    global_step: Int[Array, ""],
) -> StepContext:
    """The `StepContext` of one environment's step (documented fields and ours)."""
    extra = dict(
        observation=observation,
        action=action,
        terminal=terminal,
        truncate=truncate,
        info=info,
        global_step=global_step,
    )
    return StepContext(
        state=state,
        env=env,
        policy=policy,
        done=terminal | truncate,
        reward=reward,
        locals=dict(extra),
        **extra,
    )
