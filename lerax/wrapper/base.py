"""The abstract wrapper interface.

A wrapper is an environment built around another one, `env`, forwarding to it explicitly
(never through `__getattr__`). There are two kinds:

- *stateless* wrappers, whose state **is** the inner state. They transform observations
  (`AbstractObservationWrapper`), actions (`AbstractActionWrapper`) or rewards
  (`AbstractRewardWrapper`) and implement one `transform_*` hook.
- *stateful* wrappers (`AbstractStatefulWrapper`), which keep state of their own next to the
  inner state in a `WrapperState(env_state, wrapper_state)`. They implement three hooks that
  create, advance and reset their own state; `reset_wrapper_state` decides what survives an
  episode boundary (running statistics, episode counters) and what restarts.
"""

# No `from __future__ import annotations` here: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
import abc
from typing import Any, Generic, TypeVar, final

import equinox as eqx

from .._types import Array, Bool, Float, Key
from ..env.base import (
    AbstractEnv,
    AbstractEnvLike,
    AbstractEnvLikeState,
    AbstractEnvState,
    ActType,
    MaskType,
    ObsType,
    StateType,
    _derive_keys,
)
from ..space import AbstractSpace

InnerStateType = TypeVar("InnerStateType", bound=AbstractEnvLikeState)
WrapperStateType = TypeVar("WrapperStateType")


class AbstractWrapperState(AbstractEnvLikeState):
    """Base of the states of stateful wrappers: the inner state plus the wrapper's own."""

    env_state: eqx.AbstractVar[AbstractEnvLikeState]

    @property
    def unwrapped(self) -> AbstractEnvState:
        return self.env_state.unwrapped


@final
class WrapperState(AbstractWrapperState, Generic[InnerStateType, WrapperStateType]):
    """The state of a stateful wrapper.

    Attributes:
        env_state: State of the wrapped environment.
        wrapper_state: The wrapper's own state (a counter, running statistics, frames, ...).
    """

    env_state: InnerStateType
    wrapper_state: WrapperStateType


class AbstractWrapper(AbstractEnvLike[StateType, ActType, ObsType, MaskType]):
    """An environment that wraps another one, `env`.

    Forwards `name`, `unwrapped` and the default renderer to `env`.
    """

    env: eqx.AbstractVar[AbstractEnvLike]

    @property
    def name(self) -> str:
        return self.env.name

    @property
    def unwrapped(self) -> AbstractEnv:
        return self.env.unwrapped

    def default_renderer(self) -> Any:
        return self.env.default_renderer()

    def reset_episode(self, state: StateType, *, key: Key) -> StateType:
        """A fresh `initial` state (stateless and stateful wrappers carry more over)."""
        return self.initial(key=key)

    def render(self, state: StateType, renderer: Any) -> None:
        """Draw the state with the wrapped environment (stateful wrappers unwrap it)."""
        self.env.render(state, renderer)


class AbstractStatelessWrapper(AbstractWrapper[StateType, ActType, ObsType, MaskType]):
    """A wrapper whose state is the inner environment's state, unchanged."""

    def initial(self, *, key: Key) -> StateType:
        return self.env.initial(key=key)

    def terminal(self, state: StateType, *, key: Key) -> Bool[Array, ""]:
        return self.env.terminal(state, key=key)

    def truncate(self, state: StateType) -> Bool[Array, ""]:
        return self.env.truncate(state)

    def state_info(self, state: StateType) -> dict[str, Any]:
        return self.env.state_info(state)

    def reset_episode(self, state: StateType, *, key: Key) -> StateType:
        return self.env.reset_episode(state, key=key)


class AbstractObservationWrapper(AbstractStatelessWrapper[StateType, ActType, ObsType, MaskType]):
    """A stateless wrapper that transforms observations with `transform_observation`.

    Subclasses provide `observation_space` and `transform_observation`.
    """

    @abc.abstractmethod
    def transform_observation(self, observation: Any) -> ObsType:
        """Map an observation of `env` to an observation of this wrapper."""

    @property
    def action_space(self) -> AbstractSpace:
        return self.env.action_space

    def action_mask(self, state: StateType, *, key: Key) -> MaskType | None:
        return self.env.action_mask(state, key=key)

    def transition(self, state: StateType, action: ActType, *, key: Key) -> StateType:
        return self.env.transition(state, action, key=key)

    def observation(self, state: StateType, *, key: Key) -> ObsType:
        return self.transform_observation(self.env.observation(state, key=key))

    def reward(
        self, state: StateType, action: ActType, next_state: StateType, *, key: Key
    ) -> Float[Array, ""]:
        return self.env.reward(state, action, next_state, key=key)

    def transition_info(
        self, state: StateType, action: ActType, next_state: StateType
    ) -> dict[str, Any]:
        return self.env.transition_info(state, action, next_state)


class AbstractActionWrapper(AbstractStatelessWrapper[StateType, ActType, ObsType, MaskType]):
    """A stateless wrapper that maps its actions to actions of `env` with `transform_action`.

    Subclasses provide `action_space`, `transform_action` and `transform_action_mask`.
    """

    @abc.abstractmethod
    def transform_action(self, action: ActType) -> Any:
        """Map an action of this wrapper to an action of `env`."""

    @abc.abstractmethod
    def transform_action_mask(self, mask: Any) -> MaskType | None:
        """Map an action mask of `env` (possibly `None`) to a mask for this wrapper."""

    @property
    def observation_space(self) -> AbstractSpace:
        return self.env.observation_space

    def action_mask(self, state: StateType, *, key: Key) -> MaskType | None:
        return self.transform_action_mask(self.env.action_mask(state, key=key))

    def transition(self, state: StateType, action: ActType, *, key: Key) -> StateType:
        return self.env.transition(state, self.transform_action(action), key=key)

    def observation(self, state: StateType, *, key: Key) -> ObsType:
        return self.env.observation(state, key=key)

    def reward(
        self, state: StateType, action: ActType, next_state: StateType, *, key: Key
    ) -> Float[Array, ""]:
        return self.env.reward(state, self.transform_action(action), next_state, key=key)

    def transition_info(
        self, state: StateType, action: ActType, next_state: StateType
    ) -> dict[str, Any]:
        return self.env.transition_info(state, self.transform_action(action), next_state)


