"""Actor-critic policies: a stochastic actor and a state-value critic.

`AbstractActorCriticPolicy` is the contract the on-policy algorithms train;
`AbstractDistributionActorCriticPolicy` implements it once from an action distribution.
"""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import Any, TypeVar

import jax
import jax.numpy as jnp

from ..._types import Array, Float, Key, PyTree
from ...distribution import AbstractDistribution, AbstractMaskableDistribution
from ...space import Box
from ..base import AbstractPolicy, parameters

StateType = TypeVar("StateType")
ActType = TypeVar("ActType")
ObsType = TypeVar("ObsType")
MaskType = TypeVar("MaskType")


class AbstractActorCriticPolicy(AbstractPolicy[StateType, ActType, ObsType, MaskType]):
    """A policy with a stochastic actor and a state-value critic (for PPO, A2C, REINFORCE).

    Subclasses provide `action_and_value`, `evaluate_action`, `value` and `__call__` (plus
    `name`, `action_space`, `observation_space` and `reset`); the on-policy algorithms use
    nothing else. Log-probabilities and entropies are scalars per observation (summed over
    the action's entries; `vmap` for batches), and `evaluate_action` must give the
    log-probability of an action that `action_and_value` sampled in the same state.

    Box actions: `action_and_value` may return a sample outside the bounds (so its
    log-probability matches `evaluate_action`); the algorithms clip it to the bounds before
    stepping the environment and store it unclipped. `__call__` returns an action inside
    the bounds.

    To build an actor-critic from an action distribution, subclass
    `AbstractDistributionActorCriticPolicy` instead, which implements the first three
    methods here once.
    """

    def trainable(self) -> PyTree[bool]:
        """The leaves an optimiser trains: every floating-point array outside the spaces.

        Returns:
            A filter spec (a pytree of booleans shaped like the policy).
        """
        return parameters(self)

    @abc.abstractmethod
    def action_and_value(
        self,
        state: StateType,
        observation: ObsType,
        *,
        key: Key,
        action_mask: MaskType | None = None,
    ) -> tuple[StateType, ActType, Float[Array, ""], Float[Array, ""]]:
        """Sample an action and return it with the state value and its log-probability.

        Args:
            state: The policy state.
            observation: The current observation.
            key: PRNG key for the sample.
            action_mask: Optional mask of allowed actions (never sampled otherwise).

        Returns:
            `(state, action, value, log_prob)`; Box actions may be outside the bounds
            (see the class).
        """

    @abc.abstractmethod
    def evaluate_action(
        self,
        state: StateType,
        observation: ObsType,
        action: ActType,
        *,
        action_mask: MaskType | None = None,
    ) -> tuple[StateType, Float[Array, ""], Float[Array, ""], Float[Array, ""]]:
        """Value, log-probability of `action` and entropy of the (masked) action distribution.

        Args:
            state: The policy state `action` was chosen in.
            observation: The observation `action` was chosen for.
            action: The action to evaluate (as `action_and_value` returned it).
            action_mask: Optional mask of allowed actions.

        Returns:
            `(state, value, log_prob, entropy)`.
        """

    @abc.abstractmethod
    def value(self, state: StateType, observation: ObsType) -> tuple[StateType, Float[Array, ""]]:
        """The critic's estimate of the state value.

        Returns:
            `(state, value)` with a scalar value.
        """


class AbstractDistributionActorCriticPolicy(
    AbstractActorCriticPolicy[StateType, ActType, ObsType, MaskType]
):
    """An actor-critic built on an action distribution (e.g. `MLPActorCriticPolicy`).

    Subclasses provide `distribution_and_value` and `value`; acting, sampling with
    log-probabilities and evaluating stored actions are built on them here. A distribution's
    samples are actions; log-probabilities and entropies are summed over the action's
    entries. An `action_mask` needs a maskable distribution (`ValueError` otherwise).

    Box actions are sampled from an unbounded distribution: `action_and_value` returns the
    raw sample (so its log-probability matches `evaluate_action`); `__call__` returns the
    sample, or the mode without a key, clipped to the bounds.
    """

    @abc.abstractmethod
    def distribution_and_value(
        self, state: StateType, observation: ObsType
    ) -> tuple[StateType, AbstractDistribution, Float[Array, ""]]:
        """The (unmasked) action distribution and the value of `observation`.

        Args:
            state: The policy state.
            observation: The current observation.

        Returns:
            `(state, distribution, value)`.
        """

    def _distribution(
        self, state: StateType, observation: ObsType, action_mask: MaskType | None
    ) -> tuple[StateType, AbstractDistribution, Float[Array, ""]]:
        state, dist, value = self.distribution_and_value(state, observation)
        if action_mask is not None:
            if not isinstance(dist, AbstractMaskableDistribution):
                raise ValueError(
                    f"{type(self).__name__}: action_mask is not supported for "
                    f"{self.action_space!r} actions"
                )
            dist = dist.mask(action_mask)
        return state, dist, value

    def action_and_value(
        self,
        state: StateType,
        observation: ObsType,
        *,
        key: Key,
        action_mask: MaskType | None = None,
    ) -> tuple[StateType, ActType, Float[Array, ""], Float[Array, ""]]:
        """Sample from the (masked) distribution; Box samples are not clipped.

        Returns:
            `(state, action, value, log_prob)`.
        """
        state, dist, value = self._distribution(state, observation, action_mask)
        action, log_prob = dist.sample_and_log_prob(key)
        return state, action, value, jnp.sum(log_prob)

    def evaluate_action(
        self,
        state: StateType,
        observation: ObsType,
        action: ActType,
        *,
        action_mask: MaskType | None = None,
    ) -> tuple[StateType, Float[Array, ""], Float[Array, ""], Float[Array, ""]]:
        """Value, log-probability of `action` and entropy of the (masked) distribution.

        Returns:
            `(state, value, log_prob, entropy)`.
        """
        state, dist, value = self._distribution(state, observation, action_mask)
        return state, value, jnp.sum(dist.log_prob(action)), jnp.sum(dist.entropy())

    def __call__(
        self,
        state: StateType,
        observation: ObsType,
        *,
        action_mask: MaskType | None = None,
        key: Key | None = None,
    ) -> tuple[StateType, ActType]:
        """Sample an action with `key`, or take the distribution's mode without one.

        Box actions are clipped to the bounds.

        Returns:
            `(state, action)`.
        """
        state, dist, _ = self._distribution(state, observation, action_mask)
        action: Any = dist.mode() if key is None else dist.sample(key)
        if isinstance(self.action_space, Box):
            low, high = jax.lax.stop_gradient((self.action_space.low, self.action_space.high))
            action = jnp.clip(action, low, high)
        return state, action
