"""A video file written frame by frame, and only ever whole."""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, final

import numpy as np
from jaxtyping import UInt8

from ._deps import import_imageio


@final
class VideoFile:
    """Frames encoded as they come into a temporary file, moved onto `output_path` at the end.

    The recording renderers (`VideoRenderer`, `MujocoVideoRenderer`) keep one each. Frames
    are encoded as they are appended (H.264 through imageio-ffmpeg for `.mp4`) into a
    temporary file next to `output_path`; `finish()` moves it onto `output_path`, so a video
    is never left half-written. A frame of odd width or height is padded by repeating its
    last row or column (H.264 needs even sizes).

    Args:
        owner: The name of the renderer, for messages.
        output_path: Where to write the video; its suffix picks the format (`.mp4`).
        fps: Frames per second of the video.

    Raises:
        ValueError: If `fps` is not positive, or `output_path`'s folder does not exist.
    """

    def __init__(self, owner: str, output_path: str | os.PathLike, fps: float | int):
        fps = float(fps)
        if not (math.isfinite(fps) and fps > 0):
            raise ValueError(f"{owner}: fps must be a positive number, got {fps!r}")
        path = Path(output_path)
        if not path.parent.is_dir():
            raise ValueError(
                f"{owner}: the folder of {str(path)!r} does not exist; create it first"
            )
        self.owner = owner
        self.output_path = path
        self.fps = fps
        self._writer: Any = None
        self._temp: Path | None = None
        self._frames = 0
        self._discarded = False

    @property
    def num_frames(self) -> int:
        """Frames appended since the file was last finished or discarded."""
        return self._frames

    def append(self, frame: UInt8[np.ndarray, "height width 3"]) -> None:
        """Encode `frame` (opening the temporary file on the first one)."""
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
        self._writer.append_data(_even(frame))
        self._frames += 1
        self._discarded = False

    def finish(self, stacklevel: int) -> None:
        """Move the video onto `output_path`; without any frame, write nothing and warn
        (unless the frames were just discarded). `stacklevel` is the warning's, as the
        caller of `finish` would give it to `warnings.warn`."""
        try:
            if self._writer is not None:
                writer, temp = self._writer, self._temp
                self._writer, self._temp = None, None
                writer.close()
                assert temp is not None
                os.replace(temp, self.output_path)
            elif self._frames == 0 and not self._discarded:
                warnings.warn(
                    f"{self.owner}: no frame was drawn, so {str(self.output_path)!r} was not "
                    "written (call draw() after drawing each frame)",
                    stacklevel=stacklevel + 1,
                )
        finally:
            self._frames = 0

    def discard(self) -> None:
        """Drop the frames appended so far; no file is written."""
        if self._writer is not None:
            writer, temp = self._writer, self._temp
            self._writer, self._temp = None, None
            try:
                writer.close()
            finally:
                if temp is not None:
                    temp.unlink(missing_ok=True)
        self._frames = 0
        self._discarded = True


def _even(frame: UInt8[np.ndarray, "h w 3"]) -> UInt8[np.ndarray, "h2 w2 3"]:
    """`frame` padded (repeating its last row or column) to an even height and width."""
    pad_rows, pad_columns = frame.shape[0] % 2, frame.shape[1] % 2
    if pad_rows or pad_columns:
        frame = np.pad(frame, ((0, pad_rows), (0, pad_columns), (0, 0)), mode="edge")
    return frame
