"""The abstract environment interface.

An environment is a set of pure functions of an explicit state: `initial`, `transition`,
`observation`, `reward`, `terminal`, `truncate`. The conveniences `reset` and `step` are
implemented once, here, on top of them; `step` auto-resets.
"""

# No `from __future__ import annotations` here: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
import abc
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Bool, Float, Key
from ..render.base import AbstractRenderer
from ..space import AbstractSpace

StateType = TypeVar("StateType", bound="AbstractEnvLikeState")
ActType = TypeVar("ActType")
ObsType = TypeVar("ObsType")
MaskType = TypeVar("MaskType")


class AbstractEnvLikeState(eqx.Module):
    """Base of every environment and wrapper state."""

    @property
    @abc.abstractmethod
    def unwrapped(self) -> "AbstractEnvState":
        """The innermost (un-wrapped) environment state."""


class AbstractEnvState(AbstractEnvLikeState):
    """Base of the states of concrete (un-wrapped) environments."""

    @property
    def unwrapped(self) -> "AbstractEnvState":
        return self


class AbstractEnvLike(eqx.Module, Generic[StateType, ActType, ObsType, MaskType]):
    """Anything that behaves as an environment: an environment or a wrapper around one.

    Subclasses implement the functional pieces; `reset` and `step` are built on them.
    `step` auto-resets: after a terminal or truncated step it returns the state and
    observation of a fresh episode, and `info["final_observation"]` (and
    `info["final_action_mask"]`) hold the observation (and action mask) the
    finished episode ended on (for every step, so the structure is fixed under `jit`).
    """

    name: eqx.AbstractVar[str]
    action_space: eqx.AbstractVar[AbstractSpace]
    observation_space: eqx.AbstractVar[AbstractSpace]

    @abc.abstractmethod
    def initial(self, *, key: Key) -> StateType:
        """Sample an initial state."""

    @abc.abstractmethod
    def action_mask(self, state: StateType, *, key: Key) -> MaskType | None:
        """The mask of allowed actions in `state`, or `None` if every action is allowed."""

    @abc.abstractmethod
    def transition(self, state: StateType, action: ActType, *, key: Key) -> StateType:
        """Advance the state by one action."""

    @abc.abstractmethod
    def observation(self, state: StateType, *, key: Key) -> ObsType:
        """The observation of `state`."""

    @abc.abstractmethod
    def reward(
        self, state: StateType, action: ActType, next_state: StateType, *, key: Key
    ) -> Float[Array, ""]:
        """The reward for going from `state` to `next_state` with `action`."""

    @abc.abstractmethod
    def terminal(self, state: StateType, *, key: Key) -> Bool[Array, ""]:
        """Whether `state` ends the episode (a true terminal: no bootstrapping past it)."""

    @abc.abstractmethod
    def truncate(self, state: StateType) -> Bool[Array, ""]:
        """Whether the episode is cut off in `state` (time limits and the like)."""

    @abc.abstractmethod
    def state_info(self, state: StateType) -> dict[str, Any]:
        """Extra information about a state (fixed structure)."""

    @abc.abstractmethod
    def transition_info(
        self, state: StateType, action: ActType, next_state: StateType
    ) -> dict[str, Any]:
        """Extra information about a transition (fixed structure)."""

    def reset_episode(self, state: StateType, *, key: Key) -> StateType:
        """Start a new episode from the end of the previous one (used by auto-reset).

        By default a fresh `initial` state; wrappers forward to the environment they wrap,
        and those that keep statistics across episodes (running normalisers, episode
        counters) carry them over.
        """
        return self.initial(key=key)

    @abc.abstractmethod
    def render(self, state: StateType, renderer: AbstractRenderer) -> None:
        """Draw `state` as one frame of `renderer`: clear, draw the scene, `draw()`.

        Runs on the host, on concrete states (not inside `jax.jit`).
        """

    @abc.abstractmethod
    def default_renderer(self) -> AbstractRenderer:
        """A renderer suited to this environment (not opened yet)."""

    def render_states(
        self, states: Sequence[StateType], renderer: AbstractRenderer | None = None
    ) -> None:
        """Draw `states` one frame each, in order, e.g. to replay an episode.

        Args:
            states: The states to draw (concrete, not traced).
            renderer: The renderer to draw with; `None` for `default_renderer()` (a window
                for the classic-control environments), which is closed at the end.

        Example:
            >>> with VideoRenderer(env.default_renderer().headless(), "replay.mp4") as video:
            ...     env.render_states(states, video)
        """
        own = renderer is None
        canvas = self.default_renderer() if renderer is None else renderer
        try:
            for state in states:
                self.render(state, canvas)
        finally:
            if own:
                canvas.close()

    def render_stacked(self, states: StateType, renderer: AbstractRenderer | None = None) -> None:
        """Draw states stacked along a leading axis (as `jax.lax.scan` returns them).

        The same as `render_states` on the states ``states[0], states[1], ...``.

        Args:
            states: One state pytree whose array leaves share a leading (time) axis.
            renderer: The renderer to draw with; `None` for `default_renderer()`.

        Raises:
            ValueError: If the array leaves of `states` do not share a leading axis.
        """
        length = _check_stacked(self.name, states)
        host = jax.device_get(states)
        self.render_states(
            [jax.tree.map(lambda leaf, i=i: leaf[i], host) for i in range(length)], renderer
        )

    @property
    @abc.abstractmethod
    def unwrapped(self) -> "AbstractEnv":
        """The innermost environment."""

    def reset(self, *, key: Key) -> tuple[StateType, ObsType, dict[str, Any]]:
        """Start an episode.

        Args:
            key: PRNG key.

        Returns:
            `(state, observation, info)`.
        """
        init_key, obs_key, mask_key = _derive_keys(key, 3)
        state = self.initial(key=init_key)
        obs = self.observation(state, key=obs_key)
        t_info = self._zero_transition_info(state, obs_key)
        return state, obs, self._info(state, obs, t_info, key=mask_key)

    def step(
        self, state: StateType, action: ActType, *, key: Key
    ) -> tuple[
        StateType, ObsType, Float[Array, ""], Bool[Array, ""], Bool[Array, ""], dict[str, Any]
    ]:
        """Take one step, auto-resetting at the end of an episode.

        Args:
            state: Current state.
            action: Action to take.
            key: PRNG key.

        Returns:
            `(state, observation, reward, terminal, truncate, info)`. After a terminal or
            truncated step, `state` and `observation` belong to the next episode,
            `info["final_observation"]` is the last observation of the finished one and
            `info["final_action_mask"]` its action mask (`None` for unmasked environments).
        """
        k_trans, k_rew, k_term, k_obs, k_reset, k_reset_obs, k_mask = _derive_keys(key, 7)
        next_state = self.transition(state, action, key=k_trans)
        reward = jnp.asarray(self.reward(state, action, next_state, key=k_rew), jnp.float32)
        terminal = jnp.asarray(self.terminal(next_state, key=k_term), bool)
        truncate = jnp.asarray(self.truncate(next_state), bool) & ~terminal
        obs = self.observation(next_state, key=k_obs)
        t_info = self.transition_info(state, action, next_state)
        done = terminal | truncate
        reset_state = self.reset_episode(next_state, key=k_reset)
        reset_obs = self.observation(reset_state, key=k_reset_obs)
        out_state = _select(done, reset_state, next_state)
        out_obs = _select(done, reset_obs, obs)
        info = self._info(next_state, obs, t_info, key=k_mask)
        info["done"] = done
        return out_state, out_obs, reward, terminal, truncate, info

    def _zero_transition_info(self, state: StateType, key: Key) -> dict[str, Any]:
        action = self.action_space.canonical()
        shaped = jax.eval_shape(lambda s, a: self.transition_info(s, a, s), state, action)
        return jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), shaped)

    def _info(
        self, state: StateType, obs: ObsType, t_info: dict[str, Any], *, key: Key
    ) -> dict[str, Any]:
        info = dict(self.state_info(state))
        info.update(t_info)
        info["final_observation"] = obs
        info["final_action_mask"] = self.action_mask(state, key=key)
        info["done"] = jnp.array(False)
        return info


