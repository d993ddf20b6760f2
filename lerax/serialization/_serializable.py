"""Save and load Equinox modules with a structural fingerprint."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, TypeVar

import equinox as eqx

from ._fingerprint import FINGERPRINT_SIZE, fingerprint

# A TypeVar rather than `typing.Self`: beartype (used by jaxtyping's runtime checks) rejects
# `Self` outside classes it decorates itself.
SelfType = TypeVar("SelfType", bound="AbstractSerializable")


def _with_suffix(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path if path.suffix == ".eqx" else path.with_name(path.name + ".eqx")


def save(module: Any, path: str | os.PathLike) -> Path:
    """Write `module` to `path` (`.eqx` appended when missing), atomically.

    The file holds the 32-byte structural fingerprint followed by the Equinox leaves.

    Args:
        module: Any Equinox module (or pytree).
        path: Destination file; parent folders are created.

    Returns:
        The path written.

    Raises:
        OSError: If the file cannot be written; the destination is then left as it was.
    """
    path = _with_suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Like `tempfile.mkstemp`, but with the permissions a plain `open` gives (umask applied).
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(fingerprint(module))
            eqx.tree_serialise_leaves(f, module)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(path: str | os.PathLike, skeleton: Any) -> Any:
    """Load leaves from `path` into `skeleton`, checking the fingerprint first.

    Args:
        path: File written by `save` (`.eqx` appended when missing).
        skeleton: A module of the expected structure; arrays may be `jax.ShapeDtypeStruct`.

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If the file is empty, truncated, foreign, or its structure differs.
    """
    path = _with_suffix(path)
    expected = fingerprint(skeleton)
    with open(path, "rb") as f:
        header = f.read(FINGERPRINT_SIZE)
        if len(header) < FINGERPRINT_SIZE:
            raise ValueError(
                f"{path}: too short to be a lerax file ({len(header)} bytes, expected a "
                f"{FINGERPRINT_SIZE}-byte fingerprint and the model's leaves)"
            )
        if header != expected:
            raise ValueError(
                f"{path}: structural fingerprint mismatch: the file was written by a module of a "
                f"different structure (class, fields, hyperparameters, shapes, dtypes or "
                f"activation) "
                f"than {type(skeleton).__qualname__} built from the given arguments"
            )
        try:
            loaded = eqx.tree_deserialise_leaves(f, skeleton)
        except Exception as e:
            raise ValueError(f"{path}: truncated or corrupt leaf data ({e})") from e
        if f.read(1):
            raise ValueError(f"{path}: unexpected trailing data after the model's leaves")
    return loaded


class AbstractSerializable(eqx.Module):
    """Mixin giving a module `serialize` and `deserialize`."""

    def serialize(self, path: str | os.PathLike) -> Path:
        """Write this module to `path`.

        Appends `.eqx` when the suffix is missing, creates parent folders, and writes a
        32-byte structural fingerprint followed by the Equinox leaves, atomically (a
        temporary file renamed into place).

        Args:
            path: Destination file.

        Returns:
            The path written.

        Raises:
            OSError: If the file cannot be written; the destination is then left as it was
                (no partial file).
        """
        return save(self, path)

    @classmethod
    def deserialize(
        cls: type[SelfType], path: str | os.PathLike, *args: Any, **kwargs: Any
    ) -> SelfType:
        """Load a module written by `serialize`.

        Builds the skeleton from the constructor arguments without computing anything
        (`eqx.filter_eval_shape`), compares the file's fingerprint with the skeleton's
        before loading any array, then loads the leaves.

        Args:
            path: File to read (`.eqx` appended when missing).
            *args: Positional constructor arguments.
            **kwargs: Keyword constructor arguments.

        Returns:
            The loaded module, an instance of the class `deserialize` is called on.

        Raises:
            FileNotFoundError: If the file does not exist.
            ValueError: If the file's structure does not match, or it is empty, truncated
                or not a lerax file; the message names the file.
        """
        skeleton = eqx.filter_eval_shape(cls, *args, **kwargs)
        return load(path, skeleton)
