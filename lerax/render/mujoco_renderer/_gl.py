"""The OpenGL context MuJoCo draws off-screen in: EGL or OSMesa without a display."""

from __future__ import annotations

import importlib
import os
from ctypes.util import find_library
from typing import Any

from .._deps import has_display, import_mujoco

_LIBRARIES = {"egl": "EGL", "osmesa": "OSMesa"}
"""The shared library each headless backend loads (as `ctypes.util.find_library` names it)."""


def gl_backend() -> str | None:
    """The value of `MUJOCO_GL` to draw with, choosing (and setting) one if it is unset.

    A `MUJOCO_GL` set by the user is kept. Otherwise, on Linux without a display, it is
    set to `egl` when libEGL is installed, else to `osmesa` when libOSMesa is; with a
    display (or off Linux) it stays unset and MuJoCo's own default is used (`None`).

    Raises:
        RuntimeError: On Linux without a display, if neither libEGL nor libOSMesa is
            installed.
    """
    chosen = os.environ.get("MUJOCO_GL", "").strip().lower()
    if chosen:
        return chosen
    if has_display():  # (always true off Linux)
        return None
    for backend, library in _LIBRARIES.items():
        if find_library(library) is not None:
            os.environ["MUJOCO_GL"] = backend
            return backend
    raise RuntimeError(
        "lerax.render.mujoco_renderer: no OpenGL to draw MuJoCo scenes with: there is no "
        "display, and neither libEGL nor libOSMesa is installed. Install one (e.g. "
        "apt-get install libegl1, or libosmesa6), or set MUJOCO_GL to a backend that works "
        "here"
    )


def gl_context(width: int, height: int) -> Any:
    """A new OpenGL context for drawing `width` by `height` frames off-screen, made current.

    Raises:
        RuntimeError: If no backend is available or the context cannot be created; the
            message says which backend was tried and how to choose another.
    """
    mujoco = import_mujoco()
    backend = gl_backend()
    library = _LIBRARIES.get(backend or "")
    if library is not None and find_library(library) is None:
        raise RuntimeError(
            f"lerax.render.mujoco_renderer: MUJOCO_GL={backend} needs lib{library}, which is "
            "not installed; install it, or set MUJOCO_GL to another backend (egl, osmesa, glfw)"
        )
    try:
        if library is not None:
            context_class = importlib.import_module(f"mujoco.{backend}").GLContext
        else:
            context_class = mujoco.GLContext
        context = context_class(width, height)
        context.make_current()
    except Exception as e:
        raise RuntimeError(
            f"lerax.render.mujoco_renderer: cannot create an OpenGL context (MUJOCO_GL="
            f"{backend or 'unset, so MuJoCo chose'}): {e}. Without a display, set MUJOCO_GL=egl "
            "(libEGL) or MUJOCO_GL=osmesa (libOSMesa) before the first frame"
        ) from e
    return context
