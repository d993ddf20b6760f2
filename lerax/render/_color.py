"""Colours as RGB floats in `[0, 1]`."""

from __future__ import annotations

import math
from typing import final

import equinox as eqx


@final
class Color(eqx.Module):
    """An opaque RGB colour, each component a float in `[0, 1]`.

    Args:
        r: Red, in `[0, 1]`.
        g: Green, in `[0, 1]`.
        b: Blue, in `[0, 1]`.

    Raises:
        ValueError: If a component is outside `[0, 1]` (for 0-255 values use
            `Color.from_rgb255`).

    Example:
        >>> orange = Color(1.0, 0.5, 0.0)
        >>> orange.rgb255()
        (255, 128, 0)
        >>> Color.from_rgb255(202, 152, 101)  # CartPole's pole
    """

    r: float
    g: float
    b: float

    def __init__(self, r: float | int, g: float | int, b: float | int):
        self.r, self.g, self.b = float(r), float(g), float(b)

    def __check_init__(self) -> None:
        for name, value in (("r", self.r), ("g", self.g), ("b", self.b)):
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise ValueError(
                    f"Color: {name} must be a float in [0, 1], got {value!r}; for 0-255 "
                    "components write Color.from_rgb255(r, g, b)"
                )

    @staticmethod
    def from_rgb255(r: int, g: int, b: int) -> Color:
        """The colour of 8-bit components `r, g, b` in `0..255`.

        Raises:
            ValueError: If a component is outside `0..255`.
        """
        for name, value in (("r", r), ("g", g), ("b", b)):
            if not 0 <= value <= 255:
                raise ValueError(f"Color.from_rgb255: {name} must be in 0..255, got {value!r}")
        return Color(r / 255.0, g / 255.0, b / 255.0)

    def rgb255(self) -> tuple[int, int, int]:
        """The components as 8-bit integers in `0..255` (rounded)."""
        return (round(self.r * 255), round(self.g * 255), round(self.b * 255))


WHITE = Color(1.0, 1.0, 1.0)
BLACK = Color(0.0, 0.0, 0.0)
GRAY = Color(0.78, 0.78, 0.78)
RED = Color(0.86, 0.24, 0.24)
GREEN = Color(0.24, 0.71, 0.29)
BLUE = Color(0.26, 0.53, 0.96)
