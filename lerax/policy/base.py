"""The abstract policy interface."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import Any, Generic, TypeVar

import equinox as eqx
import jax

from .._types import Key
from ..serialization import AbstractSerializable
from ..space import AbstractSpace

StateType = TypeVar("StateType")
ActType = TypeVar("ActType")
ObsType = TypeVar("ObsType")
MaskType = TypeVar("MaskType")


class AbstractPolicyState(eqx.Module):
    """Base of policy states (recurrent cells, counters, ...). Stateless policies use `None`."""


class AbstractPolicy(AbstractSerializable, Generic[StateType, ActType, ObsType, MaskType]):
    """A mapping from observations to actions, with explicit state.

    Policies are serialisable (`serialize` / `deserialize`) and never store state: `reset`
    gives the initial state and `__call__` returns the next one with the action.
    """

    name: eqx.AbstractClassVar[str]
    """Human-readable name of the policy class (a class variable)."""
    action_space: eqx.AbstractVar[AbstractSpace]
    """Space of the actions the policy produces."""
    observation_space: eqx.AbstractVar[AbstractSpace]
    """Space of the observations the policy reads."""

    @abc.abstractmethod
    def reset(self, *, key: Key) -> StateType:
        """The policy state at the start of an episode.

        Args:
            key: PRNG key.

        Returns:
            The initial state (`None` for stateless policies).

        Raises:
            TypeError: If `key` is not a PRNG key, for policies whose initial state is
                random; stateless policies ignore `key` and never raise.
        """

    @abc.abstractmethod
    def __call__(
        self,
        state: StateType,
        observation: ObsType,
        *,
        action_mask: MaskType | None = None,
        key: Key | None = None,
    ) -> tuple[StateType, ActType]:
        """Choose an action.

        Args:
            state: The policy state.
            observation: The current observation.
            action_mask: Optional mask of allowed actions.
            key: PRNG key for a stochastic action; `None` acts deterministically.

        Returns:
            `(state, action)`: the next policy state and the action.
        """


def parameters(tree: Any) -> Any:
    """A filter spec selecting the floating-point array leaves of `tree` outside its spaces.

    Space bounds are arrays too, but never trained. Policy families build their
    `trainable()` declaration on this.

    Returns:
        A pytree of booleans shaped like `tree`, for `eqx.partition` / `eqx.filter`.
    """
    return jax.tree.map(
        lambda x: False if isinstance(x, AbstractSpace) else eqx.is_inexact_array(x),
        tree,
        is_leaf=lambda x: isinstance(x, AbstractSpace),
    )


def check_env_spaces(policy_name: str, env: Any) -> tuple[AbstractSpace, AbstractSpace]:
    """Return `(observation_space, action_space)` of `env`, checking they are spaces."""
    obs_space = getattr(env, "observation_space", None)
    act_space = getattr(env, "action_space", None)
    if not isinstance(obs_space, AbstractSpace) or not isinstance(act_space, AbstractSpace):
        raise TypeError(
            f"{policy_name}: expected an environment with observation_space and action_space, "
            f"got {type(env).__name__}"
        )
    return obs_space, act_space