class AbstractEnv(AbstractEnvLike[StateType, ActType, ObsType, MaskType]):
    """A concrete environment (not a wrapper).

    Provides the defaults every plain environment shares: no action mask, no truncation
    (time limits come from `lerax.wrapper.TimeLimit`) and empty infos.
    """

    def action_mask(self, state: StateType, *, key: Key) -> MaskType | None:
        return None

    def truncate(self, state: StateType) -> Bool[Array, ""]:
        return jnp.array(False)

    def state_info(self, state: StateType) -> dict[str, Any]:
        return {}

    def transition_info(
        self, state: StateType, action: ActType, next_state: StateType
    ) -> dict[str, Any]:
        return {}

    @property
    def unwrapped(self) -> "AbstractEnv":
        return self


def rendering_unavailable(env_name: str, method: str) -> NotImplementedError:
    """The error of the rendering methods of environments that cannot draw themselves."""
    return NotImplementedError(
        f"{env_name}: {method} is not available: this environment cannot draw itself with "
        "lerax.render"
    )


def _check_stacked(env_name: str, states: Any) -> int:
    """The shared leading axis of the array leaves of `states`; raises if there is none."""
    leaves = [leaf for leaf in jax.tree.leaves(states) if eqx.is_array(leaf)]
    lengths = {leaf.shape[0] if leaf.ndim else None for leaf in leaves}
    if len(lengths) != 1 or None in lengths:
        shapes = ", ".join(str(tuple(leaf.shape)) for leaf in leaves)
        raise ValueError(
            f"{env_name}: render_stacked needs states stacked along a leading axis (every "
            f"array leaf with the same first dimension), got leaf shapes {shapes}; pass a "
            "list of single states to render_states instead"
        )
    (length,) = lengths
    assert length is not None
    return length


def _derive_keys(key: Key, num: int) -> tuple[Key, ...]:
    """`num` independent keys from `key`, one `fold_in` each.

    Unlike one `jax.random.split`, which hashes all `num` keys together, separate `fold_in`s
    let XLA drop the hashing of every key that the environment ignores: plain environments
    use one or two of the keys `step` hands out, and hashing dominates their step time.
    """
    return tuple(jax.random.fold_in(key, i) for i in range(num))


def _select(pred: Bool[Array, ""], on_true: Any, on_false: Any) -> Any:
    return jax.tree.map(lambda a, b: jnp.where(pred, a, b), on_true, on_false)
