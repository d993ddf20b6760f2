"""Tiny deterministic environments and probe policies with known returns."""

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from lerax.env import AbstractEnv, AbstractEnvLike, AbstractEnvState
from lerax.policy import AbstractPolicy, AbstractPolicyState
from lerax.space import Box, Discrete

NEVER = 2**30


class CounterState(AbstractEnvState):
    t: Int[Array, ""]
    length: Int[Array, ""]


@final
class CounterEnv(
    AbstractEnvLike[CounterState, Int[Array, ""], Float[Array, " 1"], Bool[Array, " 3"]]
):
    """Observation `[t]`; reward `1 + action`; three actions.

    Terminates after `length` steps (never if `None`; uniformly 1..length if
    `random_length`), truncates after `truncate_after` steps. With `cyclic_mask` only
    action `t % 3` is allowed.
    """

    name: str = "Counter"
    action_space: Discrete = Discrete(3)
    observation_space: Box = Box(0.0, jnp.inf, shape=(1,))
    length: int | None = eqx.field(static=True, default=None)
    random_length: bool = eqx.field(static=True, default=False)
    truncate_after: int | None = eqx.field(static=True, default=None)
    cyclic_mask: bool = eqx.field(static=True, default=False)

    def initial(self, *, key: Any) -> CounterState:
        if self.length is None:
            length = jnp.array(NEVER, jnp.int32)
        elif self.random_length:
            # `bits` compiles much faster than `randint`; the slight modulo bias is irrelevant.
            length = (jax.random.bits(key, (), jnp.uint32) % self.length + 1).astype(jnp.int32)
        else:
            length = jnp.array(self.length, jnp.int32)
        return CounterState(jnp.array(0, jnp.int32), length)

    def action_mask(self, state: CounterState, *, key: Any) -> Bool[Array, " 3"] | None:
        if not self.cyclic_mask:
            return None
        return jnp.arange(3) == state.t % 3

    def transition(self, state: CounterState, action: Any, *, key: Any) -> CounterState:
        return CounterState(state.t + 1, state.length)

    def observation(self, state: CounterState, *, key: Any) -> Float[Array, " 1"]:
        return jnp.reshape(state.t.astype(jnp.float32), (1,))

    def reward(self, state: CounterState, action: Any, next_state: CounterState, *, key: Any):
        return 1.0 + jnp.asarray(action, jnp.float32)

    def terminal(self, state: CounterState, *, key: Any) -> Bool[Array, ""]:
        return state.t >= state.length

    def truncate(self, state: CounterState) -> Bool[Array, ""]:
        if self.truncate_after is None:
            return jnp.array(False)
        return state.t >= self.truncate_after

    def state_info(self, state: CounterState) -> dict:
        return {}

    def transition_info(self, state: CounterState, action: Any, next_state: CounterState) -> dict:
        return {}

    def reset_episode(self, state: CounterState, *, key: Any) -> CounterState:
        return self.initial(key=key)

    def render(self, state: CounterState, renderer: Any) -> None:
        pass

    def default_renderer(self) -> Any:
        return None

    @property
    def unwrapped(self) -> AbstractEnv:
        raise NotImplementedError


class _ProbePolicy(AbstractPolicy[Any, Int[Array, ""], Float[Array, " 1"], Bool[Array, " 3"]]):
    name: ClassVar[str] = "Probe"
    action_space: eqx.AbstractVar[Discrete]
    observation_space: eqx.AbstractVar[Box]


@final
class FixedPolicy(_ProbePolicy):
    """Always the same action, whatever the key or mask."""

    action: int = eqx.field(static=True, default=0)
    action_space: Discrete = Discrete(3)
    observation_space: Box = Box(0.0, jnp.inf, shape=(1,))

    def reset(self, *, key: Any) -> None:
        return None

    def __call__(self, state, observation, *, action_mask=None, key=None):
        return state, jnp.array(self.action, jnp.int32)


@final
class KeyCheckingPolicy(_ProbePolicy):
    """Action 0; fails at trace time unless `key` is None (`deterministic`) or given (not)."""

    deterministic: bool = eqx.field(static=True, default=True)
    action_space: Discrete = Discrete(3)
    observation_space: Box = Box(0.0, jnp.inf, shape=(1,))

    def reset(self, *, key: Any) -> None:
        return None

    def __call__(self, state, observation, *, action_mask=None, key=None):
        if self.deterministic and key is not None:
            raise AssertionError("deterministic rollout passed a key to the policy")
        if not self.deterministic and key is None:
            raise AssertionError("stochastic rollout passed key=None to the policy")
        return state, jnp.array(0, jnp.int32)


class StepCount(AbstractPolicyState):
    count: Int[Array, ""]


@final
class FirstStepPolicy(_ProbePolicy):
    """Stateful: action 2 on the first step after `reset`, action 0 afterwards."""

    action_space: Discrete = Discrete(3)
    observation_space: Box = Box(0.0, jnp.inf, shape=(1,))

    def reset(self, *, key: Any) -> StepCount:
        return StepCount(jnp.array(0, jnp.int32))

    def __call__(self, state, observation, *, action_mask=None, key=None):
        action = jnp.where(state.count == 0, 2, 0).astype(jnp.int32)
        return StepCount(state.count + 1), action
