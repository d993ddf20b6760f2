"""Recording MuJoCo scenes as a video file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import final

import numpy as np
from jaxtyping import UInt8

from .._video_file import VideoFile
from ._camera import MujocoCamera
from .base import AbstractMujocoRenderer


@final
class MujocoVideoRenderer(AbstractMujocoRenderer):
    """Draws MuJoCo scenes off-screen and records every frame into a video.

    Each `draw()` appends the frame to the video, which is encoded as it goes (H.264
    through imageio-ffmpeg for `.mp4`) into a temporary file next to `output_path`, moved
    onto `output_path` only by `close()`, as `VideoRenderer` does: a video is never left
    half-written. Closing without any frame writes no file (and warns). The usual way to
    make one is `env.default_renderer().video(path)`, with the task's camera and frame rate.

    Args:
        output_path: Where to write the video; its suffix picks the format (`.mp4`).
        fps: Frames per second of the video.
        width: Frame width in pixels.
        height: Frame height in pixels.
        camera: The camera: a `MujocoCamera`, or the name or index of one of the model's
            cameras; `None` for the free camera.

    Raises:
        ValueError: If a size is not a positive int, `fps` is not positive, or
            `output_path`'s folder does not exist.

    Example:
        >>> with env.default_renderer().video("episode.mp4") as video:
        ...     env.render_stacked(states, video)
    """

    def __init__(
        self,
        output_path: str | os.PathLike,
        fps: float | int = 60.0,
        width: int = 480,
        height: int = 480,
        camera: MujocoCamera | str | int | None = None,
    ):
        self._file = VideoFile("MujocoVideoRenderer", output_path, fps)
        self._init_canvas(width, height, camera, self._file.fps)

    @property
    def output_path(self) -> Path:
        """Where the video is written."""
        return self._file.output_path

    @property
    def num_frames(self) -> int:
        """Frames recorded since the video was (re)opened."""
        return self._file.num_frames

    def discard(self) -> None:
        """Drop the frames recorded so far without writing a file, and close."""
        self._file.discard()
        self.close()

    def acquire(self) -> None:
        return None

    def present(self, frame: UInt8[np.ndarray, "height width 3"]) -> None:
        self._file.append(frame)

    def release(self) -> None:
        self._file.finish(stacklevel=3)  # release <- close <- the caller
