"""Tiny deterministic environments and a jitted rollout helper for the wrapper tests."""

from __future__ import annotations

from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from lerax.env import AbstractEnv, AbstractEnvLike, AbstractEnvState
from lerax.space import Box, Discrete, Tuple


class CounterState(AbstractEnvState):
    x: jax.Array
    t: jax.Array


class CounterEnv(AbstractEnv):
    """1-D Box action in [-2, 3]; observation `[x, t]` where `x` sums the actions.

    Starts at `x = 0, t = 0`; the reward is the action applied; the episode terminates after
    `episode_length` steps. Observation bounds `[-4, 0]..[4, 10]` are deliberately smaller
    than what `x` can reach, so clipping shows.
    """

    episode_length: int = eqx.field(static=True, default=1000)
    name: str = eqx.field(static=True, default="Counter")
    action_space: Box = Box(-2.0, 3.0, (1,))
    observation_space: Box = Box(np.array([-4.0, 0.0]), np.array([4.0, 10.0]))

    def initial(self, *, key):
        return CounterState(jnp.array(0.0, jnp.float32), jnp.array(0, jnp.int32))

    def transition(self, state, action, *, key):
        return CounterState(state.x + action[0], state.t + 1)

    def observation(self, state, *, key):
        return jnp.stack([state.x, state.t.astype(jnp.float32)])

    def reward(self, state, action, next_state, *, key):
        return jnp.asarray(action[0], jnp.float32)

    def terminal(self, state, *, key):
        return state.t >= self.episode_length

    def render(self, state, renderer):
        renderer.append(("counter", state))

    def default_renderer(self):
        return "counter-renderer"


class ChoiceState(AbstractEnvState):
    last: jax.Array
    t: jax.Array


class ChoiceEnv(AbstractEnvLike):
    """Discrete(3) actions; observation `(last action, [t, 2t])`; reward = the action.

    Action 2 is masked out on odd steps. Never ends by itself.
    """

    name: str = eqx.field(static=True, default="Choice")
    action_space: Discrete = Discrete(3)
    observation_space: Tuple = Tuple((Discrete(3), Box(0.0, 100.0, (2,))))

    def initial(self, *, key):
        return ChoiceState(jnp.array(0, jnp.int32), jnp.array(0, jnp.int32))

    def action_mask(self, state, *, key):
        return jnp.array([True, True, state.t % 2 == 0])

    def transition(self, state, action, *, key):
        return ChoiceState(jnp.asarray(action, jnp.int32), state.t + 1)

    def observation(self, state, *, key):
        t = state.t.astype(jnp.float32)
        return (state.last, jnp.stack([t, 2.0 * t]))

    def reward(self, state, action, next_state, *, key):
        return jnp.asarray(action, jnp.float32)

    def terminal(self, state, *, key):
        return jnp.array(False)

    def truncate(self, state):
        return jnp.array(False)

    def state_info(self, state):
        return {"t": state.t}

    def transition_info(self, state, action, next_state):
        return {"action": jnp.asarray(action, jnp.int32)}

    def reset_episode(self, state, *, key):
        return self.initial(key=key)

    def render(self, state, renderer):
        renderer.append(("choice", state))

    def default_renderer(self):
        return "choice-renderer"

    @property
    def unwrapped(self):
        return self


class Rollout(eqx.Module):
    """What `rollout` returns; every field but `first_*` has a leading time axis."""

    first_state: Any
    first_obs: Any
    first_info: dict
    obs: Any
    reward: jax.Array
    terminal: jax.Array
    truncate: jax.Array
    info: dict
    state: Any
    masks: Any


@eqx.filter_jit
def rollout(env: AbstractEnvLike, actions: Any, key: jax.Array) -> Rollout:
    """`env.reset`, then `env.step` through `actions` (leading axis = time) with `lax.scan`."""
    reset_key, scan_key = jax.random.split(key)
    first_state, first_obs, first_info = env.reset(key=reset_key)
    num_steps = jax.tree.leaves(actions)[0].shape[0]

    def body(state, xs):
        action, k = xs
        mask_key, step_key = jax.random.split(k)
        mask = env.action_mask(state, key=mask_key)
        state, obs, reward, terminal, truncate, info = env.step(state, action, key=step_key)
        return state, (obs, reward, terminal, truncate, info, state, mask)

    keys = jax.random.split(scan_key, num_steps)
    _, (obs, reward, terminal, truncate, info, states, masks) = jax.lax.scan(
        body, first_state, (actions, keys)
    )
    return Rollout(
        first_state, first_obs, first_info, obs, reward, terminal, truncate, info, states, masks
    )


def counter_actions(*values: float) -> jax.Array:
    """A `(T, 1)` float32 action sequence for `CounterEnv`."""
    return jnp.asarray(values, jnp.float32)[:, None]
