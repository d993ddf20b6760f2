"""Recording the frames of a renderer as a video file."""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, final

import numpy as np
from jaxtyping import ArrayLike, Real, UInt8

from ._color import Color
from ._deps import import_imageio
from ._transform import Point, Points, Transform
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
        fps = float(fps)
        if not (math.isfinite(fps) and fps > 0):
            raise ValueError(f"VideoRenderer: fps must be a positive number, got {fps!r}")
        path = Path(output_path)
        if not path.parent.is_dir():
            raise ValueError(
                f"VideoRenderer: the folder of {str(path)!r} does not exist; create it first"
            )
        self.inner: Abstract2DRenderer = inner
        self.output_path = path
        self.fps = fps
        self._writer: Any = None
        self._temp: Path | None = None
        self._frames = 0

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
        return self._frames

    def open(self) -> None:
        self.inner.open()

    def close(self) -> None:
        """Finish the video (move it onto `output_path`) and close `inner`."""
        try:
            if self._writer is not None:
                writer, temp = self._writer, self._temp
                self._writer, self._temp = None, None
                writer.close()
                assert temp is not None
                os.replace(temp, self.output_path)
            elif self._frames == 0:
                warnings.warn(
                    f"VideoRenderer: no frame was drawn, so {str(self.output_path)!r} was not "
                    "written (call draw() after drawing each frame)",
                    stacklevel=2,
                )
        finally:
            self._frames = 0
            self.inner.close()

    def discard(self) -> None:
        """Drop the frames recorded so far without writing a file, and close `inner`."""
        if self._writer is not None:
            writer, temp = self._writer, self._temp
            self._writer, self._temp = None, None
            try:
                writer.close()
            finally:
                if temp is not None:
                    temp.unlink(missing_ok=True)
        self._frames = 0
        self.inner.close()

    def clear(self) -> None:
        self.inner.clear()

    def draw(self) -> None:
        self.inner.draw()
        frame = _even(self.inner.as_array())
        if self._writer is None:
            imageio = import_imageio()
            handle, name = tempfile.mkstemp(
                prefix=f".{self.output_path.stem}.",
                suffix=self.output_path.suffix,
                dir=self.output_path.parent,
            )
            os.close(handle)
            self._temp = Path(name)
            try:
                self._writer = imageio.get_writer(
                    name, fps=self.fps, macro_block_size=1, ffmpeg_log_level="error"
                )
            except Exception:
                self._temp.unlink(missing_ok=True)
                self._temp = None
                raise
        self._writer.append_data(frame)
        self._frames += 1

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


def _even(frame: UInt8[np.ndarray, "h w 3"]) -> UInt8[np.ndarray, "h2 w2 3"]:
    """`frame` padded (repeating its last row or column) to an even height and width."""
    pad_rows, pad_columns = frame.shape[0] % 2, frame.shape[1] % 2
    if pad_rows or pad_columns:
        frame = np.pad(frame, ((0, pad_rows), (0, pad_columns), (0, 0)), mode="edge")
    return frame
