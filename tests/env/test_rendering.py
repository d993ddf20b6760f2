"""Every environment has the rendering methods; until `lerax.render` exists they say so."""

import equinox as eqx
import jax
import jax.numpy as jnp
import pytest
from _classic_control_cases import CASE_IDS, CASES

from lerax.env import make
from lerax.env.classic_control import CartPole

KEY = jax.random.key(0)
METHODS = ["render", "default_renderer", "render_states", "render_stacked"]


def _call(env, method):
    state = env.initial(key=KEY)
    stacked = jax.vmap(lambda k: env.initial(key=k))(jax.random.split(KEY, 3))
    calls = {
        "render": lambda: env.render(state, None),
        "default_renderer": lambda: env.default_renderer(),
        "render_states": lambda: env.render_states([state, state]),
        "render_stacked": lambda: env.render_stacked(stacked, renderer=None),
    }
    calls[method]()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_rendering_names_the_environment_and_lerax_render(case, method):
    with pytest.raises(NotImplementedError) as info:
        _call(case.env, method)
    message = str(info.value)
    assert case.env.name in message and method in message and "lerax.render" in message


@pytest.mark.parametrize("method", METHODS)
def test_wrappers_forward_rendering_to_the_environment(method):
    env = make("Acrobot-v1")  # wrapped in TimeLimit
    with pytest.raises(NotImplementedError, match=f"Acrobot-v1: {method} .*lerax.render"):
        _call(env, method)


def test_render_stacked_needs_a_shared_leading_axis():
    env = CartPole()
    stacked = jax.vmap(lambda k: env.initial(key=k))(jax.random.split(KEY, 3))
    ragged = eqx.tree_at(lambda s: s.t, stacked, jnp.zeros((2,), jnp.int32))
    with pytest.raises(ValueError, match=r"CartPole-v1: render_stacked .*\(3, 4\), \(2,\)"):
        env.render_stacked(ragged)
    with pytest.raises(ValueError, match="leading axis"):
        env.render_stacked(env.initial(key=KEY))  # a single state
