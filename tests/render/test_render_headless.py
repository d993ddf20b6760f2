"""Headless drawing needs no display, windows work on SDL's dummy driver, and a missing
optional dependency says how to install it."""

import os
import sys

import numpy as np
import pytest

from lerax.env.classic_control import CartPole, Pendulum
from lerax.render import HeadlessPygameRenderer, PygameRenderer, VideoRenderer

from ._frames import with_y

pytest.importorskip("pygame")


def test_headless_draws_without_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("SDL_VIDEODRIVER", "unset-by-the-test")
    monkeypatch.delenv("SDL_VIDEODRIVER")
    env = Pendulum()
    renderer = env.default_renderer().headless()
    assert os.environ["SDL_VIDEODRIVER"] == "dummy"  # chosen when the renderer was made
    env.render(with_y(env, [0.0, 0.0]), renderer)
    frame = renderer.as_array()
    assert frame.shape == (500, 500, 3) and (frame != 255).any()


def test_a_window_draws_the_same_frame_on_the_dummy_driver(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    env = CartPole()
    state = with_y(env, [0.5, 0.0, -0.1, 0.0])
    window = env.default_renderer()
    assert isinstance(window, PygameRenderer) and not window.is_open
    with window:
        env.render(state, window)
        assert window.is_open
        shown = window.as_array()
    assert not window.is_open
    offscreen = HeadlessPygameRenderer(600, 400, transform=env.render_transform())
    env.render(state, offscreen)
    np.testing.assert_array_equal(shown, offscreen.as_array())
    replay = PygameRenderer(600, 400, transform=env.render_transform(), fps=1000)
    env.render_states([state, state, state], replay)  # paced by fps, then left open
    assert replay.is_open
    replay.close()


def test_missing_pygame_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygame", None)
    env = CartPole()
    renderer = env.default_renderer().headless()  # creating one imports nothing
    with pytest.raises(ImportError, match=r'pip install "lerax\[render\]"'):
        env.render(env.initial(key=__import__("jax").random.key(0)), renderer)


def test_missing_imageio_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "imageio", None)
    monkeypatch.setitem(sys.modules, "imageio.v2", None)
    video = VideoRenderer(HeadlessPygameRenderer(8, 8), tmp_path / "a.mp4")
    video.clear()
    with pytest.raises(ImportError, match=r'imageio.*pip install "lerax\[render\]"'):
        video.draw()
