"""The classic-control environments draw themselves as Gymnasium does."""

import math

import gymnasium
import jax
import numpy as np
import pytest

from lerax.env.classic_control import (
    Acrobot,
    CartPole,
    ContinuousMountainCar,
    MountainCar,
    Pendulum,
)
from lerax.render import GRAY, HeadlessPygameRenderer

from ._frames import frame_of, pixels_of, with_y

pytest.importorskip("pygame")

POLE = (202, 152, 101)
ROD = (204, 77, 77)
CASES = [
    (CartPole(), "CartPole-v1", [0.8, 0.0, 0.15, 0.0], (400, 600)),
    (Pendulum(), "Pendulum-v1", [0.6, 0.0], (500, 500)),
    (Acrobot(), "Acrobot-v1", [0.5, 0.8, 0.0, 0.0], (500, 500)),
    (MountainCar(), "MountainCar-v0", [-0.5, 0.0], (400, 600)),
    (ContinuousMountainCar(), "MountainCarContinuous-v0", [0.2, 0.0], (400, 600)),
]


def _cart_columns(frame):
    """Columns with more than a track's worth of black pixels: the cart's."""
    black = (frame.max(axis=-1) < 40).sum(axis=0)
    columns = np.nonzero(black > 5)[0]
    return columns.min(), columns.max()


def test_cartpole_cart_follows_x_and_pole_follows_theta():
    env = CartPole()
    left = frame_of(env, with_y(env, [-1.0, 0.0, -0.2, 0.0]))
    right = frame_of(env, with_y(env, [1.2, 0.0, 0.2, 0.0]))
    # 125 pixels per metre around the centre column 300; the cart is 50 pixels wide.
    assert _cart_columns(left) == pytest.approx((150, 200), abs=1)
    assert _cart_columns(right) == pytest.approx((425, 475), abs=1)
    for frame, x, sign in [(left, -1.0, -1), (right, 1.2, 1)]:
        rows, columns = pixels_of(frame, POLE)
        top = rows < rows.min() + 10  # the far end of the pole
        lean = columns[top].mean() - (300 + 125 * x)
        # A 1 m pole (125 px) tilted by 0.2 rad: its end is ~ sin(0.2) * 120 px sideways,
        # clockwise (to the right) for positive theta.
        assert sign * lean == pytest.approx(math.sin(0.2) * 120, abs=6)
        assert rows.min() == pytest.approx(299 - 7.5 - math.cos(0.2) * 120, abs=4)


@pytest.mark.parametrize("theta", [0.0, 0.6, -1.2, 2.5, math.pi])
def test_pendulum_rod_direction_follows_theta(theta):
    env = Pendulum()
    frame = frame_of(env, with_y(env, [theta, 0.0]))
    rows, columns = pixels_of(frame, ROD)
    # The rod's centroid from the axle (column 250, row 249), in y-up coordinates.
    dx, dy = columns.mean() - 250, 249 - rows.mean()
    expected = theta + math.pi / 2  # upright at 0, counter-clockwise for positive theta
    assert math.cos(math.atan2(dy, dx) - expected) > math.cos(0.05)
    assert math.hypot(dx, dy) == pytest.approx(0.5 * 500 / 4.4, rel=0.1)


@pytest.mark.parametrize(("env", "gym_id", "y", "shape"), CASES, ids=[c[1] for c in CASES])
def test_frames_match_gymnasiums(env, gym_id, y, shape):
    ours = frame_of(env, with_y(env, y))
    assert ours.shape == (*shape, 3) and ours.dtype == np.uint8
    assert (ours != 255).any(axis=-1).mean() > 0.002  # not blank
    reference = gymnasium.make(gym_id, render_mode="rgb_array")
    reference.reset(seed=0)
    reference.unwrapped.state = np.asarray(y, np.float64)  # type: ignore[attr-defined]
    theirs = reference.render()
    reference.close()
    assert theirs is not None and theirs.shape == ours.shape
    differ = np.abs(ours.astype(int) - theirs.astype(int)).max(axis=-1) > 30
    assert differ.mean() < 0.01, f"{differ.mean():.4f} of the pixels differ from Gymnasium's"


def test_render_checks_its_arguments():
    env = CartPole()
    state = env.initial(key=jax.random.key(0))
    with pytest.raises(TypeError, match="cannot be called inside jax.jit"):
        jax.jit(lambda s: env.render(s, HeadlessPygameRenderer(600, 400)))(state)


def test_a_renderer_of_another_size_draws_the_same_world():
    env = CartPole()
    state = with_y(env, [0.0, 0.0, 0.0, 0.0])
    big = env.render_transform()
    small = HeadlessPygameRenderer(300, 200, background_color=GRAY)
    env.render(state, small)  # pixel coordinates: the scene is tiny, but drawn
    assert small.as_array().shape == (200, 300, 3)
    assert big.width == 600
