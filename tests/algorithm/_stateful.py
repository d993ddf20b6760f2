"""Stateful (recurrent-style) policies for the algorithm tests: they count their steps."""

from __future__ import annotations

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, Int

from lerax.distribution import Categorical
from lerax.policy import (
    AbstractDistributionActorCriticPolicy,
    AbstractPolicyState,
    AbstractQPolicy,
)
from lerax.space import AbstractSpace, Discrete


class Steps(AbstractPolicyState):
    count: Int[Array, ""]


def _inputs(state: Steps, observation: Any) -> Float[Array, " 3"]:
    parity = jax.nn.one_hot(state.count % 2, 2)
    return jnp.concatenate([jnp.ravel(observation).astype(jnp.float32), parity])


@final
class CountingActorCritic(AbstractDistributionActorCriticPolicy[Steps, Any, Any, Any]):
    """Sees the observation and the parity of its own step count (kept in its state)."""

    name: ClassVar[str] = "CountingActorCritic"
    action_space: Discrete
    observation_space: AbstractSpace
    actor: eqx.nn.MLP
    critic: eqx.nn.MLP

    def __init__(self, env: Any, *, key: Any):
        self.action_space = env.action_space
        self.observation_space = env.observation_space
        k1, k2 = jax.random.split(key)
        size = env.observation_space.flat_size + 2
        self.actor = eqx.nn.MLP(size, env.action_space.n, 16, 1, key=k1)
        self.critic = eqx.nn.MLP(size, "scalar", 16, 1, key=k2)

    def reset(self, *, key: Any) -> Steps:
        return Steps(jnp.array(0, jnp.int32))

    def distribution_and_value(self, state: Steps, observation: Any):
        x = _inputs(state, observation)
        return Steps(state.count + 1), Categorical(logits=self.actor(x)), self.critic(x)

    def value(self, state: Steps, observation: Any):
        return Steps(state.count + 1), self.critic(_inputs(state, observation))


@final
class CountingQPolicy(AbstractQPolicy[Steps, Any]):
    """A Q network that sees the observation and the parity of its own step count."""

    name: ClassVar[str] = "CountingQPolicy"
    action_space: Discrete
    observation_space: AbstractSpace
    epsilon: Float[Array, ""]
    net: eqx.nn.MLP

    def __init__(self, env: Any, *, key: Any):
        self.action_space = env.action_space
        self.observation_space = env.observation_space
        self.epsilon = jnp.asarray(0.1, jnp.float32)
        size = env.observation_space.flat_size + 2
        self.net = eqx.nn.MLP(size, env.action_space.n, 16, 1, key=key)

    def reset(self, *, key: Any) -> Steps:
        return Steps(jnp.array(0, jnp.int32))

    def q_values(self, state: Steps, observation: Any):
        return Steps(state.count + 1), self.net(_inputs(state, observation))
