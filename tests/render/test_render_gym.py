"""`LeraxToGymEnv` renders through the environment's `render`."""

import warnings

import numpy as np
import pytest

gymnasium = pytest.importorskip("gymnasium")
pytest.importorskip("pygame")

from gymnasium.utils.env_checker import check_env  # noqa: E402

from lerax.compatibility.gym import LeraxToGymEnv  # noqa: E402
from lerax.env import make  # noqa: E402
from lerax.env.classic_control import CartPole, MountainCar  # noqa: E402


def test_rgb_array_passes_gymnasiums_render_check():
    env = LeraxToGymEnv(make("CartPole-v1"), render_mode="rgb_array")
    assert env.metadata["render_fps"] == 50.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env)
    # Only Gymnasium's advice on the bounds of the spaces, and that it cannot try the other
    # render mode without a registered spec: nothing about the rgb_array frames it checked.
    messages = [str(w.message) for w in caught]
    assert all("space" in m or "not having a spec" in m for m in messages), messages
    env.close()


def test_rgb_array_frames_follow_the_episode_to_its_last_state():
    env = LeraxToGymEnv(CartPole(), render_mode="rgb_array")
    with pytest.raises(gymnasium.error.ResetNeeded):
        env.render()
    obs, _ = env.reset(seed=0)
    first = env.render()
    assert first is not None and first.shape == (400, 600, 3) and first.dtype == np.uint8
    terminated = False
    while not terminated:  # always push right: the pole falls left in a few dozen steps
        obs, _, terminated, truncated, _ = env.step(1)
    last = env.render()
    assert last is not None and not np.array_equal(first, last)
    # The frame shows the state the episode ended on, not the auto-reset one: the pole is
    # past 12 degrees (its top far from the axle's column).
    pole = np.nonzero(np.abs(last.astype(int) - (202, 152, 101)).max(-1) < 8)
    cart_column = 300 + 125 * obs[0]
    assert abs(pole[1][pole[0] == pole[0].min()].mean() - cart_column) > 20
    env.close()


def test_human_mode_shows_every_step(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    env = LeraxToGymEnv(MountainCar(), render_mode="human")
    env.reset(seed=0)
    for _ in range(3):
        env.step(2)
    assert env.render() is None
    env.close()
