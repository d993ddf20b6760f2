"""A Gymnasium environment as a lerax environment, stepped on the host."""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
from collections.abc import Callable
from functools import partial
from typing import Any, final

import equinox as eqx
import gymnasium
import jax
import jax.numpy as jnp
import numpy as np
from jax.experimental import io_callback

from .._types import Array, ArrayLike, Bool, Float, Key, Observation, PyTree
from ..env.base import AbstractEnv, AbstractEnvState, rendering_unavailable
from ..space import AbstractSpace
from ._gym_spaces import (
    gym_space_to_lerax_space,
    gym_value_shapes,
    gym_value_to_lerax,
    lerax_value_to_gym,
)


@final
class GymEnvState(AbstractEnvState):
    """State of a `GymToLeraxEnv`: what the Gymnasium environment last returned.

    The Gymnasium environment itself lives on the host; this state only records the
    outcome of its last `reset` or `step`.

    Attributes:
        observation: The last observation, as an element of the lerax observation space.
        reward: `float32[]`: the last reward (0 after a reset).
        terminal: `bool[]`: Gymnasium's `terminated` of the last step.
        truncated: `bool[]`: Gymnasium's `truncated` of the last step.
    """

    observation: Observation
    reward: Float[Array, ""]
    terminal: Bool[Array, ""]
    truncated: Bool[Array, ""]


@final
class GymToLeraxEnv(AbstractEnv[GymEnvState, Any, Observation, None]):
    """A Gymnasium environment used as a lerax environment.

    `initial`, `transition` and the auto-reset of `step` call the Gymnasium environment's
    `reset` and `step` on the host through `jax.experimental.io_callback(..., ordered=True)`,
    so the environment runs inside `jax.jit`, `lax.scan` and lerax's compiled training
    loops, one step at a time and in program order.

    - Observation and action spaces: Gymnasium's, converted by `gym_space_to_lerax_space`;
      observations arrive as elements of the lerax space (`float32` boxes, `int32`
      discrete values).
    - Reward: `float32[]`, Gymnasium's reward.
    - Termination: Gymnasium's `terminated`; truncation: Gymnasium's `truncated` (for
      example the `TimeLimit` that `gymnasium.make` adds).
    - Seeding: each reset calls Gymnasium's `reset(seed=...)` with a seed drawn from the
      lerax key, so a run is reproducible from its key. The `key` of `transition` is not
      used: Gymnasium's randomness comes from the seeded reset.

    There is one Gymnasium environment, so `GymToLeraxEnv` cannot be vmapped: `jax.vmap`
    (and algorithms with `num_envs > 1`, or `learn_many`) raise a `ValueError` saying so. A
    vmap over a single environment (`num_envs=1`) is allowed. Gymnasium's `info` dicts are
    not passed on (lerax infos have a fixed structure).

    Args:
        env: A Gymnasium environment, e.g. `gymnasium.make("CartPole-v1")`.

    Example:
        >>> env = GymToLeraxEnv(gymnasium.make("CartPole-v1"))
        >>> policy = MLPActorCriticPolicy(env, key=jax.random.key(0))
        >>> policy = PPO(num_envs=1).learn(env, policy, 2**14, key=jax.random.key(1))
    """

    env: gymnasium.Env = eqx.field(static=True)
    name: str = eqx.field(static=True)
    observation_space: AbstractSpace
    action_space: AbstractSpace

    def __init__(self, env: gymnasium.Env):
        if not isinstance(env, gymnasium.Env):
            raise TypeError(
                "GymToLeraxEnv(env): env must be a gymnasium.Env, for example "
                f"gymnasium.make('CartPole-v1') (not a vector environment), got {env!r}"
            )
        self.env = env
        self.name = env.spec.id if env.spec is not None else type(env.unwrapped).__name__
        self.observation_space = gym_space_to_lerax_space(env.observation_space)
        self.action_space = gym_space_to_lerax_space(env.action_space)

    def initial(self, *, key: Key) -> GymEnvState:
        """Reset the Gymnasium environment with a seed drawn from `key`."""
        observation = self._host(
            partial(_host_reset, self.env), self._observation_shape(), _seed(key)
        )
        return _fresh(observation)

    def transition(self, state: GymEnvState, action: Any, *, key: Key) -> GymEnvState:
        """Step the Gymnasium environment with `action` (`key` is not used).

        Raises:
            EquinoxRuntimeError: When `state` ended its episode (see `reset_episode`).
        """
        action = jax.tree.map(jnp.asarray, action)
        ended = state.terminal | state.truncated
        action = eqx.error_if(
            action,
            ended,
            f"GymToLeraxEnv({self.name}): cannot step a state whose episode has ended; the "
            "Gymnasium environment must be reset first. Start a new episode with `reset` or "
            "`initial` (`step` does so by itself). If a lerax wrapper such as TimeLimit ends "
            "the episodes, limit them on the Gymnasium side instead, e.g. "
            "gymnasium.make(id, max_episode_steps=N): a lerax wrapper cannot restart the "
            "host environment.",
        )
        shapes = (
            self._observation_shape(),
            jax.ShapeDtypeStruct((), jnp.float32),
            jax.ShapeDtypeStruct((), jnp.bool_),
            jax.ShapeDtypeStruct((), jnp.bool_),
        )
        # `ended` and the key are not used on the host; they make the call depend on the state
        # and the key, so that a vmap over either is detected (and refused).
        observation, reward, terminal, truncated = self._host(
            partial(_host_step, self.env), shapes, action, ended, jax.random.key_data(key)
        )
        return GymEnvState(observation, reward, terminal, truncated)

    def reset_episode(self, state: GymEnvState, *, key: Key) -> GymEnvState:
        """Reset the Gymnasium environment if `state` ended an episode, with a seed from `key`.

        `step` computes this after every step and keeps it only at the end of an episode, so
        the host environment is reset only when `state` is terminal or truncated. For any
        other `state` (as when a lerax wrapper such as `TimeLimit` ends the episode) the host
        environment cannot be restarted without losing the episode it is playing: `state`
        comes back marked truncated, and `transition` refuses to step it.
        """
        done = state.terminal | state.truncated
        shapes = self._observation_shape()
        observation = self._host(
            partial(_host_maybe_reset, self.env, shapes), shapes, done, _seed(key)
        )
        unchanged = eqx.tree_at(lambda s: s.truncated, state, jnp.array(True))
        return jax.tree.map(lambda a, b: jnp.where(done, a, b), _fresh(observation), unchanged)

    def observation(self, state: GymEnvState, *, key: Key) -> Observation:
        return state.observation

    def reward(
        self, state: GymEnvState, action: Any, next_state: GymEnvState, *, key: Key
    ) -> Float[Array, ""]:
        return next_state.reward

    def terminal(self, state: GymEnvState, *, key: Key) -> Bool[Array, ""]:
        return state.terminal

    def truncate(self, state: GymEnvState) -> Bool[Array, ""]:
        return state.truncated

    def render(self, state: GymEnvState, renderer: Any) -> None:
        """Not available: see `default_renderer`."""
        raise _no_lerax_rendering(self.name, "render")

    def default_renderer(self) -> Any:
        """Not available: a `GymEnvState` records only what Gymnasium returned, so a past
        state cannot be drawn. Draw with Gymnasium itself instead: make the environment with
        `render_mode="rgb_array"` (or `"human"`) and call `env.env.render()` on the host,
        which draws the Gymnasium environment's current state."""
        raise _no_lerax_rendering(self.name, "default_renderer")

    def _observation_shape(self) -> PyTree[jax.ShapeDtypeStruct]:
        return gym_value_shapes(self.env.observation_space)

    def _host(self, fn: Callable[..., Any], shapes: Any, *args: Any) -> Any:
        """`fn(*args)` on the host, in program order, returning arrays shaped as `shapes`.

        A `jax.vmap` over one environment calls `fn` once on the unbatched arguments; a
        vmap over more raises, as a single host environment cannot step several states.
        """
        name = self.name

        @jax.custom_batching.custom_vmap
        def call(*args):
            return io_callback(fn, shapes, *args, ordered=True)

        @call.def_vmap
        def _one_at_a_time(axis_size, in_batched, *args):
            if axis_size != 1:
                raise ValueError(
                    f"GymToLeraxEnv({name}) cannot be vmapped over {axis_size} environments: "
                    "it wraps a single Gymnasium environment, stepped on the host one call "
                    "at a time. Use num_envs=1 (and one seed at a time: no learn_many or "
                    "vmap over keys), or a lerax-native environment such as "
                    "lerax.env.make(...) to run environments in parallel."
                )
            unbatched = [
                jax.tree.map(lambda x, b: x[0] if b else x, arg, batched)
                for arg, batched in zip(args, in_batched)
            ]
            out = call(*unbatched)
            return jax.tree.map(lambda x: x[None], out), jax.tree.map(lambda _: True, out)

        return call(*args)


