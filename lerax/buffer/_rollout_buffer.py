"""A fixed-size, time-major batch of on-policy experience."""

from __future__ import annotations

from collections.abc import Sequence
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
    Key,
    Mask,
    Observation,
)
from ..advantage import GAE, AbstractAdvantageEstimator
from .base import AbstractBuffer, check_batch_size


@final
class RolloutBuffer(AbstractBuffer["RolloutBuffer"]):
    """Experience of `num_steps` steps in `num_envs` parallel environments.

    Every array leaf has the leading axes ``(num_steps, num_envs)`` (or just
    ``(num_steps,)``), as produced by stacking per-step outputs with `lax.scan`. Compute
    the advantages once the rollout is complete (`compute_returns_and_advantages` for GAE,
    `estimate` for any `AbstractAdvantageEstimator`), then iterate over `batches`.

    Truncation is not termination: give `truncations` (which of the `dones` were cut off by
    a time limit) together with `bootstrap_values` (the value of the episode's true final
    observation at those steps) and the estimators bootstrap through them. Without them a
    truncation is treated like a terminal.

    Args:
        observations: Observations the actions were taken on.
        actions: The actions (Box actions as sampled, before any clipping).
        rewards: Rewards, shape ``(num_steps, *envs)``; they fix the leading axes.
        dones: Whether the episode ended with each step (terminated or truncated).
        log_probs: Log-probabilities of the actions under the acting policy.
        values: Value estimates of the observations.
        states: Policy states at each observation (`None` for stateless policies).
        action_masks: Action masks the actions were chosen under, or `None`.
        returns: Value targets, if already known (zeros otherwise).
        advantages: Advantages, if already known (zeros otherwise).
        truncations: Which steps were cut off rather than terminated, or `None`.
        bootstrap_values: Value estimates of the final observation at truncated steps
            (other entries are ignored), given together with `truncations`.

    Example:
        >>> buffer = RolloutBuffer(obs, actions, rewards, dones, log_probs, values, None)
        >>> buffer = buffer.compute_returns_and_advantages(last_value, 0.95, 0.99)
        >>> policy, _ = lax.scan(update, policy, buffer.batches(64, key=key))
    """

    observations: Observation
    actions: Action
    rewards: Float[Array, " steps *envs"]
    dones: Bool[Array, " steps *envs"]
    log_probs: Float[Array, " steps *envs"]
    values: Float[Array, " steps *envs"]
    states: Any
    action_masks: Mask
    returns: Float[Array, " steps *envs"]
    advantages: Float[Array, " steps *envs"]
    truncations: Bool[Array, " steps *envs"] | None
    bootstrap_values: Float[Array, " steps *envs"] | None

    def __init__(
        self,
        observations: Observation,
        actions: Action,
        rewards: Float[ArrayLike, " steps *envs"],
        dones: Bool[ArrayLike, " steps *envs"],
        log_probs: Float[ArrayLike, " steps *envs"],
        values: Float[ArrayLike, " steps *envs"],
        states: Any = None,
        action_masks: Mask = None,
        returns: Float[ArrayLike, " steps *envs"] | None = None,
        advantages: Float[ArrayLike, " steps *envs"] | None = None,
        *,
        truncations: Bool[ArrayLike, " steps *envs"] | None = None,
        bootstrap_values: Float[ArrayLike, " steps *envs"] | None = None,
    ):
        rewards = jnp.asarray(rewards)
        if rewards.ndim < 1:
            raise ValueError("RolloutBuffer: rewards must have a leading step axis, got a scalar")
        if (truncations is None) != (bootstrap_values is None):
            raise ValueError(
                "RolloutBuffer: give truncations and bootstrap_values together, or neither"
            )
        lead = rewards.shape
        for name, arr in (
            ("dones", dones),
            ("log_probs", log_probs),
            ("values", values),
            ("returns", returns),
            ("advantages", advantages),
            ("truncations", truncations),
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
        self.dones = jnp.asarray(dones, bool)
        self.log_probs = jnp.asarray(log_probs)
        self.values = jnp.asarray(values)
        self.states = states
        self.action_masks = action_masks
        self.returns = jnp.zeros_like(self.values) if returns is None else jnp.asarray(returns)
        self.advantages = (
            jnp.zeros_like(self.values) if advantages is None else jnp.asarray(advantages)
        )
        self.truncations = None if truncations is None else jnp.asarray(truncations, bool)
        self.bootstrap_values = None if bootstrap_values is None else jnp.asarray(bootstrap_values)

    def estimate(
        self, estimator: AbstractAdvantageEstimator, last_value: Float[ArrayLike, "*envs"]
    ) -> RolloutBuffer:
        """Fill `advantages` and `returns` with an advantage estimator.

        Args:
            estimator: `GAE`, `BootstrappedReturn`, `NStepReturn`, ...
            last_value: Value estimate of the observation after the last step.

        Returns:
            The buffer with `advantages` and `returns` set.
        """
        advantages, returns = estimator(
            self.rewards,
            self.values,
            self.dones,
            last_value,
            truncations=self.truncations,
            bootstrap_values=self.bootstrap_values,
        )
        return eqx.tree_at(lambda b: (b.advantages, b.returns), self, (advantages, returns))

    def compute_returns_and_advantages(
        self,
        last_value: Float[ArrayLike, "*envs"],
        gae_lambda: FloatScalarLike,
        gamma: FloatScalarLike,
    ) -> RolloutBuffer:
        """Fill `advantages` and `returns` by generalised advantage estimation (`GAE`).

        Args:
            last_value: Value estimate of the observation after the last step.
            gae_lambda: GAE lambda.
            gamma: Discount factor.

        Returns:
            The buffer with `advantages` and `returns` set.
        """
        return self.estimate(GAE(gamma=gamma, lam=gae_lambda), last_value)

    def rows(self) -> RolloutBuffer:
        """The buffer itself: every array leaf starts with the axes `shape`."""
        return self

    def sample(
        self, batch_size: int, *, key: Key, batch_axes: int | Sequence[int] | None = None
    ) -> RolloutBuffer:
        """Draw one minibatch of distinct items, uniformly at random.

        Args:
            batch_size: Items in the minibatch (static).
            key: PRNG key.
            batch_axes: Leading axes whose entries are the items (default: all of them).

        Returns:
            A buffer whose leaves have a leading axis of length `batch_size`, followed by
            the leading axes not in `batch_axes`.
        """
        flat = self.flatten_axes(batch_axes)
        total = flat.shape[0]
        check_batch_size(batch_size, total, "RolloutBuffer.sample", "the number of items")
        return flat.gather(jax.random.permutation(key, total)[:batch_size])

    def flatten(self) -> RolloutBuffer:
        """All items in order along one leading axis (steps and environments flattened)."""
        return self.flatten_axes(None)
