"""The last few observations stacked together."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax.numpy as jnp
import numpy as np

from .._types import Array, Bool, Float, Key
from ..env.base import AbstractEnvLike
from ..space import Box
from ._box import require_box
from .base import AbstractStatefulWrapper, WrapperState


@final
class FrameStack(AbstractStatefulWrapper):
    """Observes the last `num_frames` observations, stacked on a new leading axis.

    The oldest frame comes first and the newest last. At the start of an episode the stack
    is filled with copies of the first observation. The observation space is the `Box` of
    shape `(num_frames, *shape)` with the inner bounds repeated.

    Args:
        env: The environment to wrap; its observation space must be a `Box`.
        num_frames: Number of frames to stack, at least 1.

    Raises:
        ValueError: If the observation space is not a `Box` or `num_frames < 1`.
        TypeError: If `num_frames` is not an `int`.
    """

    env: AbstractEnvLike
    hooks_use_key: ClassVar[bool] = True
    num_frames: int = eqx.field(static=True)
    observation_space: Box

    def __init__(self, env: AbstractEnvLike, num_frames: int):
        inner = require_box("FrameStack", "observation", env.observation_space)
        if isinstance(num_frames, bool) or not isinstance(num_frames, int):
            raise TypeError(f"FrameStack needs an int num_frames, got {num_frames!r}")
        if num_frames < 1:
            raise ValueError(f"FrameStack needs num_frames >= 1, got {num_frames!r}")
        shape = (num_frames, *inner.shape)
        self.env = env
        self.num_frames = num_frames
        self.observation_space = Box(
            np.broadcast_to(np.asarray(inner.low), shape),
            np.broadcast_to(np.asarray(inner.high), shape),
        )

    def _first_frames(self, env_state: Any, key: Key) -> Float[Array, " frames *shape"]:
        obs = jnp.asarray(self.env.observation(env_state, key=key), jnp.float32)
        return jnp.broadcast_to(obs, self.observation_space.shape)

    def initial_wrapper_state(self, env_state: Any, *, key: Key) -> Float[Array, " frames *shape"]:
        return self._first_frames(env_state, key)

    def next_wrapper_state(
        self, state: WrapperState, action: Any, next_env_state: Any, *, key: Key
    ) -> Float[Array, " frames *shape"]:
        obs = jnp.asarray(self.env.observation(next_env_state, key=key), jnp.float32)
        return jnp.concatenate([state.wrapper_state[1:], obs[None]], axis=0)

    def reset_wrapper_state(
        self, state: WrapperState, env_state: Any, *, key: Key
    ) -> Float[Array, " frames *shape"]:
        return self._first_frames(env_state, key)

    def observation(self, state: WrapperState, *, key: Key) -> Float[Array, " frames *shape"]:
        return state.wrapper_state

    def reward(
        self, state: WrapperState, action: Any, next_state: WrapperState, *, key: Key
    ) -> Float[Array, ""]:
        return self.env.reward(state.env_state, action, next_state.env_state, key=key)

    def truncate(self, state: WrapperState) -> Bool[Array, ""]:
        return self.env.truncate(state.env_state)

    def state_info(self, state: WrapperState) -> dict[str, Any]:
        return self.env.state_info(state.env_state)
