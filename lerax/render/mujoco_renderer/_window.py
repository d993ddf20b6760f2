"""Showing MuJoCo scenes in a window: always, or when a display is available."""

from __future__ import annotations

from typing import final

import numpy as np
from jaxtyping import UInt8

from .._deps import has_display, import_pygame
from .._pygame import PygameRenderer
from ._camera import MujocoCamera
from .base import AbstractMujocoRenderer


@final
class WindowMujocoRenderer(AbstractMujocoRenderer):
    """Draws MuJoCo scenes off-screen and shows each frame in a pygame window.

    Args:
        width: Window width in pixels.
        height: Window height in pixels.
        camera: The camera: a `MujocoCamera`, or the name or index of one of the model's
            cameras; `None` for the free camera.
        fps: With a number, `draw()` waits so that frames come at most `fps` per second
            (so that replays play in real time); `None` never waits.
        title: The window's title.

    Raises:
        ValueError: If a size is not a positive int, or `fps` is not positive.
        RuntimeError: On first use, if there is no display (`DISPLAY` and `WAYLAND_DISPLAY`
            unset); `HeadlessMujocoRenderer` draws without one.

    Example:
        >>> with WindowMujocoRenderer(camera="track", fps=20) as window:
        ...     env.render_stacked(states, window)
    """

    def __init__(
        self,
        width: int = 480,
        height: int = 480,
        camera: MujocoCamera | str | int | None = None,
        *,
        fps: float | int | None = None,
        title: str = "lerax",
    ):
        self._init_canvas(width, height, camera, fps)
        self._window = PygameRenderer(width, height, fps=fps, title=title)

    def acquire(self) -> None:
        if not has_display():
            raise RuntimeError(
                "WindowMujocoRenderer: there is no display to open a window on (DISPLAY and "
                "WAYLAND_DISPLAY are unset); draw with HeadlessMujocoRenderer, or record a "
                "video with renderer.video(path)"
            )
        self._window.open()

    def present(self, frame: UInt8[np.ndarray, "height width 3"]) -> None:
        show(self._window, frame)

    def release(self) -> None:
        self._window.close()


@final
class MujocoRenderer(AbstractMujocoRenderer):
    """The default renderer of the MuJoCo tasks: a window when there is a display.

    Each frame is drawn off-screen, and shown in a pygame window (as `WindowMujocoRenderer`
    does) if a display is available when the renderer opens; otherwise it is only kept, for
    `as_array()` (as `HeadlessMujocoRenderer` does). `headless()` and `video(path)` give
    renderers of the same size and camera that never open a window.

    Args:
        width: Frame width in pixels.
        height: Frame height in pixels.
        camera: The camera: a `MujocoCamera`, or the name or index of one of the model's
            cameras; `None` for the free camera.
        fps: With a number, a shown frame waits so that frames come at most `fps` per
            second (so that replays play in real time), and `video()` records at `fps`.
        title: The window's title.

    Raises:
        ValueError: If a size is not a positive int, or `fps` is not positive.

    Example:
        >>> env = lerax.env.mujoco.InvertedPendulum()
        >>> env.default_renderer()  # a MujocoRenderer of 480 x 480 at 25 fps
        >>> env.render_stacked(states)  # shown in a window (needs a display)
    """

    def __init__(
        self,
        width: int = 480,
        height: int = 480,
        camera: MujocoCamera | str | int | None = None,
        *,
        fps: float | int | None = None,
        title: str = "lerax",
    ):
        self._init_canvas(width, height, camera, fps)
        self._window = PygameRenderer(width, height, fps=fps, title=title)
        self._shows = False

    @property
    def shows_window(self) -> bool:
        """Whether frames are shown in a window (decided when the renderer opens)."""
        return self._shows

    def acquire(self) -> None:
        self._shows = has_display()
        if self._shows:
            self._window.open()

    def present(self, frame: UInt8[np.ndarray, "height width 3"]) -> None:
        if self._shows:
            show(self._window, frame)

    def release(self) -> None:
        self._shows = False
        self._window.close()


def show(window: PygameRenderer, frame: UInt8[np.ndarray, "height width 3"]) -> None:
    """Show `frame` in `window` (waiting for its frame rate)."""
    pygame = import_pygame()
    pygame.surfarray.blit_array(window.surface(), np.swapaxes(frame, 0, 1))
    window.draw()
