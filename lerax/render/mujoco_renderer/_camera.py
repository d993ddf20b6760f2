"""Where a MuJoCo scene is seen from, and how a task declares its default view."""

# No `from __future__ import annotations`: Equinox reads the field annotations.
import abc
import math
from collections.abc import Sequence
from typing import Any, final

import equinox as eqx
import numpy as np

from .._deps import import_mujoco


@final
class MujocoCamera(eqx.Module):
    """The camera a MuJoCo scene is drawn from: one of the model's, or the free camera.

    With `fixed`, one of the cameras the model defines (by name or index), which may move
    with a body as the model says (e.g. the `track` cameras of the locomotion models).
    Without it, MuJoCo's free camera, placed as Gymnasium places it: looking at the median
    of the geoms' positions in the model's initial pose, from the model's extent away, at
    the model's default azimuth and elevation; any setting given here replaces the default.

    Args:
        fixed: A camera of the model, by name or index; `None` (or -1) for the free camera.
        distance: Free camera: distance from the point looked at, in metres.
        azimuth: Free camera: horizontal angle, in degrees.
        elevation: Free camera: vertical angle, in degrees (negative: from above).
        lookat: Free camera: the point looked at, `(x, y, z)`.
        track_body: Free camera: the index of a body the camera follows (its subtree's
            centre of mass is looked at each frame); `None` for a camera that stays put.

    Raises:
        ValueError: If a setting is out of range, or free-camera settings come with `fixed`.

    Example:
        >>> MujocoCamera("track")  # the model's camera named "track"
        >>> MujocoCamera(distance=4.0, elevation=-20.0, track_body=1)
    """

    fixed: str | int | None
    distance: float | None
    azimuth: float | None
    elevation: float | None
    lookat: tuple[float, ...] | None
    track_body: int | None

    def __init__(
        self,
        fixed: str | int | None = None,
        *,
        distance: float | int | None = None,
        azimuth: float | int | None = None,
        elevation: float | int | None = None,
        lookat: Sequence[float | int] | np.ndarray | None = None,
        track_body: int | None = None,
    ):
        self.fixed = None if isinstance(fixed, int) and fixed == -1 else fixed
        self.distance = None if distance is None else float(distance)
        self.azimuth = None if azimuth is None else float(azimuth)
        self.elevation = None if elevation is None else float(elevation)
        self.lookat = None if lookat is None else tuple(float(x) for x in np.ravel(lookat))
        self.track_body = track_body

    def __check_init__(self):
        fixed, body = self.fixed, self.track_body
        if not (fixed is None or _is_index(fixed) or (isinstance(fixed, str) and fixed)):
            raise ValueError(
                "MujocoCamera: fixed must be a camera name, a camera index >= 0 or None (-1 is "
                f"None: the free camera), got {fixed!r}"
            )
        free = (self.distance, self.azimuth, self.elevation, self.lookat, body)
        if fixed is not None and any(setting is not None for setting in free):
            raise ValueError(
                "MujocoCamera: distance, azimuth, elevation, lookat and track_body set the free "
                f"camera; drop them, or drop fixed={fixed!r}"
            )
        numbers = [x for x in (self.azimuth, self.elevation, *(self.lookat or ())) if x is not None]
        if not all(map(math.isfinite, numbers)):
            raise ValueError(
                f"MujocoCamera: azimuth, elevation and lookat must be finite, got {self!r}"
            )
        if self.distance is not None and not (math.isfinite(self.distance) and self.distance > 0):
            raise ValueError(f"MujocoCamera: distance must be positive, got {self.distance!r}")
        if self.lookat is not None and len(self.lookat) != 3:
            raise ValueError(f"MujocoCamera: lookat must be (x, y, z), got {self.lookat!r}")
        if body is not None and not _is_index(body):
            raise ValueError(f"MujocoCamera: track_body must be a body index >= 0, got {body!r}")

    def mjv_camera(self, model: Any) -> Any:
        """This camera as a `mujoco.MjvCamera` for `model` (a `mujoco.MjModel`).

        Raises:
            ValueError: If `model` has no such camera or body.
        """
        mujoco = import_mujoco()
        camera = mujoco.MjvCamera()
        if self.fixed is not None:
            index = self.fixed
            if isinstance(index, str):
                index = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_CAMERA, index)
            if not (isinstance(index, int) and 0 <= index < model.ncam):
                names = [model.camera(i).name for i in range(model.ncam)]
                raise ValueError(
                    f"MujocoCamera: the model has no camera {self.fixed!r}; its cameras are "
                    f"{names} (by index from 0); use fixed=None for the free camera"
                )
            camera.type = mujoco.mjtCamera.mjCAMERA_FIXED
            camera.fixedcamid = index
            return camera
        mujoco.mjv_defaultFreeCamera(model, camera)  # the model's azimuth and elevation
        # Placed as Gymnasium places it: at the middle of the geoms, the model's extent away.
        pose = mujoco.MjData(model)
        mujoco.mj_kinematics(model, pose)
        if model.ngeom:
            camera.lookat[:] = np.median(pose.geom_xpos, axis=0)
        camera.distance = model.stat.extent
        if self.distance is not None:
            camera.distance = self.distance
        if self.azimuth is not None:
            camera.azimuth = self.azimuth
        if self.elevation is not None:
            camera.elevation = self.elevation
        if self.lookat is not None:
            camera.lookat[:] = self.lookat
        if self.track_body is not None:
            if self.track_body >= model.nbody:
                raise ValueError(
                    f"MujocoCamera: track_body={self.track_body}, but the model has "
                    f"{model.nbody} bodies (indices 0 to {model.nbody - 1})"
                )
            camera.type = mujoco.mjtCamera.mjCAMERA_TRACKING
            camera.trackbodyid = self.track_body
        return camera


def _is_index(value: Any) -> bool:
    """Whether `value` is an int >= 0 (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def model_camera(model: Any, name: str = "track") -> MujocoCamera:
    """The model's camera called `name` if it has one, else the free camera. With the
    default name, the camera Gymnasium draws `model` from by default (the locomotion
    models have a `track` camera)."""
    mujoco = import_mujoco()
    if mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_CAMERA, name) >= 0:
        return MujocoCamera(name)
    return MujocoCamera()


class AbstractHasDefaultCamera(abc.ABC):
    """A MuJoCo task that declares the camera it is drawn from by default.

    `AbstractMujocoEnv.default_renderer()` uses `default_camera()` of the tasks that are
    instances of this class; the other tasks are drawn as Gymnasium draws them by default
    (the model's `track` camera if it has one, else the free camera).

    Example:
        >>> @final
        ... class InvertedPendulum(AbstractMujocoEnv, AbstractHasDefaultCamera):
        ...     def default_camera(self) -> MujocoCamera:
        ...         return MujocoCamera(distance=2.04)
    """

    @abc.abstractmethod
    def default_camera(self) -> MujocoCamera:
        """The camera the task is drawn from by default."""
