"""Probe environments with known optimal Q-values (after Andy Jones' probe envs)."""

from __future__ import annotations

from typing import Any, ClassVar, final

import jax
import jax.numpy as jnp

from lerax.env import AbstractEnv, AbstractEnvState
from lerax.space import Box, Discrete


@final
class ProbeState(AbstractEnvState):
    y: jax.Array  # observation value
    t: jax.Array  # step in the episode
    last_action: jax.Array


class _Probe(AbstractEnv[ProbeState, Any, Any, None]):
    def render(self, state, renderer):  # pragma: no cover
        raise NotImplementedError

    def default_renderer(self):  # pragma: no cover
        raise NotImplementedError

    def observation(self, state: ProbeState, *, key) -> jax.Array:
        return jnp.reshape(state.y, (1,)).astype(jnp.float32)


@final
class ConstantReward(_Probe):
    """One action, one observation, reward 1, one step: Q = 1."""

    name: ClassVar[str] = "ConstantReward"
    action_space: Discrete = Discrete(1)
    observation_space: Box = Box(-1.0, 1.0, (1,))

    def initial(self, *, key):
        return ProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(state.y, state.t + 1, jnp.asarray(action, jnp.int32))

    def reward(self, state, action, next_state, *, key):
        return jnp.array(1.0)

    def terminal(self, state, *, key):
        return state.t >= 1


@final
class ObservedReward(_Probe):
    """Observation +-1 at random, reward = observation, one step: Q(obs) = obs."""

    name: ClassVar[str] = "ObservedReward"
    action_space: Discrete = Discrete(1)
    observation_space: Box = Box(-1.0, 1.0, (1,))

    def initial(self, *, key):
        y = jnp.where(jax.random.bernoulli(key), 1.0, -1.0)
        return ProbeState(y, jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(state.y, state.t + 1, jnp.asarray(action, jnp.int32))

    def reward(self, state, action, next_state, *, key):
        return state.y

    def terminal(self, state, *, key):
        return state.t >= 1


@final
class Discounting(_Probe):
    """Two steps (observation 0 then 1), reward 1 only at the end: Q(0) = gamma, Q(1) = 1."""

    name: ClassVar[str] = "Discounting"
    action_space: Discrete = Discrete(1)
    observation_space: Box = Box(0.0, 1.0, (1,))

    def initial(self, *, key):
        return ProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(jnp.ones(()), state.t + 1, jnp.asarray(action, jnp.int32))

    def reward(self, state, action, next_state, *, key):
        return jnp.where(next_state.t >= 2, 1.0, 0.0)

    def terminal(self, state, *, key):
        return state.t >= 2


@final
class BestAction(_Probe):
    """Two actions, observation +-1; reward 1 if the action matches the sign, else -1."""

    name: ClassVar[str] = "BestAction"
    action_space: Discrete = Discrete(2)
    observation_space: Box = Box(-1.0, 1.0, (1,))

    def initial(self, *, key):
        y = jnp.where(jax.random.bernoulli(key), 1.0, -1.0)
        return ProbeState(y, jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(state.y, state.t + 1, jnp.asarray(action, jnp.int32))

    def reward(self, state, action, next_state, *, key):
        wanted = jnp.where(state.y > 0, 1, 0)
        return jnp.where(action == wanted, 1.0, -1.0)

    def terminal(self, state, *, key):
        return state.t >= 1


@final
class MaskedBest(_Probe):
    """Three actions; action 2 pays 2 but is always masked out, action 1 pays 1, action 0 pays 0."""

    name: ClassVar[str] = "MaskedBest"
    action_space: Discrete = Discrete(3)
    observation_space: Box = Box(0.0, 1.0, (1,))

    def initial(self, *, key):
        return ProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(state.y, state.t + 1, jnp.asarray(action, jnp.int32))

    def action_mask(self, state, *, key):
        return jnp.array([True, True, False])

    def reward(self, state, action, next_state, *, key):
        return jnp.asarray(action, jnp.float32)

    def terminal(self, state, *, key):
        return state.t >= 1


@final
class Timeout(_Probe):
    """One action, reward 1 per step, never terminates: with a time limit Q = 1 / (1 - gamma).

    Only bootstrapping through truncation from the final observation gets this right.
    """

    name: ClassVar[str] = "Timeout"
    action_space: Discrete = Discrete(1)
    observation_space: Box = Box(0.0, 1.0, (1,))

    def initial(self, *, key):
        return ProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(state.y, state.t + 1, jnp.asarray(action, jnp.int32))

    def reward(self, state, action, next_state, *, key):
        return jnp.array(1.0)

    def terminal(self, state, *, key):
        return jnp.array(False)


@final
class ActionReward(_Probe):
    """Two actions, constant observation, one step; action 1 pays +1, action 0 pays -1."""

    name: ClassVar[str] = "ActionReward"
    action_space: Discrete = Discrete(2)
    observation_space: Box = Box(-1.0, 1.0, (1,))

    def initial(self, *, key):
        return ProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(state.y, state.t + 1, jnp.asarray(action, jnp.int32))

    def reward(self, state, action, next_state, *, key):
        return jnp.where(action == 1, 1.0, -1.0)

    def terminal(self, state, *, key):
        return state.t >= 1


@final
class Alternate(_Probe):
    """Two actions, constant observation, two steps; the right action is the step's parity.

    Reward 1 for action `t % 2` at step `t`, else 0: only a policy that counts its steps
    (a stateful policy) can earn 2 per episode.
    """

    name: ClassVar[str] = "Alternate"
    action_space: Discrete = Discrete(2)
    observation_space: Box = Box(-1.0, 1.0, (1,))

    def initial(self, *, key):
        return ProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(state.y, state.t + 1, jnp.asarray(action, jnp.int32))

    def reward(self, state, action, next_state, *, key):
        return jnp.where(action == state.t % 2, 1.0, 0.0)

    def terminal(self, state, *, key):
        return state.t >= 2


@final
class RandomMask(_Probe):
    """`n` actions; each state allows a random non-empty subset; reward 1 per step."""

    name: ClassVar[str] = "RandomMask"
    action_space: Discrete
    observation_space: Box = Box(0.0, 10.0, (1,))

    def __init__(self, n: int):
        self.action_space = Discrete(n)

    def initial(self, *, key):
        return ProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(state.y, state.t + 1, jnp.asarray(action, jnp.int32))

    def action_mask(self, state, *, key):
        n = self.action_space.n
        mask = jax.random.bernoulli(jax.random.fold_in(key, state.t), 0.4, (n,))
        always = jax.random.randint(jax.random.fold_in(key, 10_000), (), 0, n)
        return mask | (jnp.arange(n) == always)

    def reward(self, state, action, next_state, *, key):
        return jnp.array(1.0)

    def terminal(self, state, *, key):
        return state.t >= 7
