"""A one-step environment whose reward is one of its parameters (for curriculum tests)."""

from __future__ import annotations

from typing import Any, ClassVar, final

import jax
import jax.numpy as jnp

from lerax.env import AbstractEnv, AbstractEnvState
from lerax.space import AbstractSpace, Box


@final
class BonusState(AbstractEnvState):
    y: jax.Array
    t: jax.Array


@final
class Bonus(AbstractEnv[BonusState, Any, Any, None]):
    """Every episode is one step and pays `bonus`, whatever the action."""

    name: ClassVar[str] = "Bonus"
    bonus: jax.Array
    action_space: AbstractSpace
    observation_space: Box

    def __init__(self, action_space: AbstractSpace, bonus: float = 0.0):
        self.bonus = jnp.asarray(bonus, jnp.float32)
        self.action_space = action_space
        self.observation_space = Box(-1.0, 1.0, (1,))

    def initial(self, *, key):
        return BonusState(jnp.zeros(()), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return BonusState(state.y, state.t + 1)

    def observation(self, state, *, key):
        return jnp.zeros((1,), jnp.float32)

    def reward(self, state, action, next_state, *, key):
        return self.bonus

    def terminal(self, state, *, key):
        return state.t >= 1

    def render(self, state, renderer):  # pragma: no cover
        raise NotImplementedError

    def default_renderer(self):  # pragma: no cover
        raise NotImplementedError
