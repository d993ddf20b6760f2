"""Colours, transforms and the 2-D primitives, checked on real pixels."""

import numpy as np
import pytest

from lerax.render import (
    BLACK,
    BLUE,
    GRAY,
    GREEN,
    RED,
    WHITE,
    Color,
    HeadlessPygameRenderer,
    Transform,
)

from ._frames import pixels_of

pytest.importorskip("pygame")


def test_colors_are_floats_in_unit_range():
    assert Color(1.0, 0.5, 0.0).rgb255() == (255, 128, 0)
    assert Color.from_rgb255(202, 152, 101).rgb255() == (202, 152, 101)
    assert WHITE.rgb255() == (255, 255, 255) and BLACK.rgb255() == (0, 0, 0)
    assert len({c.rgb255() for c in (GRAY, RED, GREEN, BLUE)}) == 4
    with pytest.raises(ValueError, match=r"r must be a float in \[0, 1\].*from_rgb255"):
        Color(202, 152, 101)
    with pytest.raises(ValueError, match="0..255"):
        Color.from_rgb255(0, 256, 0)


def test_transform_maps_world_to_pixels():
    t = Transform(600, 400, scale=125.0, offset=(300.0, 100.0))
    assert t.to_pixels((0.0, 0.0)) == (300.0, 299.0)  # 100 rows above the bottom row
    assert t.to_pixels((1.0, 1.0)) == (425.0, 174.0)  # y points up
    assert t.length(0.4) == pytest.approx(50.0)
    down = Transform(600, 400, scale=2.0, offset=(10.0, 20.0), y_up=False)
    np.testing.assert_allclose(down.to_pixel_array([(1.0, 1.0), (0.0, 5.0)]), [[12, 22], [10, 30]])
    assert Transform.pixels(8, 6).to_pixels((3, 4)) == (3.0, 4.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(width=0, height=400, scale=1.0, offset=(0, 0)), "width must be a positive int"),
        (dict(width=600, height=-3, scale=1.0, offset=(0, 0)), "height must be a positive int"),
        (dict(width=600, height=400, scale=0.0, offset=(0, 0)), "scale must be a positive"),
        (dict(width=600, height=400, scale=1.0, offset=(0, 0, 0)), "offset must be two"),
    ],
)
def test_bad_transforms_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Transform(**kwargs)


def test_renderer_sizes_are_checked():
    with pytest.raises(ValueError, match="width must be a positive int"):
        HeadlessPygameRenderer(-1, 10)
    with pytest.raises(ValueError, match="transform is for a 600x400 canvas but the renderer"):
        HeadlessPygameRenderer(500, 500, transform=Transform(600, 400, 1.0, (0, 0)))


def test_primitives_land_where_the_transform_puts_them():
    transform = Transform(200, 100, scale=10.0, offset=(100.0, 50.0))
    with HeadlessPygameRenderer(200, 100, background_color=GRAY, transform=transform) as r:
        r.clear()
        r.circle((-5.0, 0.0), 1.0, RED)  # centred at column 50, row 49, radius 10
        r.rectangle((5.0, 2.0), 2.0, 1.0, BLUE)  # columns 140..160, rows 24..34
        r.polygon([(0.0, -4.0), (2.0, -4.0), (0.0, -2.0)], GREEN)
        r.line((-10.0, -4.9), (10.0, -4.9), BLACK, width=3)
        r.polyline([(-9.0, 4.0), (-8.0, 4.5), (-7.0, 4.0)], BLACK)
        r.ellipse((8.0, -2.0), 2.0, 1.0, RED)
        r.text((-9.0, 4.9), "lerax", BLACK, size=12)
        r.draw()
        frame = r.as_array()
    assert frame.shape == (100, 200, 3) and frame.dtype == np.uint8
    assert tuple(frame[0, 199]) == GRAY.rgb255()
    rows, columns = pixels_of(frame, RED.rgb255())
    disc = columns < 100
    assert abs(columns[disc].mean() - 50) < 0.5 and abs(rows[disc].mean() - 49) < 0.5
    assert 290 < disc.sum() < 340  # about pi * 10 ** 2
    rows, columns = pixels_of(frame, BLUE.rgb255())
    assert (rows.min(), rows.max(), columns.min(), columns.max()) == (24, 34, 140, 160)
    rows, columns = pixels_of(frame, GREEN.rgb255())
    assert rows.max() - rows.min() == 20 and columns.min() == 100
    rows, _ = pixels_of(frame, BLACK.rgb255(), tolerance=60)
    assert (rows >= 96).sum() >= 3 * 190  # the wide line along the bottom
    assert (rows < 5).any()  # the text near the top


def test_bad_primitive_arguments_say_what_is_wrong():
    r = HeadlessPygameRenderer(20, 20)
    with pytest.raises(ValueError, match="polygon: points must be at least 3 pairs"):
        r.polygon([(0, 0), (1, 1)], RED)
    with pytest.raises(ValueError, match="width must be a positive int"):
        r.line((0, 0), (1, 1), RED, width=0)
    r.close()
    r.close()  # closing twice is fine
