"""Drawing MuJoCo scenes off-screen: no window, no display needed."""

from __future__ import annotations

from typing import final

import numpy as np
from jaxtyping import UInt8

from ._camera import MujocoCamera
from .base import AbstractMujocoRenderer


@final
class HeadlessMujocoRenderer(AbstractMujocoRenderer):
    """Draws MuJoCo scenes off-screen; read each frame back with `as_array()`.

    Without a display the OpenGL context is EGL, or OSMesa (see
    `lerax.render.mujoco_renderer`), so this works on servers and in CI.

    Args:
        width: Frame width in pixels.
        height: Frame height in pixels.
        camera: The camera: a `MujocoCamera`, or the name or index of one of the model's
            cameras; `None` for the free camera.
        fps: Frames per second the frames are meant to be played at (what `video()` uses);
            `None` if unknown.

    Raises:
        ValueError: If a size is not a positive int, or `fps` is not positive.

    Example:
        >>> renderer = env.default_renderer().headless()  # 480 x 480
        >>> env.render(state, renderer)
        >>> renderer.as_array().shape
        (480, 480, 3)
    """

    def __init__(
        self,
        width: int = 480,
        height: int = 480,
        camera: MujocoCamera | str | int | None = None,
        *,
        fps: float | int | None = None,
    ):
        self._init_canvas(width, height, camera, fps)

    def acquire(self) -> None:
        return None

    def present(self, frame: UInt8[np.ndarray, "height width 3"]) -> None:
        return None

    def release(self) -> None:
        return None
