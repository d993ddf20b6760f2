"""Soft actor-critic policies: a stochastic actor with twin Q critics."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import Any, TypeVar

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Int, Key, PyTree
from ...distribution import AbstractDistribution, Categorical
from ...space import Box, Discrete
from ..base import AbstractPolicy, parameters

StateType = TypeVar("StateType")
ObsType = TypeVar("ObsType")


class AbstractSACPolicy(AbstractPolicy[StateType, Float[Array, "..."], ObsType, None]):
    """SAC policy over Box actions: a squashed stochastic actor and twin Q critics.

    Subclasses provide `action_distribution` (samples are actions inside the bounds) and
    `q_values`; acting and reparameterised sampling are built on them here. Log-probabilities
    are summed over the action's entries.
    """

    action_space: eqx.AbstractVar[Box]

    def trainable(self) -> PyTree[bool]:
        """The leaves an optimiser trains: every floating-point array outside the spaces.

        Returns:
            A filter spec (a pytree of booleans shaped like the policy).
        """
        return parameters(self)

    @abc.abstractmethod
    def action_distribution(
        self, state: StateType, observation: ObsType
    ) -> tuple[StateType, AbstractDistribution]:
        """The actor's distribution over actions for `observation`.

        Returns:
            `(state, distribution)`.
        """

    @abc.abstractmethod
    def q_values(
        self, state: StateType, observation: ObsType, action: Float[Array, "..."]
    ) -> tuple[StateType, Float[Array, ""], Float[Array, ""]]:
        """Both critics' estimates of the value of taking `action` after `observation`.

        Returns:
            `(state, q1, q2)` with scalar Q-values.
        """

    def action_and_log_prob(
        self, state: StateType, observation: ObsType, *, key: Key
    ) -> tuple[StateType, Float[Array, "..."], Float[Array, ""]]:
        """A reparameterised action sample (differentiable in the actor) and its log-probability.

        Returns:
            `(state, action, log_prob)`.
        """
        state, dist = self.action_distribution(state, observation)
        action, log_prob = dist.sample_and_log_prob(key)
        return state, action, jnp.sum(log_prob)

    def __call__(
        self,
        state: StateType,
        observation: ObsType,
        *,
        action_mask: Any = None,
        key: Key | None = None,
    ) -> tuple[StateType, Float[Array, "..."]]:
        """A sampled action with `key`, else the distribution's mode.

        Raises:
            ValueError: If an `action_mask` is given (Box actions cannot be masked).
        """
        if action_mask is not None:
            raise ValueError(f"{type(self).__name__}: Box actions cannot be masked")
        state, dist = self.action_distribution(state, observation)
        return state, dist.mode() if key is None else dist.sample(key)


class AbstractDiscreteSACPolicy(
    AbstractPolicy[StateType, Int[Array, ""], ObsType, Bool[Array, " n"]]
):
    """Discrete SAC policy: a categorical actor and twin critics giving Q for every action.

    Subclasses provide `action_logits` and `q_values`; masking, acting and sampling are
    built on them here. With a mask, masked actions have probability 0 and are never
    chosen; use `Categorical.probs` and `Categorical.entropy` for the SAC losses (they stay
    finite with masks).
    """

    action_space: eqx.AbstractVar[Discrete]

    def trainable(self) -> PyTree[bool]:
        """The leaves an optimiser trains: every floating-point array outside the spaces.

        Returns:
            A filter spec (a pytree of booleans shaped like the policy).
        """
        return parameters(self)

    @abc.abstractmethod
    def action_logits(
        self, state: StateType, observation: ObsType
    ) -> tuple[StateType, Float[Array, " n"]]:
        """Unnormalised log-probabilities of every action.

        Returns:
            `(state, logits)`.
        """

    @abc.abstractmethod
    def q_values(
        self, state: StateType, observation: ObsType
    ) -> tuple[StateType, Float[Array, " n"], Float[Array, " n"]]:
        """Both critics' Q-values of every action.

        Returns:
            `(state, q1, q2)`, each of shape ``(n,)``.
        """

    def action_distribution(
        self,
        state: StateType,
        observation: ObsType,
        *,
        action_mask: Bool[Array, " n"] | None = None,
    ) -> tuple[StateType, Categorical]:
        """The actor's (masked) categorical distribution.

        Returns:
            `(state, distribution)`.
        """
        state, logits = self.action_logits(state, observation)
        dist = Categorical(logits=logits)
        if action_mask is not None:
            dist = dist.mask(action_mask)
        return state, dist

    def action_and_log_prob(
        self,
        state: StateType,
        observation: ObsType,
        *,
        key: Key,
        action_mask: Bool[Array, " n"] | None = None,
    ) -> tuple[StateType, Int[Array, ""], Float[Array, ""]]:
        """A sampled action and its log-probability.

        Returns:
            `(state, action, log_prob)`.
        """
        state, dist = self.action_distribution(state, observation, action_mask=action_mask)
        action, log_prob = dist.sample_and_log_prob(key)
        return state, action, log_prob

    def __call__(
        self,
        state: StateType,
        observation: ObsType,
        *,
        action_mask: Bool[Array, " n"] | None = None,
        key: Key | None = None,
    ) -> tuple[StateType, Int[Array, ""]]:
        """A sampled action with `key`, else the most likely allowed action.

        Returns:
            `(state, action)` with an `int32` action.
        """
        state, dist = self.action_distribution(state, observation, action_mask=action_mask)
        return state, dist.mode() if key is None else dist.sample(key)
