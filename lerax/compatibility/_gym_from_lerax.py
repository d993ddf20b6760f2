"""A lerax environment as a Gymnasium environment."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import gymnasium
import jax
import numpy as np

from .._types import Key
from ..env.base import AbstractEnvLike, _derive_keys
from ..render import AbstractRenderer, PygameRenderer
from ..render.mujoco_renderer import AbstractMujocoRenderer
from ._gym_spaces import gym_value_to_lerax, lerax_to_gym_space, lerax_value_to_gym

_LERAX_INFO = ("final_observation", "final_action_mask", "done")
"""Keys of a lerax `info` that `LeraxToGymEnv` returns in another form (or not at all)."""


@final
class LeraxToGymEnv(gymnasium.Env[Any, Any]):
    """A lerax environment (or wrapped environment) used as a `gymnasium.Env`.

    `reset` and `step` run the lerax environment's `reset` and `step`, each compiled once
    (with `equinox.filter_jit`) and shared by every `LeraxToGymEnv` of the same kind of
    environment. They return NumPy values: observations as elements of
    `observation_space` (new arrays on every call), rewards as Python floats and
    `terminated`/`truncated` as Python bools. Episodes end as the lerax environment says;
    call `reset` to start the next one, as with any Gymnasium environment.

    - Spaces: the lerax spaces converted by `lerax_to_gym_space`.
    - Seeding: `reset(seed=s)` starts from the lerax key `jax.random.key(s)` (seeds of
      more than 32 bits fold their high bits in) and splits it in two: the first half
      resets the lerax environment, the second seeds the keys of the episode's steps. The
      same seed gives the same episode for the same actions. A reset without a seed draws
      `s` from `np_random`, so it too is reproducible after a seeded reset.
    - Info: the lerax environment's info without its auto-reset bookkeeping
      (`final_observation`, `done`), plus `action_mask` for masked environments.
    - Rendering (needs ``pip install "lerax[render]"``): with `render_mode="rgb_array"`,
      `render()` returns the current frame, `uint8[height, width, 3]`, drawn off-screen by
      the environment's `render` on its `default_renderer()` (made headless); with
      `"human"`, every `reset` and `step` shows the frame in a window at
      `metadata["render_fps"]` frames per second. After a step that ends an episode, the
      frame is the episode's last state, not the auto-reset one.

    Args:
        env: The lerax environment, e.g. `lerax.env.classic_control.CartPole()`.
        render_mode: `None`, `"rgb_array"` or `"human"`.

    Raises:
        TypeError: If `env` is not a lerax environment.
        ValueError: If `render_mode` is not one of these.

    Example:
        >>> env = LeraxToGymEnv(CartPole())
        >>> obs, info = env.reset(seed=0)
        >>> obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    """

    metadata: dict[str, Any] = {"render_modes": ["human", "rgb_array"]}

    def __init__(self, env: AbstractEnvLike, render_mode: str | None = None):
        if not isinstance(env, AbstractEnvLike):
            raise TypeError(
                "LeraxToGymEnv(env): env must be a lerax environment such as "
                f"lerax.env.classic_control.CartPole(), got {env!r}"
            )
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(
                f"LeraxToGymEnv({env.name}): render_mode must be None, 'rgb_array' or 'human', "
                f"got {render_mode!r}"
            )
        self.env = env
        self.render_mode = render_mode
        self._renderer: AbstractRenderer | None = None
        self._shown: Any = None  # the state the frame shows (the pre-reset one at an end)
        if render_mode is not None:
            default = env.default_renderer()
            # Both window renderers know their frame rate and have an off-screen twin.
            windowed = isinstance(default, (PygameRenderer, AbstractMujocoRenderer))
            fps = default.fps if windowed else None
            self.metadata = {**self.metadata, "render_fps": fps or 30}
            if render_mode == "rgb_array" and windowed:
                default = default.headless()
            self._renderer = default
        self.observation_space = lerax_to_gym_space(env.observation_space)
        self.action_space = lerax_to_gym_space(env.action_space)
        self._state: Any = None
        self._key: Key | None = None

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Any, dict[str, Any]]:
        """Start an episode.

        Args:
            seed: Seed of the episode (and of `np_random`); `None` draws one from
                `np_random`.
            options: Not supported by lerax environments: `None` or empty.

        Returns:
            `(observation, info)`.

        Raises:
            ValueError: If `options` is not empty.
        """
        if options:
            raise ValueError(
                f"LeraxToGymEnv({self.env.name}).reset: lerax environments take no reset "
                f"options, got {options!r}"
            )
        super().reset(seed=seed)
        if seed is None:
            seed = int(self.np_random.integers(2**32, dtype=np.uint64))
        state, observation, info, key = _reset(self.env, _seed_key(seed))
        self._state, self._key, self._shown = state, key, state
        if self.render_mode == "human":
            self.render()
        observation, info = jax.device_get((observation, info))
        return lerax_value_to_gym(self.observation_space, observation), _gym_info(info)

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        """Take one step.

        Args:
            action: An element of `action_space`.

        Returns:
            `(observation, reward, terminated, truncated, info)`.

        Raises:
            gymnasium.error.ResetNeeded: If `reset` was not called first.
        """
        if self._state is None or self._key is None:
            raise gymnasium.error.ResetNeeded(
                f"LeraxToGymEnv({self.env.name}): call reset() before step()"
            )
        lerax_action = gym_value_to_lerax(self.action_space, action)
        rendering = self.render_mode is not None
        state, outcome, key, shown = _step(
            self.env, self._state, lerax_action, self._key, rendering
        )
        self._state, self._key, self._shown = state, key, shown
        if self.render_mode == "human":
            self.render()
        observation, reward, terminal, truncate, info = jax.device_get(outcome)
        return (
            lerax_value_to_gym(self.observation_space, observation),
            float(reward),
            bool(terminal),
            bool(truncate),
            _gym_info(info),
        )

    def render(self) -> np.ndarray | None:
        """Draw the current state.

        Returns:
            With `render_mode="rgb_array"`, the frame, `uint8[height, width, 3]`; otherwise
            `None` (`"human"` shows it in the window; `None` draws nothing and warns).

        Raises:
            gymnasium.error.ResetNeeded: If `reset` was not called first.
        """
        if self._renderer is None:
            gymnasium.logger.warn(
                f"LeraxToGymEnv({self.env.name}).render: the render mode is None, so nothing "
                "is rendered; pass render_mode='rgb_array' or 'human'"
            )
            return None
        if self._shown is None:
            raise gymnasium.error.ResetNeeded(
                f"LeraxToGymEnv({self.env.name}): call reset() before render()"
            )
        self.env.render(self._shown, self._renderer)
        return self._renderer.as_array() if self.render_mode == "rgb_array" else None

    def close(self) -> None:
        """Forget the current episode (`reset` starts a new one) and close the renderer."""
        self._state = None
        self._key = None
        self._shown = None
        if self._renderer is not None:
            self._renderer.close()


@eqx.filter_jit
def _reset(env: AbstractEnvLike, key: Key) -> tuple[Any, Any, dict[str, Any], Key]:
    reset_key, next_key = jax.random.split(key)
    state, observation, info = env.reset(key=reset_key)
    return state, observation, info, next_key


@eqx.filter_jit
def _step(
    env: AbstractEnvLike, state: Any, action: Any, key: Key, rendering: bool
) -> tuple[Any, Any, Key, Any]:
    step_key, next_key = jax.random.split(key)
    next_state, _, reward, terminal, truncate, info = env.step(state, action, key=step_key)
    observation = info["final_observation"]  # the step's own, not the auto-reset's
    # `step` transitions with the first of its derived keys, so this is the state it reached
    # before any auto-reset: the frame to show at the end of an episode.
    shown = env.transition(state, action, key=_derive_keys(step_key, 7)[0]) if rendering else None
    return next_state, (observation, reward, terminal, truncate, info), next_key, shown


def _seed_key(seed: int) -> Key:
    """`jax.random.key(seed)`, with the bits of `seed` above 32 folded in one word at a time."""
    key = jax.random.key(seed & 0xFFFF_FFFF)
    seed >>= 32
    while seed:
        key = jax.random.fold_in(key, np.uint32(seed & 0xFFFF_FFFF))
        seed >>= 32
    return key


def _gym_info(info: dict[str, Any]) -> dict[str, Any]:
    """A lerax `info` (fetched to the host) as Gymnasium's: no auto-reset bookkeeping."""
    out = {k: v for k, v in info.items() if k not in _LERAX_INFO}
    if info["final_action_mask"] is not None:
        out["action_mask"] = info["final_action_mask"]
    return out
