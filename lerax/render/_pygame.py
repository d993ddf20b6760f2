"""Renderers that draw with pygame: in a window, or on an off-screen surface."""

from __future__ import annotations

import abc
import math
from typing import Any, final

import numpy as np
from jaxtyping import ArrayLike, Real, UInt8

from ._color import WHITE, Color
from ._deps import import_pygame, use_dummy_video_driver
from ._transform import Point, Points, Transform, as_float
from .base import Abstract2DRenderer, check_points, check_width, rotated


class AbstractPygameRenderer(Abstract2DRenderer):
    """The drawing every pygame renderer shares, on the surface that `surface()` gives.

    Concrete renderers say where the surface lives (`acquire`, `release`) and what
    `draw()` does with a finished frame (`present`).
    """

    _width: int
    _height: int
    _transform: Transform
    background_color: Color
    _surface: Any
    _fonts: dict[int, Any]

    @abc.abstractmethod
    def acquire(self) -> Any:
        """Create the pygame surface to draw on."""

    @abc.abstractmethod
    def release(self) -> None:
        """Free what `acquire` created."""

    @abc.abstractmethod
    def present(self) -> None:
        """Show the finished frame (or nothing)."""

    @property
    def width(self) -> int:
        return self._width

    @property
    def height(self) -> int:
        return self._height

    @property
    def transform(self) -> Transform:
        return self._transform

    @property
    def is_open(self) -> bool:
        """Whether the canvas exists (it is created on first use)."""
        return self._surface is not None

    def surface(self) -> Any:
        """The pygame surface drawn on, opened on first use."""
        self.open()
        return self._surface

    def open(self) -> None:
        if self._surface is None:
            self._surface = self.acquire()
            self._surface.fill(self.background_color.rgb255())

    def close(self) -> None:
        if self._surface is not None:
            self._surface = None
            self._fonts.clear()
            self.release()

    def clear(self) -> None:
        self.surface().fill(self.background_color.rgb255())

    def draw(self) -> None:
        self.surface()
        self.present()

    def as_array(self) -> UInt8[np.ndarray, "height width 3"]:
        pygame = import_pygame()
        columns_first = pygame.surfarray.array3d(self.surface())
        return np.ascontiguousarray(np.transpose(columns_first, (1, 0, 2)), np.uint8)

    def circle(self, center: Point, radius: Real[ArrayLike, ""], color: Color) -> None:
        gfxdraw = _gfxdraw()
        x, y = _rounded(self.transform.to_pixels(center))
        r = round(self.transform.length(radius))
        if r < 0:
            raise ValueError(f"{type(self).__name__}.circle: radius must be >= 0, got {radius!r}")
        rgb = color.rgb255()
        surface = self.surface()
        gfxdraw.aacircle(surface, x, y, r, rgb)
        gfxdraw.filled_circle(surface, x, y, r, rgb)

    def line(self, start: Point, end: Point, color: Color, width: int = 1) -> None:
        self.polyline([start, end], color, width)

    def rectangle(
        self,
        center: Point,
        width: Real[ArrayLike, ""],
        height: Real[ArrayLike, ""],
        color: Color,
        angle: Real[ArrayLike, ""] = 0.0,
    ) -> None:
        half_w, half_h = as_float(width) / 2, as_float(height) / 2
        corners = [(-half_w, -half_h), (-half_w, half_h), (half_w, half_h), (half_w, -half_h)]
        shift = np.reshape(np.asarray(center, np.float64), (1, 2))
        self.polygon(rotated(corners, angle) + shift, color)

    def polygon(self, points: Points, color: Color) -> None:
        gfxdraw = _gfxdraw()
        array = check_points(f"{type(self).__name__}.polygon", points, 3)
        pixels = [_rounded(p) for p in self.transform.to_pixel_array(array)]
        rgb = color.rgb255()
        surface = self.surface()
        gfxdraw.aapolygon(surface, pixels, rgb)
        gfxdraw.filled_polygon(surface, pixels, rgb)

    def polyline(self, points: Points, color: Color, width: int = 1) -> None:
        pygame = import_pygame()
        where = f"{type(self).__name__}.polyline"
        width = check_width(where, width)
        pixels = self.transform.to_pixel_array(check_points(where, points, 2)).tolist()
        if width == 1:
            pygame.draw.aalines(self.surface(), color.rgb255(), False, pixels)
        else:
            pygame.draw.lines(self.surface(), color.rgb255(), False, pixels, width)

    def ellipse(
        self,
        center: Point,
        width: Real[ArrayLike, ""],
        height: Real[ArrayLike, ""],
        color: Color,
    ) -> None:
        pygame = import_pygame()
        x, y = self.transform.to_pixels(center)
        w, h = self.transform.length(width), self.transform.length(height)
        rect = pygame.Rect(round(x - w / 2), round(y - h / 2), round(w), round(h))
        pygame.draw.ellipse(self.surface(), color.rgb255(), rect)

    def text(self, position: Point, text: str, color: Color, size: int = 16) -> None:
        pygame = import_pygame()
        size = check_width(f"{type(self).__name__}.text size", size)
        font = self._fonts.get(size)
        if font is None:
            if not pygame.font.get_init():
                pygame.font.init()
            font = self._fonts[size] = pygame.font.Font(None, size)
        image = font.render(text, True, color.rgb255())
        self.surface().blit(image, _rounded(self.transform.to_pixels(position)))


