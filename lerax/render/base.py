"""The renderer interfaces.

A renderer is a host-side canvas: environments draw a state on it between `clear()` and
`draw()`, and `as_array()` reads the last frame back. Renderers hold host resources (a
window, a surface, a video file), so unlike the rest of lerax they are ordinary mutable
Python objects, never passed into `jax.jit`.
"""

from __future__ import annotations

import abc
from types import TracebackType

import numpy as np
from jaxtyping import ArrayLike, Real, UInt8

from ._color import Color
from ._transform import Point, Points, Transform, as_float


class AbstractRenderer(abc.ABC):
    """A canvas that environments draw frames on.

    A frame is drawn as `clear()`, then the shapes, then `draw()`, which shows (or records)
    it. Renderers open themselves when first used, and are context managers that close on
    exit.
    """

    @property
    @abc.abstractmethod
    def width(self) -> int:
        """Frame width in pixels."""

    @property
    @abc.abstractmethod
    def height(self) -> int:
        """Frame height in pixels."""

    @abc.abstractmethod
    def open(self) -> None:
        """Acquire the canvas (a window, a surface); does nothing if already open."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the canvas (and finish any file); drawing again reopens it."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Start a frame: fill the canvas with the background colour."""

    @abc.abstractmethod
    def draw(self) -> None:
        """Finish a frame: show it (a window), or keep it (a video)."""

    @abc.abstractmethod
    def as_array(self) -> UInt8[np.ndarray, "height width 3"]:
        """The current canvas as an RGB image, `uint8[height, width, 3]`."""

    def __enter__(self) -> AbstractRenderer:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class Abstract2DRenderer(AbstractRenderer):
    """A renderer of flat shapes given in world coordinates.

    Positions and lengths (radii, sizes) are in world units, mapped to pixels by
    `transform`; stroke widths and text sizes are in pixels.
    """

    @property
    @abc.abstractmethod
    def transform(self) -> Transform:
        """The map from world to pixel coordinates."""

    @abc.abstractmethod
    def circle(self, center: Point, radius: Real[ArrayLike, ""], color: Color) -> None:
        """A filled disc of `radius` (world units) around `center`."""

    @abc.abstractmethod
    def line(self, start: Point, end: Point, color: Color, width: int = 1) -> None:
        """A straight segment `width` pixels wide (1: antialiased)."""

    @abc.abstractmethod
    def rectangle(
        self,
        center: Point,
        width: Real[ArrayLike, ""],
        height: Real[ArrayLike, ""],
        color: Color,
        angle: Real[ArrayLike, ""] = 0.0,
    ) -> None:
        """A filled `width` by `height` rectangle (world units) around `center`, turned by
        `angle` radians counter-clockwise (in a y-up world)."""

    @abc.abstractmethod
    def polygon(self, points: Points, color: Color) -> None:
        """A filled polygon with corners `points` (at least three)."""

    @abc.abstractmethod
    def polyline(self, points: Points, color: Color, width: int = 1) -> None:
        """An open path through `points` (at least two), `width` pixels wide."""

    @abc.abstractmethod
    def ellipse(
        self,
        center: Point,
        width: Real[ArrayLike, ""],
        height: Real[ArrayLike, ""],
        color: Color,
    ) -> None:
        """A filled axis-aligned ellipse of diameters `width` and `height` (world units)."""

    @abc.abstractmethod
    def text(self, position: Point, text: str, color: Color, size: int = 16) -> None:
        """`text` in the default font, `size` pixels high, its top-left corner at
        `position`."""


class Abstract3DRenderer(AbstractRenderer):
    """A renderer of three-dimensional scenes (such as MuJoCo's).

    It has no drawing primitives of its own: each kind of 3-D scene is drawn by its own
    renderer family. No concrete 3-D renderer ships yet.
    """


def check_points(where: str, points: Points, at_least: int) -> Real[np.ndarray, "n 2"]:
    """`points` as a float `(n, 2)` array with `n >= at_least`, else a `ValueError`."""
    array = np.asarray(points, np.float64)
    if array.ndim != 2 or array.shape[1] != 2 or array.shape[0] < at_least:
        raise ValueError(
            f"{where}: points must be at least {at_least} pairs (x, y), i.e. shape (n, 2) with "
            f"n >= {at_least}; got shape {array.shape}"
        )
    return array


def check_width(where: str, width: int) -> int:
    """`width` if it is a positive int (a stroke width in pixels), else a `ValueError`."""
    if isinstance(width, bool) or not isinstance(width, int | np.integer) or width < 1:
        raise ValueError(f"{where}: width must be a positive int (pixels), got {width!r}")
    return int(width)


def rotated(points: Points, angle: Real[ArrayLike, ""]) -> Real[np.ndarray, "n 2"]:
    """`points` turned by `angle` radians counter-clockwise about the origin."""
    array = np.asarray(points, np.float64)
    cos, sin = np.cos(as_float(angle)), np.sin(as_float(angle))
    return np.stack(
        [array[:, 0] * cos - array[:, 1] * sin, array[:, 0] * sin + array[:, 1] * cos], axis=1
    )
