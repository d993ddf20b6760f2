"""A gymnax environment as a lerax environment."""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
from gymnax.environments.environment import Environment

from .._types import Array, Bool, Float, Key, Observation, PyTree
from ..env.base import AbstractEnv, AbstractEnvState, rendering_unavailable
from ..space import AbstractSpace
from ._gymnax_spaces import as_lerax_value, as_types_of, gymnax_space_to_lerax_space


@final
class GymnaxEnvState(AbstractEnvState):
    """State of a `GymnaxToLeraxEnv`: the gymnax state and what its last step returned.

    Attributes:
        env_state: The gymnax environment's state (a `flax.struct` dataclass), every leaf
            an array with the dtype that gymnax's `step_env` gives it.
        observation: The observation of `env_state`, as an element of the lerax
            observation space.
        reward: `float32[]`: the reward of the step into `env_state` (0 after a reset).
        terminal: `bool[]`: the `terminated` of the step into `env_state` (`False` after a
            reset).
        transition_info: The `info` dict of the step into `env_state` (zeros after a
            reset), e.g. `{"discount": ...}`.
    """

    env_state: PyTree
    observation: Observation
    reward: Float[Array, ""]
    terminal: Bool[Array, ""]
    transition_info: dict[str, Any]


@final
class GymnaxToLeraxEnv(AbstractEnv[GymnaxEnvState, Any, Observation, None]):
    """A gymnax environment used as a lerax environment.

    A pure-JAX bridge: `initial` is gymnax's `reset_env(key, params)` and `transition` its
    `step_env(key, state, action, params)`, and lerax's `step` does the auto-reset. So it
    runs under `jax.jit` and `jax.vmap` (any number of environments) and inside lerax's
    compiled training loops, exactly like a lerax-native environment.

    - Observation and action spaces: gymnax's (for `params`), converted by
      `gymnax_space_to_lerax_space`. Observations are converted to elements of the lerax
      space (`float32` boxes, `int32` discrete values: MinAtar's boolean grids become
      `float32`); actions reach gymnax as `int32` (`Discrete`) or `float32` (`Box`).
    - Reward: `float32[]`, gymnax's reward.
    - Termination: the `terminated` flag of gymnax's `step_env`, the natural end of the
      episode (gymnax >= 1.0 keeps time limits out of it).
    - Truncation: gymnax's `is_truncated(state, params)`, the time limit, by default
      `state.time >= params.max_steps_in_episode`. A step that both terminates and hits
      the limit counts as terminal only (lerax's rule), so it is not bootstrapped.
    - Keys: `initial(key=k)` calls `reset_env(k, params)` and `transition(..., key=k)`
      calls `step_env(k, ...)` with the key unchanged.
    - Info: gymnax's `step_env` info (e.g. `discount`) in every step's `info`.

    `params` is a pytree field, not static: array-valued parameters are traced, so one
    compiled program can run many parameter values (e.g. ``jax.vmap`` over gravities with
    ``eqx.tree_at(lambda e: e.params.gravity, env, gravity)``), while Python numbers
    (gymnax's defaults) stay compile-time constants.

    Args:
        env: A gymnax environment, e.g. the first value of `gymnax.make("CartPole-v1")`.
            A gymnax wrapper (`GymnaxWrapper`) is not an environment: wrap the
            `GymnaxToLeraxEnv` in lerax wrappers instead.
        params: Its parameters, e.g. the second value of `gymnax.make(...)`; `None` for
            `env.default_params`.

    Raises:
        TypeError: If `env` is not a gymnax `Environment`, or its spaces have no lerax
            counterpart.

    Example:
        >>> env = GymnaxToLeraxEnv(*gymnax.make("Breakout-MinAtar"))
        >>> policy = MLPActorCriticPolicy(env, key=jax.random.key(0))
        >>> policy = PPO(num_envs=8).learn(env, policy, 2**16, key=jax.random.key(1))
    """

    env: Environment = eqx.field(static=True)
    params: PyTree
    name: str = eqx.field(static=True)
    observation_space: AbstractSpace
    action_space: AbstractSpace

    def __init__(self, env: Environment, params: PyTree = None):
        if not isinstance(env, Environment):
            raise TypeError(
                "GymnaxToLeraxEnv(env, params): env must be a gymnax Environment, e.g. "
                f"GymnaxToLeraxEnv(*gymnax.make('CartPole-v1')), got {env!r}; gymnax "
                "wrappers are not environments: wrap the GymnaxToLeraxEnv in lerax "
                "wrappers instead"
            )
        if params is None:
            params = env.default_params
        self.env = env
        self.params = params
        self.name = env.name
        self.observation_space = gymnax_space_to_lerax_space(env.observation_space(params))
        self.action_space = gymnax_space_to_lerax_space(env.action_space(params))

    def initial(self, *, key: Key) -> GymnaxEnvState:
        """gymnax's `reset_env(key, params)`."""
        observation, env_state = self.env.reset_env(key, self.params)
        state_types, info_types = self._step_types()
        return GymnaxEnvState(
            env_state=as_types_of(state_types, env_state),
            observation=as_lerax_value(self.observation_space, observation),
            reward=jnp.zeros((), jnp.float32),
            terminal=jnp.array(False),
            transition_info=jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), info_types),
        )

    def transition(self, state: GymnaxEnvState, action: Any, *, key: Key) -> GymnaxEnvState:
        """gymnax's `step_env(key, state, action, params)`, without its reset."""
        action = as_lerax_value(self.action_space, action)
        observation, env_state, reward, terminated, info = self.env.step_env(
            key, state.env_state, action, self.params
        )
        state_types, info_types = self._step_types()
        return GymnaxEnvState(
            env_state=as_types_of(state_types, env_state),
            observation=as_lerax_value(self.observation_space, observation),
            reward=jnp.asarray(reward, jnp.float32),
            terminal=jnp.asarray(terminated, bool),
            transition_info=as_types_of(info_types, dict(info)),
        )

    def observation(self, state: GymnaxEnvState, *, key: Key) -> Observation:
        return state.observation

    def reward(
        self, state: GymnaxEnvState, action: Any, next_state: GymnaxEnvState, *, key: Key
    ) -> Float[Array, ""]:
        return next_state.reward

    def terminal(self, state: GymnaxEnvState, *, key: Key) -> Bool[Array, ""]:
        return state.terminal

    def truncate(self, state: GymnaxEnvState) -> Bool[Array, ""]:
        """gymnax's `is_truncated(state, params)`: the time limit."""
        return jnp.asarray(self.env.is_truncated(state.env_state, self.params), bool)

    def transition_info(
        self, state: GymnaxEnvState, action: Any, next_state: GymnaxEnvState
    ) -> dict[str, Any]:
        return dict(next_state.transition_info)

    def render(self, state: GymnaxEnvState, renderer: Any) -> None:
        raise rendering_unavailable(self.name, "render")

    def default_renderer(self) -> Any:
        raise rendering_unavailable(self.name, "default_renderer")

    def _step_types(self) -> tuple[PyTree[jax.ShapeDtypeStruct], dict[str, Any]]:
        """The types of the state and info of gymnax's `step_env` (nothing is computed).

        gymnax's `reset_env` may leave Python numbers in its state where `step_env` puts
        arrays; both are cast to these types, so the state has one type throughout.
        """

        def first_step(key: Key) -> tuple[PyTree, dict[str, Any]]:
            _, env_state = self.env.reset_env(key, self.params)
            action = self.action_space.canonical()
            _, env_state, _, _, info = self.env.step_env(key, env_state, action, self.params)
            return env_state, dict(info)

        return jax.eval_shape(first_step, jax.random.key(0))
