"""Deterministic policies over Box actions (DDPG, TD3).

`AbstractDeterministicPolicy` is the contract DDPG and TD3 train;
`AbstractNoisyDeterministicPolicy` implements it once from a deterministic action plus
Gaussian exploration noise.
"""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import Any, TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import ArrayLike

from ..._types import Array, Float, Key, PyTree
from ...space import Box
from ..base import AbstractPolicy, parameters

StateType = TypeVar("StateType")
ObsType = TypeVar("ObsType")


class AbstractDeterministicPolicy(AbstractPolicy[StateType, Float[Array, "..."], ObsType, None]):
    """A policy computing one action per observation (for DDPG, TD3).

    Subclasses provide `__call__` (plus `name`, `action_space`, `observation_space` and
    `reset`); the algorithms use nothing else. ``policy(state, obs)`` (no key) is the
    deterministic action, differentiable with respect to the policy's parameters and inside
    the action bounds: DDPG / TD3 train the actor through it and evaluate their targets
    with it. ``policy(state, obs, key=key)`` is the exploring action taken while collecting.

    The critics of DDPG / TD3 are not part of the policy; the algorithms own them.

    Attributes:
        action_space: The `Box` action space (finite bounds).
    """

    action_space: eqx.AbstractVar[Box]

    def trainable(self) -> PyTree[bool]:
        """The leaves an optimiser trains: every floating-point array outside the spaces,
        except the `exploration_noise` of an `AbstractNoisyDeterministicPolicy`.

        Returns:
            A filter spec (a pytree of booleans shaped like the policy).
        """
        spec = parameters(self)
        if isinstance(self, AbstractNoisyDeterministicPolicy):
            spec = eqx.tree_at(lambda p: p.exploration_noise, spec, replace_fn=lambda _: False)
        return spec


class AbstractNoisyDeterministicPolicy(AbstractDeterministicPolicy[StateType, ObsType]):
    """A deterministic policy explored with clipped Gaussian noise (e.g.
    `MLPDeterministicPolicy`).

    Subclasses provide `deterministic_action` and the `exploration_noise` scale; `__call__`
    is built on them here.

    Attributes:
        exploration_noise: Standard deviation of the exploration noise, relative to the
            half-width of the action bounds. An array leaf, so it can be traced or
            scheduled; never trained.
    """

    exploration_noise: eqx.AbstractVar[Float[ArrayLike, ""]]

    @abc.abstractmethod
    def deterministic_action(
        self, state: StateType, observation: ObsType
    ) -> tuple[StateType, Float[Array, "..."]]:
        """The action for `observation`, inside the action bounds (differentiable).

        Returns:
            `(state, action)`.
        """

    def __call__(
        self,
        state: StateType,
        observation: ObsType,
        *,
        action_mask: Any = None,
        key: Key | None = None,
    ) -> tuple[StateType, Float[Array, "..."]]:
        """The deterministic action; with `key`, plus clipped Gaussian exploration noise.

        The noise has standard deviation ``exploration_noise * (high - low) / 2``; the noisy
        action is clipped to the bounds.

        Raises:
            ValueError: If an `action_mask` is given (Box actions cannot be masked).
        """
        if action_mask is not None:
            raise ValueError(f"{type(self).__name__}: Box actions cannot be masked")
        state, action = self.deterministic_action(state, observation)
        if key is None:
            return state, action
        low, high = jax.lax.stop_gradient((self.action_space.low, self.action_space.high))
        noise = jax.random.normal(key, action.shape, action.dtype)
        action = action + self.exploration_noise * (high - low) / 2 * noise
        return state, jnp.clip(action, low, high)
