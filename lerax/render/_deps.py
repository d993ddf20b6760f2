"""The optional dependencies of `lerax.render`, imported only when first needed."""

from __future__ import annotations

import os
import sys
from types import ModuleType

_INSTALL = 'pip install "lerax[render]"'


def import_pygame() -> ModuleType:
    """`pygame`, or an `ImportError` that says how to install it."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    try:
        import pygame
    except ImportError as e:
        raise ImportError(
            "lerax.render draws with pygame, which the base install of lerax leaves out: "
            + _INSTALL
        ) from e
    return pygame


def import_imageio() -> ModuleType:
    """`imageio.v2` (with its ffmpeg plugin), or an `ImportError` that says how to install it."""
    try:
        import imageio.v2 as imageio
        import imageio_ffmpeg  # noqa: F401
    except ImportError as e:
        raise ImportError(
            "lerax.render writes videos with imageio and imageio-ffmpeg, which the base install "
            f"of lerax leaves out: {_INSTALL}"
        ) from e
    return imageio


def import_mujoco() -> ModuleType:
    """`mujoco`, or an `ImportError` that says how to install it."""
    try:
        import mujoco
    except ImportError as e:
        raise ImportError(
            "lerax.render.mujoco_renderer draws with mujoco, which the base install of lerax "
            'leaves out: pip install "lerax[mujoco,render]"'
        ) from e
    return mujoco


def has_display() -> bool:
    """Whether windows can be shown: on Linux, `DISPLAY` or `WAYLAND_DISPLAY` is set."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def use_dummy_video_driver() -> None:
    """Let SDL run without a display: the dummy video driver when `DISPLAY` is unset."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
