"""Importing MuJoCo and MJX (the optional extra `lerax[mujoco]`), and Gymnasium's model files."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from types import ModuleType

INSTALL = 'pip install "lerax[mujoco]"'


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
