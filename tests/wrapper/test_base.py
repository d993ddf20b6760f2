"""Forwarding done by every wrapper: name, unwrapped, rendering, spaces, states."""

from typing import Any

import jax
import numpy as np
import pytest

from lerax.env import AbstractEnvLike
from lerax.wrapper import (
    AbstractStatefulWrapper,
    AbstractWrapper,
    ClipAction,
    ClipReward,
    EpisodeStatistics,
    Identity,
    TimeLimit,
    WrapperState,
)

from ._envs import CounterEnv, CounterState, counter_actions, rollout


@pytest.fixture(scope="module")
def env():
    return CounterEnv(episode_length=3)


@pytest.fixture(scope="module")
def stack(env):
    return EpisodeStatistics(ClipReward(TimeLimit(ClipAction(env), 5)))


def test_name_unwrapped_and_renderer_are_forwarded(env, stack):
    assert isinstance(stack, AbstractEnvLike)
    assert stack.name == "Counter"
    assert stack.unwrapped is env
    assert stack.default_renderer() == "counter-renderer"


def test_render_receives_the_innermost_state(stack):
    state, _, _ = stack.reset(key=jax.random.key(0))
    drawn = []
    stack.render(state, drawn)
    assert len(drawn) == 1 and drawn[0][0] == "counter"
    assert isinstance(drawn[0][1], CounterState)
    assert drawn[0][1] is state.unwrapped


def test_states_nest_and_unwrap(stack):
    state, _, _ = stack.reset(key=jax.random.key(0))
    # EpisodeStatistics and TimeLimit keep their own state; ClipReward and ClipAction do not.
    assert isinstance(state, WrapperState)
    assert isinstance(state.env_state, WrapperState)
    assert isinstance(state.env_state.env_state, CounterState)
    assert state.unwrapped is state.env_state.env_state


def test_spaces_are_forwarded_unless_changed(env, stack):
    assert ClipReward(env).action_space == env.action_space
    assert ClipReward(env).observation_space == env.observation_space
    assert stack.observation_space == env.observation_space
    assert stack.action_space == ClipAction(env).action_space != env.action_space


def test_no_attribute_fallthrough(env):
    # Explicit forwarding only: the inner env's fields are not reachable on the wrapper.
    assert not hasattr(TimeLimit(env, 3), "episode_length")
    assert not hasattr(Identity(env), "episode_length")


def test_abstract_classes_cannot_be_instantiated(env):
    with pytest.raises(TypeError):
        AbstractWrapper()  # type: ignore[abstract]
    with pytest.raises(TypeError):
        AbstractStatefulWrapper()  # type: ignore[abstract]


def test_identity_reproduces_the_unwrapped_trajectory(env):
    actions = counter_actions(1.0, 2.0, -1.0, 0.5)
    key = jax.random.key(1)
    inner, wrapped = rollout(env, actions, key), rollout(Identity(env), actions, key)
    assert jax.tree.structure(inner) == jax.tree.structure(wrapped)
    for a, b in zip(jax.tree.leaves(inner), jax.tree.leaves(wrapped), strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_documented_style_wrapper_needs_no_reset_episode_or_render():
    """A direct AbstractWrapper subclass gets `reset_episode` and `render` from the base."""

    import equinox as eqx
    import jax
    import jax.numpy as jnp

    from lerax.env.classic_control import CartPole

    class Doubling(_SameSpaces):
        def initial(self, *, key):
            return self.env.initial(key=key)

        def action_mask(self, state, *, key):
            return self.env.action_mask(state, key=key)

        def transition(self, state, action, *, key):
            return self.env.transition(state, action, key=key)

        def observation(self, state, *, key):
            return 2.0 * self.env.observation(state, key=key)

        def reward(self, state, action, next_state, *, key):
            return self.env.reward(state, action, next_state, key=key)

        def terminal(self, state, *, key):
            return self.env.terminal(state, key=key)

        def truncate(self, state):
            return self.env.truncate(state)

        def state_info(self, state):
            return {}

        def transition_info(self, state, action, next_state):
            return {}

    env = Doubling(CartPole())
    state, obs, _ = env.reset(key=jax.random.key(0))
    inner = env.env.observation(state, key=jax.random.key(0))
    assert jnp.allclose(obs, 2.0 * inner)
    fresh = env.reset_episode(state, key=jax.random.key(1))
    assert eqx.tree_equal(fresh, CartPole().initial(key=jax.random.key(1)))
    # Drawing through a wrapper is checked in tests/env/test_rendering.py.


def test_documented_style_stateful_wrapper_resets_with_its_own_state():
    """A direct AbstractWrapper subclass with a state of its own crosses an episode end:
    the default reset_episode starts from `initial`, keeping the state's structure."""
    from typing import Any

    import equinox as eqx
    import jax
    import jax.numpy as jnp

    from lerax.env.classic_control import CartPole
    from lerax.wrapper import AbstractWrapperState

    class CountingState(AbstractWrapperState):
        env_state: Any
        count: jax.Array

    class Counting(_SameSpaces):
        def initial(self, *, key):
            return CountingState(self.env.initial(key=key), jnp.array(0))

        def action_mask(self, state, *, key):
            return None

        def transition(self, state, action, *, key):
            inner = self.env.transition(state.env_state, action, key=key)
            return CountingState(inner, state.count + 1)

        def observation(self, state, *, key):
            return self.env.observation(state.env_state, key=key)

        def reward(self, state, action, next_state, *, key):
            return self.env.reward(state.env_state, action, next_state.env_state, key=key)

        def terminal(self, state, *, key):
            return state.count >= 3  # a three-step episode

        def truncate(self, state):
            return jnp.array(False)

        def state_info(self, state):
            return {}

        def transition_info(self, state, action, next_state):
            return {}

    env = Counting(CartPole())
    state, _, _ = env.reset(key=jax.random.key(0))
    counts = []
    for i in range(4):
        state, _, _, terminal, _, _ = env.step(state, 1, key=jax.random.key(i))
        counts.append((int(state.count), bool(terminal)))
    assert counts == [(1, False), (2, False), (0, True), (1, False)]
    assert isinstance(state, CountingState) and eqx.is_array(state.count)


class _SameSpaces(AbstractWrapper):
    """A documented-style wrapper base of these tests: the inner environment's spaces."""

    env: Any

    @property
    def action_space(self):
        return self.env.action_space

    @property
    def observation_space(self):
        return self.env.observation_space
