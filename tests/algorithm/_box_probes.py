"""Probe environments with Box actions and known optimal Q-values."""

from __future__ import annotations

from typing import Any, ClassVar, final

import jax
import jax.numpy as jnp

from lerax.env import AbstractEnv, AbstractEnvState
from lerax.space import Box

ACTIONS = Box(-2.0, 2.0, (1,))
"""Wider than [-1, 1], so the critics' rescaling of actions is exercised."""


@final
class BoxProbeState(AbstractEnvState):
    y: jax.Array  # observation value
    t: jax.Array  # step in the episode


class _BoxProbe(AbstractEnv[BoxProbeState, Any, Any, None]):
    def render(self, state, renderer):  # pragma: no cover
        raise NotImplementedError

    def default_renderer(self):  # pragma: no cover
        raise NotImplementedError

    def observation(self, state: BoxProbeState, *, key) -> jax.Array:
        return jnp.reshape(state.y, (1,)).astype(jnp.float32)


@final
class BoxConstant(_BoxProbe):
    """Any action, one step, reward 1: Q = 1 everywhere."""

    name: ClassVar[str] = "BoxConstant"
    action_space: Box = ACTIONS
    observation_space: Box = Box(-1.0, 1.0, (1,))

    def initial(self, *, key):
        return BoxProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return BoxProbeState(state.y, state.t + 1)

    def reward(self, state, action, next_state, *, key):
        return jnp.array(1.0)

    def terminal(self, state, *, key):
        return state.t >= 1


@final
class BoxTarget(_BoxProbe):
    """Observation y = +-1 at random, one step, reward ``-(a - y)^2``: the best action is y,
    where Q = 0."""

    name: ClassVar[str] = "BoxTarget"
    action_space: Box = ACTIONS
    observation_space: Box = Box(-1.0, 1.0, (1,))

    def initial(self, *, key):
        y = jnp.where(jax.random.bernoulli(key), 1.0, -1.0)
        return BoxProbeState(y, jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return BoxProbeState(state.y, state.t + 1)

    def reward(self, state, action, next_state, *, key):
        return -jnp.sum((action - state.y) ** 2)

    def terminal(self, state, *, key):
        return state.t >= 1


@final
class BoxDiscounting(_BoxProbe):
    """Two steps (observation 0 then 1), reward 1 only at the end, whatever the actions:
    Q(0, .) = gamma, Q(1, .) = 1."""

    name: ClassVar[str] = "BoxDiscounting"
    action_space: Box = ACTIONS
    observation_space: Box = Box(0.0, 1.0, (1,))

    def initial(self, *, key):
        return BoxProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return BoxProbeState(jnp.ones(()), state.t + 1)

    def reward(self, state, action, next_state, *, key):
        return jnp.where(next_state.t >= 2, 1.0, 0.0)

    def terminal(self, state, *, key):
        return state.t >= 2


@final
class BoxTimeout(_BoxProbe):
    """Reward 1 per step, never terminates: under a time limit Q = 1 / (1 - gamma), which
    only bootstrapping through truncation from the final observation gets right."""

    name: ClassVar[str] = "BoxTimeout"
    action_space: Box = ACTIONS
    observation_space: Box = Box(0.0, 1.0, (1,))

    def initial(self, *, key):
        return BoxProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return BoxProbeState(state.y, state.t + 1)

    def reward(self, state, action, next_state, *, key):
        return jnp.array(1.0)

    def terminal(self, state, *, key):
        return jnp.array(False)
