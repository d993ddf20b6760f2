"""Importing MuJoCo and MJX (the optional extra `lerax[mujoco]`), and Gymnasium's model files."""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from pathlib import Path
from types import ModuleType

INSTALL = 'pip install "lerax[mujoco]"'
CPU_FLAG = "--xla_cpu_use_fusion_emitters=false"


def use_classic_cpu_emitters() -> None:
    """Ask XLA for its classic CPU code generator, unless `XLA_FLAGS` already decides.

    jaxlib 0.10's newer CPU code generator ("fusion emitters") turns MJX programs of models
    with deep chains of bodies (Pusher, the humanoids) into programs that take seconds a
    step; the classic one runs them a thousand times faster and compiles in half the time.
    XLA reads the flag when JAX starts its backends, so it is appended to `XLA_FLAGS` only
    if they have not started yet; otherwise a warning says how to set it. GPUs ignore it.
    """
    flags = os.environ.get("XLA_FLAGS", "")
    if "xla_cpu_use_fusion_emitters" in flags:
        return
    from jax._src import xla_bridge

    if not xla_bridge.backends_are_initialized():
        os.environ["XLA_FLAGS"] = f"{flags} {CPU_FLAG}".strip()
        return
    import jax

    if jax.default_backend() == "cpu":
        warnings.warn(
            "lerax.env.mujoco was imported after JAX started, so XLA's CPU code generator "
            "could not be switched to the one MJX runs fast with: tasks with deep chains of "
            f"bodies will be very slow. Set XLA_FLAGS={CPU_FLAG} before starting Python, or "
            "import lerax.env.mujoco before running any JAX computation.",
            RuntimeWarning,
            stacklevel=3,
        )


def import_mujoco() -> tuple[ModuleType, ModuleType]:
    """`(mujoco, mujoco.mjx)`, or an `ImportError` that says how to install them.

    MJX prints notes about the optional `warp` backend to stdout when it is imported; they
    are swallowed here.
    """
    try:
        import mujoco

        with contextlib.redirect_stdout(io.StringIO()):
            from mujoco import mjx
    except ImportError as e:
        raise ImportError(
            f"lerax.env.mujoco needs mujoco and mujoco-mjx, which could not be imported ({e}): "
            f"{INSTALL}"
        ) from e
    return mujoco, mjx


def model_path(xml_file: str) -> Path:
    """The path of `xml_file`: as given when it names an existing file, else one of the
    model files the installed `gymnasium` package ships (`gymnasium/envs/mujoco/assets`).

    Raises:
        FileNotFoundError: If neither exists.
    """
    given = Path(xml_file).expanduser()
    if given.is_file():
        return given
    try:
        import gymnasium
    except ImportError as e:
        raise ImportError(
            f"lerax.env.mujoco reads Gymnasium's model files, but gymnasium is not installed: "
            f"{INSTALL}"
        ) from e
    assets = Path(gymnasium.__file__).parent / "envs" / "mujoco" / "assets"
    shipped = assets / xml_file
    if shipped.is_file():
        return shipped
    raise FileNotFoundError(
        f"lerax.env.mujoco: model file {xml_file!r} is neither a file nor one of the models "
        f"Gymnasium ships in {assets}"
    )