class AbstractRewardWrapper(AbstractStatelessWrapper[StateType, ActType, ObsType, MaskType]):
    """A stateless wrapper that transforms rewards with `transform_reward`."""

    @abc.abstractmethod
    def transform_reward(self, reward: Float[Array, ""]) -> Float[Array, ""]:
        """Map a reward of `env` to a reward of this wrapper."""

    @property
    def action_space(self) -> AbstractSpace:
        return self.env.action_space

    @property
    def observation_space(self) -> AbstractSpace:
        return self.env.observation_space

    def action_mask(self, state: StateType, *, key: Key) -> MaskType | None:
        return self.env.action_mask(state, key=key)

    def transition(self, state: StateType, action: ActType, *, key: Key) -> StateType:
        return self.env.transition(state, action, key=key)

    def observation(self, state: StateType, *, key: Key) -> ObsType:
        return self.env.observation(state, key=key)

    def reward(
        self, state: StateType, action: ActType, next_state: StateType, *, key: Key
    ) -> Float[Array, ""]:
        return self.transform_reward(self.env.reward(state, action, next_state, key=key))

    def transition_info(
        self, state: StateType, action: ActType, next_state: StateType
    ) -> dict[str, Any]:
        return self.env.transition_info(state, action, next_state)


class AbstractStatefulWrapper(
    AbstractWrapper[WrapperState[InnerStateType, WrapperStateType], ActType, ObsType, MaskType]
):
    """A wrapper with state of its own, kept in `WrapperState.wrapper_state`.

    Subclasses implement the three hooks below, plus `observation_space`, `observation`,
    `reward`, `truncate` and `state_info` (forwarding to `env` where they change nothing).
    Actions, masks, termination and transition infos are forwarded here.
    """

    hooks_use_key: eqx.AbstractClassVar[bool]
    """Whether the three hooks draw randomness (or call `env` with their key). When they do
    not, the inner environment gets the wrapper's key unchanged: no PRNG work is spent on a
    key nobody uses."""

    def _split(self, key: Key) -> tuple[Key, Key]:
        if not self.hooks_use_key:
            return key, key
        hook_key, env_key = _derive_keys(key, 2)
        return hook_key, env_key

    @abc.abstractmethod
    def initial_wrapper_state(self, env_state: InnerStateType, *, key: Key) -> WrapperStateType:
        """The wrapper's own state at the very first episode, next to `env_state`."""

    @abc.abstractmethod
    def next_wrapper_state(
        self,
        state: WrapperState[InnerStateType, WrapperStateType],
        action: ActType,
        next_env_state: InnerStateType,
        *,
        key: Key,
    ) -> WrapperStateType:
        """The wrapper's own state after `env` went from `state.env_state` to `next_env_state`."""

    @abc.abstractmethod
    def reset_wrapper_state(
        self,
        state: WrapperState[InnerStateType, WrapperStateType],
        env_state: InnerStateType,
        *,
        key: Key,
    ) -> WrapperStateType:
        """The wrapper's own state when a new episode starts at `env_state` after `state`.

        Carry over what must survive episodes; restart what is per episode.
        """

    @property
    def action_space(self) -> AbstractSpace:
        return self.env.action_space

    def initial(self, *, key: Key) -> WrapperState[InnerStateType, WrapperStateType]:
        env_key, own_key = self._split(key)
        env_state = self.env.initial(key=env_key)
        return WrapperState(env_state, self.initial_wrapper_state(env_state, key=own_key))

    def transition(
        self, state: WrapperState[InnerStateType, WrapperStateType], action: ActType, *, key: Key
    ) -> WrapperState[InnerStateType, WrapperStateType]:
        env_key, own_key = self._split(key)
        next_env_state = self.env.transition(state.env_state, action, key=env_key)
        own = self.next_wrapper_state(state, action, next_env_state, key=own_key)
        return WrapperState(next_env_state, own)

    def reset_episode(
        self, state: WrapperState[InnerStateType, WrapperStateType], *, key: Key
    ) -> WrapperState[InnerStateType, WrapperStateType]:
        env_key, own_key = self._split(key)
        env_state = self.env.reset_episode(state.env_state, key=env_key)
        return WrapperState(env_state, self.reset_wrapper_state(state, env_state, key=own_key))

    def action_mask(
        self, state: WrapperState[InnerStateType, WrapperStateType], *, key: Key
    ) -> MaskType | None:
        return self.env.action_mask(state.env_state, key=key)

    def terminal(
        self, state: WrapperState[InnerStateType, WrapperStateType], *, key: Key
    ) -> Bool[Array, ""]:
        return self.env.terminal(state.env_state, key=key)

    def transition_info(
        self,
        state: WrapperState[InnerStateType, WrapperStateType],
        action: ActType,
        next_state: WrapperState[InnerStateType, WrapperStateType],
    ) -> dict[str, Any]:
        return self.env.transition_info(state.env_state, action, next_state.env_state)

    def render(self, state: WrapperState[InnerStateType, WrapperStateType], renderer: Any) -> None:
        self.env.render(state.env_state, renderer)