@final
class PygameRenderer(AbstractPygameRenderer):
    """Draws in a pygame window, opened on first use.

    Only one pygame window exists per process; closing the renderer closes it.

    Args:
        width: Window width in pixels.
        height: Window height in pixels.
        background_color: Colour of a cleared frame.
        transform: World-to-pixel map (its size must equal the window's); `None` for
            pixel coordinates with the origin at the top left.
        fps: With a number, `draw()` waits so that frames come at most `fps` per second
            (so that replays play in real time); `None` never waits.
        title: The window's title.

    Raises:
        ValueError: If the sizes are not positive ints, or `transform` has another size.
        RuntimeError: On first use, if pygame cannot open a window (no display);
            `HeadlessPygameRenderer` draws without one.

    Example:
        >>> env = CartPole()
        >>> with env.default_renderer() as renderer:  # a PygameRenderer
        ...     env.render(env.initial(key=jax.random.key(0)), renderer)
    """

    def __init__(
        self,
        width: int,
        height: int,
        background_color: Color = WHITE,
        transform: Transform | None = None,
        *,
        fps: float | int | None = None,
        title: str = "lerax",
    ):
        self._width, self._height, self._transform = _check_canvas(
            "PygameRenderer", width, height, transform
        )
        if fps is not None and not (math.isfinite(fps) and fps > 0):
            raise ValueError(f"PygameRenderer: fps must be a positive number or None, got {fps!r}")
        self.background_color = background_color
        self.fps = fps
        self.title = title
        self._surface = None
        self._fonts = {}
        self._clock: Any = None

    def headless(self) -> HeadlessPygameRenderer:
        """An off-screen renderer of the same size, background and transform."""
        return HeadlessPygameRenderer(
            self.width, self.height, self.background_color, self.transform
        )

    def acquire(self) -> Any:
        use_dummy_video_driver()  # no display: the window is drawn off-screen
        pygame = import_pygame()
        try:
            pygame.display.init()
            window = pygame.display.set_mode((self.width, self.height))
        except pygame.error as e:
            raise RuntimeError(
                f"PygameRenderer: pygame cannot open a window ({e}); without a display, draw "
                "with lerax.render.HeadlessPygameRenderer (or record a VideoRenderer around one)"
            ) from None
        pygame.display.set_caption(self.title)
        self._clock = pygame.time.Clock()
        return window

    def release(self) -> None:
        pygame = import_pygame()
        pygame.display.quit()
        self._clock = None

    def present(self) -> None:
        pygame = import_pygame()
        pygame.event.pump()
        pygame.display.flip()
        if self.fps is not None and self._clock is not None:
            self._clock.tick(self.fps)


@final
class HeadlessPygameRenderer(AbstractPygameRenderer):
    """Draws on an off-screen pygame surface: no window, no display needed.

    Read each frame with `as_array()`, or wrap the renderer in a `VideoRenderer`. When no
    display is set (`DISPLAY` unset), creating one selects SDL's dummy video driver (unless
    `SDL_VIDEODRIVER` is already set), so pygame never looks for a screen.

    Args:
        width: Frame width in pixels.
        height: Frame height in pixels.
        background_color: Colour of a cleared frame.
        transform: World-to-pixel map (its size must equal the frame's); `None` for pixel
            coordinates with the origin at the top left.

    Raises:
        ValueError: If the sizes are not positive ints, or `transform` has another size.

    Example:
        >>> transform = Transform(600, 400, scale=125.0, offset=(300.0, 100.0))
        >>> renderer = HeadlessPygameRenderer(600, 400, transform=transform)
        >>> env.render(state, renderer)
        >>> renderer.as_array().shape
        (400, 600, 3)
    """

    def __init__(
        self,
        width: int,
        height: int,
        background_color: Color = WHITE,
        transform: Transform | None = None,
    ):
        self._width, self._height, self._transform = _check_canvas(
            "HeadlessPygameRenderer", width, height, transform
        )
        self.background_color = background_color
        self._surface = None
        self._fonts = {}
        use_dummy_video_driver()

    def acquire(self) -> Any:
        pygame = import_pygame()
        return pygame.Surface((self.width, self.height))

    def release(self) -> None:
        return None

    def present(self) -> None:
        return None


def _check_canvas(
    where: str, width: int, height: int, transform: Transform | None
) -> tuple[int, int, Transform]:
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{where}: {name} must be a positive int, got {value!r}")
    if transform is None:
        return int(width), int(height), Transform.pixels(int(width), int(height))
    if (transform.width, transform.height) != (width, height):
        raise ValueError(
            f"{where}: transform is for a {transform.width}x{transform.height} canvas but the "
            f"renderer is {width}x{height}; give both the same size"
        )
    return int(width), int(height), transform


def _rounded(point: Any) -> tuple[int, int]:
    return (int(round(float(point[0]))), int(round(float(point[1]))))


def _gfxdraw() -> Any:
    import_pygame()  # the clear error when pygame is missing
    import pygame.gfxdraw

    return pygame.gfxdraw
