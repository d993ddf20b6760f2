"""A tiny probe environment (after tests/algorithm/_probes.py)."""

from __future__ import annotations

from typing import Any, ClassVar, final

import jax
import jax.numpy as jnp

from lerax.env import AbstractEnv, AbstractEnvState
from lerax.space import Box, Discrete


@final
class SignState(AbstractEnvState):
    y: jax.Array
    t: jax.Array


@final
class SignBandit(AbstractEnv[SignState, Any, Any, None]):
    """Observation +-1; reward 1 if the action matches the sign, else -1; one step."""

    name: ClassVar[str] = "SignBandit"
    action_space: Discrete = Discrete(2)
    observation_space: Box = Box(-1.0, 1.0, (1,))

    def initial(self, *, key):
        y = jnp.where(jax.random.bernoulli(key), 1.0, -1.0)
        return SignState(y, jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return SignState(state.y, state.t + 1)

    def observation(self, state, *, key):
        return jnp.reshape(state.y, (1,)).astype(jnp.float32)

    def reward(self, state, action, next_state, *, key):
        return jnp.where(action == jnp.where(state.y > 0, 1, 0), 1.0, -1.0)

    def terminal(self, state, *, key):
        return state.t >= 1

    def render(self, state, renderer):  # pragma: no cover
        raise NotImplementedError

    def default_renderer(self):  # pragma: no cover
        raise NotImplementedError
