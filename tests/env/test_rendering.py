"""Every environment draws itself through `lerax.render`; wrappers forward the drawing."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _classic_control_cases import CASE_IDS, CASES

from lerax.env import make
from lerax.env.classic_control import CartPole
from lerax.render import HeadlessPygameRenderer, PygameRenderer

pytest.importorskip("pygame")

KEY = jax.random.key(0)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_default_renderer_is_an_unopened_window_of_gymnasiums_size(case):
    renderer = case.env.default_renderer()
    assert isinstance(renderer, PygameRenderer) and not renderer.is_open
    assert (renderer.width, renderer.height) in [(600, 400), (500, 500)]
    assert renderer.fps == case.env.render_fps
    assert isinstance(renderer.headless(), HeadlessPygameRenderer)


def test_wrappers_forward_rendering_to_the_environment():
    wrapped = make("Acrobot-v1")  # in a TimeLimit, a stateful wrapper
    state = wrapped.initial(key=KEY)
    ours = wrapped.default_renderer().headless()
    wrapped.render(state, ours)
    direct = wrapped.unwrapped.default_renderer().headless()
    wrapped.unwrapped.render(state.unwrapped, direct)
    np.testing.assert_array_equal(ours.as_array(), direct.as_array())


def test_render_stacked_needs_a_shared_leading_axis():
    env = CartPole()
    stacked = jax.vmap(lambda k: env.initial(key=k))(jax.random.split(KEY, 3))
    ragged = eqx.tree_at(lambda s: s.t, stacked, jnp.zeros((2,), jnp.int32))
    with pytest.raises(ValueError, match=r"CartPole-v1: render_stacked .*\(3, 4\), \(2,\)"):
        env.render_stacked(ragged)
    with pytest.raises(ValueError, match="leading axis"):
        env.render_stacked(env.initial(key=KEY))  # a single state
