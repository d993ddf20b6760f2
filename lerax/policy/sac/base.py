"""Soft actor-critic policies: stochastic actors whose critics the algorithm owns."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import TypeVar

import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Bool, Float, Int, Key, PyTree
from ...distribution import AbstractDistribution, Categorical
from ...space import AbstractSpace, Discrete
from ..base import AbstractPolicy, parameters

StateType = TypeVar("StateType")
ActType = TypeVar("ActType")
ObsType = TypeVar("ObsType")
MaskType = TypeVar("MaskType")


class AbstractSACPolicy(AbstractPolicy[StateType, ActType, ObsType, MaskType]):
    """A SAC actor: a stochastic policy with reparameterised (or enumerable) actions.

    The policy is the actor only, which is what a user deploys, saves and exports; the
    critics belong to the algorithm (`lerax.algorithm.SoftQNetwork`,
    `lerax.algorithm.DiscreteQNetwork`). Subclasses provide `action_distribution`; acting
    and sampling with log-probabilities are built on it here. Log-probabilities are summed
    over the action's entries.
    """

    action_space: eqx.AbstractVar[AbstractSpace]

    def trainable(self) -> PyTree[bool]:
        """The leaves an optimiser trains: every floating-point array outside the spaces.

        Returns:
            A filter spec (a pytree of booleans shaped like the policy).
        """
        return parameters(self)

    @abc.abstractmethod
    def action_distribution(
        self, state: StateType, observation: ObsType, *, action_mask: MaskType | None = None
    ) -> tuple[StateType, AbstractDistribution]:
        """The actor's distribution over actions for `observation`.

        Returns:
            `(state, distribution)`; its samples lie in the action space.
        """

    def action_and_log_prob(
        self,
        state: StateType,
        observation: ObsType,
        *,
        key: Key,
        action_mask: MaskType | None = None,
    ) -> tuple[StateType, ActType, Float[Array, ""]]:
        """A sampled action (reparameterised where the distribution allows) and its
        log-probability.

        Returns:
            `(state, action, log_prob)`.
        """
        state, dist = self.action_distribution(state, observation, action_mask=action_mask)
        action, log_prob = dist.sample_and_log_prob(key)
        return state, action, jnp.sum(log_prob)

    def __call__(
        self,
        state: StateType,
        observation: ObsType,
        *,
        action_mask: MaskType | None = None,
        key: Key | None = None,
    ) -> tuple[StateType, ActType]:
        """A sampled action with `key`, else the distribution's mode."""
        state, dist = self.action_distribution(state, observation, action_mask=action_mask)
        return state, dist.mode() if key is None else dist.sample(key)


class AbstractDiscreteSACPolicy(
    AbstractSACPolicy[StateType, Int[Array, ""], ObsType, Bool[Array, " n"]]
):
    """A discrete SAC actor: a categorical distribution over `Discrete` actions.

    Subclasses provide `action_logits`; masking, probabilities and sampling are built on
    it here. With a mask, masked actions have probability 0 and are never chosen.
    """

    action_space: eqx.AbstractVar[Discrete]

    @abc.abstractmethod
    def action_logits(
        self, state: StateType, observation: ObsType
    ) -> tuple[StateType, Float[Array, " n"]]:
        """Unnormalised log-probabilities of every action.

        Returns:
            `(state, logits)`.
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

    def action_probs_and_log_probs(
        self,
        state: StateType,
        observation: ObsType,
        *,
        action_mask: Bool[Array, " n"] | None = None,
    ) -> tuple[StateType, Float[Array, " n"], Float[Array, " n"]]:
        """Probabilities and log-probabilities of every action, as discrete SAC's losses
        need them (an expectation over actions instead of a sample).

        Masked actions have probability 0 and a finite log-probability, so products like
        ``probs * log_probs`` stay 0 there and gradients stay finite.

        Returns:
            `(state, probs, log_probs)`, each of shape ``(n,)``.
        """
        state, dist = self.action_distribution(state, observation, action_mask=action_mask)
        log_probs = jnp.where(jnp.isneginf(dist.logits), 0.0, dist.logits)
        return state, dist.probs, log_probs
