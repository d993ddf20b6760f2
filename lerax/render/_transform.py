"""The map from world coordinates to pixel coordinates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import final

import equinox as eqx
import numpy as np
from jaxtyping import ArrayLike, Float, Real

Point = Sequence[Real[ArrayLike, ""]] | Real[ArrayLike, " 2"]
"""A point `(x, y)`: a pair of numbers or a shape-`(2,)` array."""
Points = Sequence[Point] | Real[ArrayLike, "n 2"]
"""Several points: a sequence of pairs or a shape-`(n, 2)` array."""


@final
class Transform(eqx.Module):
    """Maps world coordinates `(x, y)` to pixel coordinates `(column, row)` of a canvas.

    `column = x * scale + offset[0]`; with `y_up=True` (the default) the y axis points up
    and `row = height - 1 - (y * scale + offset[1])` (so `offset[1]` is measured from the
    bottom row), otherwise `row = y * scale + offset[1]` (from the top row, as in image
    coordinates). Lengths (radii, widths) are multiplied by `scale`.

    Args:
        width: Canvas width in pixels, a positive int.
        height: Canvas height in pixels, a positive int.
        scale: Pixels per world unit, positive.
        offset: Pixel position `(column, row from the bottom)` of the world origin
            (`row from the top` when `y_up=False`).
        y_up: Whether the world's y axis points up.

    Raises:
        ValueError: If a size is not a positive int, `scale` is not positive and finite,
            or `offset` is not two finite numbers.

    Example:
        >>> t = Transform(600, 400, scale=125.0, offset=(300.0, 100.0))  # CartPole's
        >>> t.to_pixels((0.0, 0.0))
        (300.0, 299.0)
    """

    width: int
    height: int
    scale: float
    offset: tuple[float, float]
    y_up: bool

    def __init__(
        self,
        width: int,
        height: int,
        scale: float | int,
        offset: Point,
        y_up: bool = True,
    ):
        for name, value in (("width", width), ("height", height)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(f"Transform: {name} must be a positive int, got {value!r}")
        self.width, self.height = int(width), int(height)
        scale = float(scale)
        if not (math.isfinite(scale) and scale > 0):
            raise ValueError(f"Transform: scale must be a positive number, got {scale!r}")
        self.scale = scale
        pair = np.asarray(offset, np.float64)
        if pair.shape != (2,) or not np.isfinite(pair).all():
            raise ValueError(
                f"Transform: offset must be two finite numbers (column, row), got {offset!r}"
            )
        self.offset = (float(pair[0]), float(pair[1]))
        self.y_up = bool(y_up)

    @staticmethod
    def pixels(width: int, height: int) -> Transform:
        """The identity: world coordinates are pixel coordinates, origin at the top left."""
        return Transform(width, height, 1.0, (0.0, 0.0), y_up=False)

    def to_pixels(self, point: Point) -> tuple[float, float]:
        """The pixel coordinates `(column, row)` of the world point `point`."""
        column, row = self.to_pixel_array(np.reshape(np.asarray(point, np.float64), (1, 2)))[0]
        return (float(column), float(row))

    def to_pixel_array(self, points: Points) -> Float[np.ndarray, "n 2"]:
        """The pixel coordinates of the world points `points`, shape `(n, 2)`.

        Raises:
            ValueError: If `points` is not a list of pairs or an `(n, 2)` array.
        """
        array = np.asarray(points, np.float64)
        if array.ndim != 2 or array.shape[1] != 2:
            raise ValueError(f"Transform: points must have shape (n, 2), got shape {array.shape}")
        columns = array[:, 0] * self.scale + self.offset[0]
        rows = array[:, 1] * self.scale + self.offset[1]
        if self.y_up:
            rows = (self.height - 1) - rows
        return np.stack([columns, rows], axis=1)

    def length(self, length: Real[ArrayLike, ""]) -> float:
        """A world length in pixels."""
        return as_float(length) * self.scale


def as_float(value: Real[ArrayLike, ""]) -> float:
    """A real scalar (Python, NumPy or JAX) as a Python float."""
    return float(np.asarray(value, np.float64))
