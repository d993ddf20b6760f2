"""The drawing every MuJoCo renderer shares: a MuJoCo scene drawn off-screen with OpenGL."""

from __future__ import annotations

import abc
import math
import os
from typing import TYPE_CHECKING, Any, final

import numpy as np
from jaxtyping import UInt8

from .._deps import import_mujoco
from ..base import Abstract3DRenderer
from ._camera import MujocoCamera
from ._gl import gl_context

if TYPE_CHECKING:
    from ._headless import HeadlessMujocoRenderer
    from ._video import MujocoVideoRenderer


class AbstractMujocoRenderer(Abstract3DRenderer):
    """Draws MuJoCo scenes: a model in a state, seen from a `MujocoCamera`.

    A frame is drawn as `clear()`, `scene(model, data)`, `draw()` (which
    `AbstractMujocoEnv.render` does): `scene` copies the state into MuJoCo's own `MjData`
    and runs `mj_forward`, and `draw` draws it off-screen with OpenGL, so that
    `as_array()` reads it back. The OpenGL context is made on first use; without a display
    it is EGL (or OSMesa), see `lerax.render.mujoco_renderer`. Concrete renderers say what
    `draw()` does with the finished frame (`present`), and what opening and closing
    acquire and release (`acquire`, `release`).
    """

    _width: int
    _height: int
    _camera: MujocoCamera
    _fps: float | None
    _gl: Any
    _drawing: _Drawing | None
    _frame: UInt8[np.ndarray, "height width 3"] | None
    _posed: bool

    @abc.abstractmethod
    def acquire(self) -> None:
        """Acquire what `present` needs (a window), when the renderer opens."""

    @abc.abstractmethod
    def present(self, frame: UInt8[np.ndarray, "height width 3"]) -> None:
        """Show or keep the finished `frame`."""

    @abc.abstractmethod
    def release(self) -> None:
        """Release what `acquire` acquired (and finish what `present` started)."""

    @property
    def width(self) -> int:
        return self._width

    @property
    def height(self) -> int:
        return self._height

    @property
    def camera(self) -> MujocoCamera:
        """The camera the scene is seen from."""
        return self._camera

    @property
    def fps(self) -> float | None:
        """Frames per second the frames are meant to be played at (`None`: unknown)."""
        return self._fps

    @property
    def is_open(self) -> bool:
        """Whether the OpenGL context exists (it is created on first use)."""
        return self._gl is not None

    def headless(self) -> HeadlessMujocoRenderer:
        """An off-screen renderer of the same size, camera and frame rate."""
        from ._headless import HeadlessMujocoRenderer

        return HeadlessMujocoRenderer(self.width, self.height, self.camera, fps=self.fps)

    def video(
        self, output_path: str | os.PathLike, fps: float | int | None = None
    ) -> MujocoVideoRenderer:
        """A renderer of the same size and camera that records an mp4 at `output_path`, at
        `fps` frames per second (`None`: this renderer's `fps`, else 30)."""
        from ._video import MujocoVideoRenderer

        rate = fps if fps is not None else self.fps or 30.0
        return MujocoVideoRenderer(output_path, rate, self.width, self.height, self.camera)

    def open(self) -> None:
        if self._gl is None:
            self._gl = gl_context(self.width, self.height)
            try:
                self.acquire()
            except BaseException:
                self._free()
                raise

    def close(self) -> None:
        try:
            self.release()
        finally:
            self._free()

    def clear(self) -> None:
        self._posed = False

    def scene(self, model: Any, data: Any) -> None:
        """Pose `model` (a `mujoco.MjModel`) in the state `data` for the next `draw()`.

        Args:
            model: The model to draw.
            data: Its state: a `mujoco.mjx.Data` (or `mujoco.MjData`) of one state (not a
                stacked batch), whose `qpos`, `qvel`, `act`, `mocap_pos`, `mocap_quat` and
                `time` are copied; everything else is recomputed by `mj_forward`.

        Raises:
            ValueError: If the frame is larger than the model's off-screen buffer, or `data`
                does not hold one state of `model`.
        """
        mujoco = import_mujoco()
        self.open()
        if self._drawing is None or self._drawing.model is not model:
            self._gl.make_current()
            if self._drawing is not None:
                self._drawing.free()
            self._drawing = None  # until the new model's objects exist
            self._drawing = _Drawing(model, self)
        mj = self._drawing.data
        mj.qpos[:] = _one_state("qpos", data.qpos, (model.nq,))
        mj.qvel[:] = _one_state("qvel", data.qvel, (model.nv,))
        if model.na:
            mj.act[:] = _one_state("act", data.act, (model.na,))
        if model.nmocap:
            mj.mocap_pos[:] = _one_state("mocap_pos", data.mocap_pos, (model.nmocap, 3))
            mj.mocap_quat[:] = _one_state("mocap_quat", data.mocap_quat, (model.nmocap, 4))
        mj.time = float(np.asarray(data.time))
        mujoco.mj_forward(model, mj)
        self._posed = True

    def draw(self) -> None:
        """Draw the posed scene (the background only after `clear()`), and `present` it."""
        self.open()
        if self._drawing is None:
            frame = np.zeros((self.height, self.width, 3), np.uint8)
        else:
            self._gl.make_current()
            frame = self._drawing.render(self._posed)
        self._frame = frame
        self.present(frame)

    def as_array(self) -> UInt8[np.ndarray, "height width 3"]:
        if self._frame is None:
            return np.zeros((self.height, self.width, 3), np.uint8)
        return self._frame.copy()

    def _init_canvas(
        self,
        width: int,
        height: int,
        camera: MujocoCamera | str | int | None,
        fps: float | int | None,
    ) -> None:
        """Set the fields every MuJoCo renderer has (called by the concrete `__init__`s).

        Raises:
            ValueError: If a size is not a positive int or `fps` not a positive number.
        """
        owner = type(self).__name__
        for name, value in (("width", width), ("height", height)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(f"{owner}: {name} must be a positive int, got {value!r}")
        if fps is not None and not (math.isfinite(fps) and fps > 0):
            raise ValueError(f"{owner}: fps must be a positive number or None, got {fps!r}")
        self._width, self._height = int(width), int(height)
        self._camera = camera if isinstance(camera, MujocoCamera) else MujocoCamera(camera)
        self._fps = None if fps is None else float(fps)
        self._gl = None
        self._drawing = None
        self._frame = None
        self._posed = False

    def _free(self) -> None:
        """Free the MuJoCo and OpenGL objects (not what `acquire` acquired)."""
        gl, drawing = self._gl, self._drawing
        self._gl, self._drawing, self._posed = None, None, False
        if gl is None:
            return
        try:
            if drawing is not None:
                gl.make_current()
                drawing.free()
        finally:
            gl.free()


@final
class _Drawing:
    """MuJoCo's objects for drawing one model: its data, scene, camera and render context."""

    def __init__(self, model: Any, canvas: AbstractMujocoRenderer):
        mujoco = import_mujoco()
        buffer = model.vis.global_
        if canvas.width > buffer.offwidth or canvas.height > buffer.offheight:
            raise ValueError(
                f"{type(canvas).__name__}: a {canvas.width}x{canvas.height} frame does not fit "
                f"the model's {buffer.offwidth}x{buffer.offheight} off-screen buffer; draw "
                "smaller frames, or raise <visual><global offwidth=... offheight=.../></visual> "
                "in the model file"
            )
        self.model = model
        self.data = mujoco.MjData(model)
        self.camera = canvas.camera.mjv_camera(model)
        self.option = mujoco.MjvOption()
        self.scene = mujoco.MjvScene(model, maxgeom=10_000)
        self.context = mujoco.MjrContext(model, mujoco.mjtFontScale.mjFONTSCALE_150)
        mujoco.mjr_setBuffer(mujoco.mjtFramebuffer.mjFB_OFFSCREEN, self.context)
        self.rect = mujoco.MjrRect(0, 0, canvas.width, canvas.height)

    def render(self, posed: bool) -> UInt8[np.ndarray, "height width 3"]:
        """The scene drawn (only the background unless `posed`), as an RGB image."""
        mujoco = import_mujoco()
        categories = mujoco.mjtCatBit.mjCAT_ALL if posed else 0
        mujoco.mjv_updateScene(
            self.model, self.data, self.option, None, self.camera, categories, self.scene
        )
        mujoco.mjr_render(self.rect, self.scene, self.context)
        pixels = np.empty((self.rect.height, self.rect.width, 3), np.uint8)
        mujoco.mjr_readPixels(pixels, None, self.rect, self.context)
        return np.ascontiguousarray(pixels[::-1])  # OpenGL's rows run bottom to top

    def free(self) -> None:
        """Free the render context (the OpenGL context must be current)."""
        self.context.free()


def _one_state(name: str, value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """`value` on the host as float64, checked to be the `shape` of one state."""
    array = np.asarray(value, np.float64)
    if array.shape != shape:
        raise ValueError(
            f"lerax.render.mujoco_renderer: the state's {name} has shape {array.shape}, but one "
            f"state of the model has {shape}; draw one state at a time (render_stacked splits "
            "states stacked along a leading axis)"
        )
    return array