def _host_reset(env: gymnasium.Env, seed: ArrayLike) -> Any:
    observation, _ = env.reset(seed=int(np.asarray(seed)))
    return gym_value_to_lerax(env.observation_space, observation)


def _host_step(
    env: gymnasium.Env, action: Any, ended: ArrayLike, key_data: ArrayLike
) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    gym_action = lerax_value_to_gym(env.action_space, action)
    observation, reward, terminated, truncated, _ = env.step(gym_action)
    return (
        gym_value_to_lerax(env.observation_space, observation),
        np.asarray(reward, np.float32),
        np.asarray(terminated, np.bool_),
        np.asarray(truncated, np.bool_),
    )


def _host_maybe_reset(env: gymnasium.Env, shapes: Any, done: ArrayLike, seed: ArrayLike) -> Any:
    if bool(done):
        return _host_reset(env, seed)
    return jax.tree.map(lambda s: np.zeros(s.shape, s.dtype), shapes)


def _no_lerax_rendering(name: str, method: str) -> NotImplementedError:
    """The error of `GymToLeraxEnv`'s rendering methods, saying what to use instead."""
    error = rendering_unavailable(f"GymToLeraxEnv({name})", method)
    return NotImplementedError(
        f"{error}. The Gymnasium environment holds the scene on the host and a GymEnvState "
        "records only what it returned, so a state cannot be drawn afterwards. Render with "
        f"Gymnasium instead: gymnasium.make({name!r}, render_mode='rgb_array') and call "
        "env.env.render() (or render_mode='human' to watch)."
    )


def _seed(key: Key) -> Array:
    """A Gymnasium reset seed (`uint32[]`) drawn from `key`."""
    return jax.random.bits(key, (), jnp.uint32)


def _fresh(observation: Observation) -> GymEnvState:
    """The state right after a reset that returned `observation`."""
    return GymEnvState(observation, jnp.zeros((), jnp.float32), jnp.array(False), jnp.array(False))
