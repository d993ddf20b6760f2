"""A fixed-size, time-major batch of on-policy experience."""

from __future__ import annotations

import math
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import (
    Action,
    Array,
    ArrayLike,
    Bool,
    Float,
    FloatScalarLike,
    Int,
    Key,
    Mask,
    Observation,
)
from ..advantage import GAE
from .base import AbstractBuffer, check_batch_size


@final
class RolloutBuffer(AbstractBuffer):
    """Experience of `num_steps` steps in `num_envs` parallel environments.

    Every array leaf has the leading axes ``(num_steps, num_envs)`` (or just ``(num_steps,)``),
    as produced by stacking per-step outputs with `lax.scan`. Call
    `compute_returns_and_advantages` once the rollout is complete, then iterate over
    `batches` (shuffled minibatches of static size) for the update epochs.

    Args:
        observations: Observations the actions were taken on.
        actions: The actions.
        rewards: Rewards, shape ``(num_steps, *envs)``; they fix the leading axes.
        terminals: Whether each step reached a true terminal.
        truncations: Whether the episode was cut off after each step.
        values: Value estimates of the observations.
        log_probs: Log-probabilities of the actions under the acting policy.
        action_masks: Action masks the actions were chosen under, or `None`.
        states: Policy states at each observation, or `None`.
        bootstrap_values: Value estimates of the final observation at truncated steps (other
            entries ignored). With them, GAE bootstraps through truncations; without them a
            truncation is treated like a terminal.

    Attributes:
        advantages: Filled by `compute_returns_and_advantages` (zeros before).
        returns: Value targets, filled by `compute_returns_and_advantages` (zeros before).

    Example:
        >>> buffer = RolloutBuffer(obs, actions, rewards, terms, truncs, values, log_probs)
        >>> buffer = buffer.compute_returns_and_advantages(last_value, 0.95, 0.99)
        >>> policy, _ = lax.scan(update, policy, buffer.batches(64, key=key))
    """

    observations: Observation
    actions: Action
    rewards: Float[Array, " steps *envs"]
    terminals: Bool[Array, " steps *envs"]
    truncations: Bool[Array, " steps *envs"]
    values: Float[Array, " steps *envs"]
    log_probs: Float[Array, " steps *envs"]
    action_masks: Mask
    states: Any
    bootstrap_values: Float[Array, " steps *envs"] | None
    advantages: Float[Array, " steps *envs"]
    returns: Float[Array, " steps *envs"]

    def __init__(
        self,
        observations: Observation,
        actions: Action,
        rewards: Float[ArrayLike, " steps *envs"],
        terminals: Bool[ArrayLike, " steps *envs"],
        truncations: Bool[ArrayLike, " steps *envs"],
        values: Float[ArrayLike, " steps *envs"],
        log_probs: Float[ArrayLike, " steps *envs"],
        *,
        action_masks: Mask = None,
        states: Any = None,
        bootstrap_values: Float[ArrayLike, " steps *envs"] | None = None,
    ):
        rewards = jnp.asarray(rewards)
        if rewards.ndim < 1:
            raise ValueError("RolloutBuffer: rewards must have a leading step axis, got a scalar")
        lead = rewards.shape
        for name, arr in (
            ("terminals", terminals),
            ("truncations", truncations),
            ("values", values),
            ("log_probs", log_probs),
            ("bootstrap_values", bootstrap_values),
        ):
            if arr is not None and jnp.shape(arr) != lead:
                raise ValueError(
                    f"RolloutBuffer: {name} must have the shape of rewards {lead}, "
                    f"got {jnp.shape(arr)}"
                )
        for name, tree in (
            ("observations", observations),
            ("actions", actions),
            ("action_masks", action_masks),
            ("states", states),
        ):
            for path, leaf in jax.tree_util.tree_flatten_with_path(tree)[0]:
                if eqx.is_array(leaf) and leaf.shape[: len(lead)] != lead:
                    raise ValueError(
                        f"RolloutBuffer: {name}{jax.tree_util.keystr(path)} must start with the "
                        f"axes {lead} of rewards, got shape {leaf.shape}"
                    )
        self.observations = observations
        self.actions = actions
        self.rewards = rewards
        self.terminals = jnp.asarray(terminals, bool)
        self.truncations = jnp.asarray(truncations, bool)
        self.values = jnp.asarray(values)
        self.log_probs = jnp.asarray(log_probs)
        self.action_masks = action_masks
        self.states = states
        self.bootstrap_values = None if bootstrap_values is None else jnp.asarray(bootstrap_values)
        self.advantages = jnp.zeros_like(self.values)
        self.returns = jnp.zeros_like(self.values)

    def compute_returns_and_advantages(
        self,
        last_value: Float[ArrayLike, "*envs"],
        gae_lambda: FloatScalarLike,
        gamma: FloatScalarLike,
    ) -> RolloutBuffer:
        """Fill `advantages` and `returns` with generalised advantage estimation.

        Args:
            last_value: Value estimate of the observation after the last step.
            gae_lambda: GAE lambda.
            gamma: Discount factor.

        Returns:
            The buffer with `advantages` and `returns` set.
        """
        advantages, returns = GAE(gamma=gamma, lam=gae_lambda)(
            self.rewards,
            self.values,
            self.terminals | self.truncations,
            last_value,
            truncations=None if self.bootstrap_values is None else self.truncations,
            bootstrap_values=self.bootstrap_values,
        )
        return eqx.tree_at(lambda b: (b.advantages, b.returns), self, (advantages, returns))

    def _take(self, indices: Int[Array, "*batch"]) -> RolloutBuffer:
        lead = self.rewards.ndim
        total = math.prod(self.rewards.shape)

        def take(x: Any) -> Any:
            if not eqx.is_array(x):
                return x
            return jnp.reshape(x, (total, *x.shape[lead:]))[indices]

        return jax.tree.map(take, self)

    def batches(self, batch_size: int, *, key: Key) -> RolloutBuffer:
        """Shuffle the steps of all environments and cut them into minibatches.

        ``num_steps * num_envs // batch_size`` minibatches are made; a remainder (if any) is
        left out of this shuffle. Scan over the result to visit each minibatch.

        Args:
            batch_size: Items per minibatch (static), between 1 and ``num_steps * num_envs``.
            key: PRNG key.

        Returns:
            A buffer whose leaves have leading axes ``(num_batches, batch_size)``.
        """
        total = math.prod(self.rewards.shape)
        check_batch_size(batch_size, total, "RolloutBuffer.batches", "num_steps * num_envs")
        num_batches = total // batch_size
        order = jax.random.permutation(key, total)[: num_batches * batch_size]
        return self._take(jnp.reshape(order, (num_batches, batch_size)))

    def sample(self, batch_size: int, *, key: Key) -> RolloutBuffer:
        """Draw one minibatch of distinct items, uniformly at random.

        Args:
            batch_size: Items in the minibatch (static), between 1 and ``num_steps * num_envs``.
            key: PRNG key.

        Returns:
            A buffer whose leaves have a leading axis of length `batch_size`.
        """
        total = math.prod(self.rewards.shape)
        check_batch_size(batch_size, total, "RolloutBuffer.sample", "num_steps * num_envs")
        return self._take(jax.random.permutation(key, total)[:batch_size])
