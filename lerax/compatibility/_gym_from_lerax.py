"""A lerax environment as a Gymnasium environment."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import gymnasium
import jax
import numpy as np

from .._types import Key
from ..env.base import AbstractEnvLike
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
    - Rendering: not available yet (it arrives with `lerax.render`): the only render mode
      is `None`.

    Args:
        env: The lerax environment, e.g. `lerax.env.classic_control.CartPole()`.
        render_mode: `None`; any other mode raises until lerax environments can render.

    Raises:
        TypeError: If `env` is not a lerax environment.
        NotImplementedError: If `render_mode` is not `None`.

    Example:
        >>> env = LeraxToGymEnv(CartPole())
        >>> obs, info = env.reset(seed=0)
        >>> obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    """

    metadata: dict[str, Any] = {"render_modes": []}

    def __init__(self, env: AbstractEnvLike, render_mode: str | None = None):
        if not isinstance(env, AbstractEnvLike):
            raise TypeError(
                "LeraxToGymEnv(env): env must be a lerax environment such as "
                f"lerax.env.classic_control.CartPole(), got {env!r}"
            )
        if render_mode is not None:
            raise NotImplementedError(
                f"LeraxToGymEnv({env.name}): render_mode={render_mode!r} is not available: "
                "rendering is not available for this environment yet (it arrives with "
                "lerax.render); use render_mode=None"
            )
        self.env = env
        self.render_mode = render_mode
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
        self._state, self._key = state, key
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
        state, outcome, key = _step(self.env, self._state, lerax_action, self._key)
        self._state, self._key = state, key
        observation, reward, terminal, truncate, info = jax.device_get(outcome)
        return (
            lerax_value_to_gym(self.observation_space, observation),
            float(reward),
            bool(terminal),
            bool(truncate),
            _gym_info(info),
        )

    def render(self) -> None:
        """Nothing to draw: rendering is not available yet (the render mode is `None`)."""
        gymnasium.logger.warn(
            f"LeraxToGymEnv({self.env.name}).render: the render mode is None, so nothing is "
            "rendered (rendering arrives with lerax.render)"
        )

    def close(self) -> None:
        """Forget the current episode; `reset` starts a new one."""
        self._state = None
        self._key = None


@eqx.filter_jit
def _reset(env: AbstractEnvLike, key: Key) -> tuple[Any, Any, dict[str, Any], Key]:
    reset_key, next_key = jax.random.split(key)
    state, observation, info = env.reset(key=reset_key)
    return state, observation, info, next_key


@eqx.filter_jit
def _step(env: AbstractEnvLike, state: Any, action: Any, key: Key) -> tuple[Any, Any, Key]:
    step_key, next_key = jax.random.split(key)
    state, _, reward, terminal, truncate, info = env.step(state, action, key=step_key)
    observation = info["final_observation"]  # the step's own, not the auto-reset's
    return state, (observation, reward, terminal, truncate, info), next_key


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
