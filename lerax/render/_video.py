"""Recording the frames of a renderer as a video file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import final

import numpy as np
from jaxtyping import ArrayLike, Real, UInt8

from ._color import Color
from ._transform import Point, Points, Transform
from ._video_file import VideoFile
from .base import Abstract2DRenderer, AbstractRenderer


@final
class VideoRenderer(Abstract2DRenderer):
    """Records every frame drawn on `inner` and writes them as a video on `close()`.

    Drawing goes to `inner`; each `draw()` also appends `inner`'s frame to the video,
    which is encoded as it goes (H.264 through imageio-ffmpeg for `.mp4`) into a temporary
    file next to `output_path`, moved onto `output_path` only by `close()`: a video is
    never left half-written. A frame of odd width or height is padded by one background
    row or column (H.264 needs even sizes). Closing without any frame writes no file (and
    warns).

    Args:
        inner: The renderer to draw on, e.g. a `HeadlessPygameRenderer`.
        output_path: Where to write the video; its suffix picks the format (`.mp4`).
        fps: Frames per second of the video.

    Raises:
        TypeError: If `inner` is not an `Abstract2DRenderer`.
        ValueError: If `fps` is not positive, or `output_path`'s folder does not exist.

    Example:
        >>> inner = env.default_renderer().headless()
        >>> with VideoRenderer(inner, "episode.mp4", fps=50) as video:
        ...     env.render_states(states, video)
    """

    def __init__(
        self, inner: AbstractRenderer, output_path: str | os.PathLike, fps: float | int = 60.0
    ):
        if not isinstance(inner, Abstract2DRenderer):
            raise TypeError(
                "VideoRenderer: inner must be a 2-D renderer such as HeadlessPygameRenderer, "
                f"got {type(inner).__name__}"
            )
        self.inner: Abstract2DRenderer = inner
        self._file = VideoFile("VideoRenderer", output_path, fps)

    @property
    def output_path(self) -> Path:
        """Where the video is written."""
        return self._file.output_path

    @property
    def fps(self) -> float:
        """Frames per second of the video."""
        return self._file.fps

    @property
    def width(self) -> int:
        return self.inner.width

    @property
    def height(self) -> int:
        return self.inner.height

    @property
    def transform(self) -> Transform:
        return self.inner.transform

    @property
    def num_frames(self) -> int:
        """Frames recorded since the video was (re)opened."""
        return self._file.num_frames

    def open(self) -> None:
        self.inner.open()

    def close(self) -> None:
        """Finish the video (move it onto `output_path`) and close `inner`."""
        try:
            self._file.finish(stacklevel=2)
        finally:
            self.inner.close()

    def discard(self) -> None:
        """Drop the frames recorded so far without writing a file, and close `inner`."""
        try:
            self._file.discard()
        finally:
            self.inner.close()

    def clear(self) -> None:
        self.inner.clear()

    def draw(self) -> None:
        self.inner.draw()
        self._file.append(self.inner.as_array())

    def as_array(self) -> UInt8[np.ndarray, "height width 3"]:
        return self.inner.as_array()

    def circle(self, center: Point, radius: Real[ArrayLike, ""], color: Color) -> None:
        self.inner.circle(center, radius, color)

    def line(self, start: Point, end: Point, color: Color, width: int = 1) -> None:
        self.inner.line(start, end, color, width)

    def rectangle(
        self,
        center: Point,
        width: Real[ArrayLike, ""],
        height: Real[ArrayLike, ""],
        color: Color,
        angle: Real[ArrayLike, ""] = 0.0,
    ) -> None:
        self.inner.rectangle(center, width, height, color, angle)

    def polygon(self, points: Points, color: Color) -> None:
        self.inner.polygon(points, color)

    def polyline(self, points: Points, color: Color, width: int = 1) -> None:
        self.inner.polyline(points, color, width)

    def ellipse(
        self,
        center: Point,
        width: Real[ArrayLike, ""],
        height: Real[ArrayLike, ""],
        color: Color,
    ) -> None:
        self.inner.ellipse(center, width, height, color)

    def text(self, position: Point, text: str, color: Color, size: int = 16) -> None:
        self.inner.text(position, text, color, size)
