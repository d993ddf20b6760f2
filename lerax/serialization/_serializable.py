"""Save and load Equinox modules with a structural fingerprint."""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import struct
from collections.abc import Callable, Mapping
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import equinox as eqx

from ._fingerprint import FINGERPRINT_SIZE, fingerprint

DIGEST_SIZE = 32
"""Bytes of the SHA-256 integrity digest that ends every file."""

_LENGTH = struct.Struct("<Q")  # the byte length of the metadata block


def _version(package: str) -> str:
    try:
        return importlib_metadata.version(package)
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def describe(module: Any) -> dict[str, Any]:
    """What every file records about what wrote it: the class and the versions."""
    cls = type(module)
    return {
        "class": f"{cls.__module__}.{cls.__qualname__}",
        "lerax": _version("lerax"),
        "jax": _version("jax"),
        "equinox": _version("equinox"),
    }


# A TypeVar rather than `typing.Self`: beartype (used by jaxtyping's runtime checks) rejects
# `Self` outside classes it decorates itself.
SelfType = TypeVar("SelfType", bound="AbstractSerializable")


def _with_suffix(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path if path.suffix == ".eqx" else path.with_name(path.name + ".eqx")


class _HashingWriter:
    """Writes to a file and hashes everything written."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.f.write(data)


def save(
    module: Any, path: str | os.PathLike, *, metadata: Mapping[str, Any] | None = None
) -> Path:
    """Write `module` to `path` (`.eqx` appended when missing), atomically.

    The file holds the 32-byte structural fingerprint, the Equinox leaves, a JSON block
    describing what wrote it (`describe(module)` plus `metadata`; its byte length follows
    as an 8-byte little-endian integer), and a 32-byte SHA-256 digest of everything before
    it. A plain `eqx.tree_deserialise_leaves` after the fingerprint still reads the leaves;
    `load` checks the digest, so any changed byte is detected; `read_metadata` reads the
    description without the arrays.

    Args:
        module: Any Equinox module (or pytree).
        path: Destination file; parent folders are created.
        metadata: Further JSON-serialisable facts to record (e.g. hyperparameters).


    Returns:
        The path written.

    A process killed while saving leaves the previous file intact (the new one is written
    to a temporary file that is renamed into place); the next save of the same path removes
    the temporary files such crashes leave behind. One writer per path at a time.

    Raises:
        OSError: If the file cannot be written; the destination is then left as it was.
    """
    path = _with_suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Temporary files of earlier writers of this path that were killed before renaming.
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)
    # Like `tempfile.mkstemp`, but with the permissions a plain `open` gives (umask applied).
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            writer = _HashingWriter(f)
            writer.write(fingerprint(module))
            eqx.tree_serialise_leaves(writer, module)
            block = json.dumps({**describe(module), **dict(metadata or {})}, sort_keys=True)
            writer.write(block.encode())
            writer.write(_LENGTH.pack(len(block.encode())))
            f.write(writer.hash.digest())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(
    path: str | os.PathLike,
    skeleton: Any,
    *,
    check_metadata: Callable[[Path, dict[str, Any]], None] | None = None,
) -> Any:
    """Load leaves from `path` into `skeleton`, checking the fingerprint and the digest first.

    Args:
        path: File written by `save` (`.eqx` appended when missing).
        skeleton: A module of the expected structure; arrays may be `jax.ShapeDtypeStruct`.
        check_metadata: Called with the path and the file's metadata after the digest is
            checked and before the fingerprint is compared (it raises to refuse the file).

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If the file is empty, truncated, foreign, corrupted (any byte changed),
            or its structure differs.
    """
    path = _with_suffix(path)
    expected = fingerprint(skeleton)
    data = path.read_bytes()
    body = _checked_body(path, data)
    leaf_bytes, info = _split_metadata(path, body)
    if check_metadata is not None:
        check_metadata(path, info)
    if data[:FINGERPRINT_SIZE] != expected:
        raise ValueError(
            f"{path}: structural fingerprint mismatch: the file was written by a module of a "
            f"different structure (class, fields, hyperparameters, shapes, dtypes or "
            f"activation) "
            f"than {type(skeleton).__qualname__} built from the given arguments"
        )
    leaves = io.BytesIO(leaf_bytes)
    try:
        loaded = eqx.tree_deserialise_leaves(leaves, skeleton)
    except Exception as e:
        raise ValueError(f"{path}: corrupt leaf data ({e})") from e
    if leaves.read(1):
        raise ValueError(f"{path}: unexpected trailing data after the model's leaves")
    return loaded


def _checked_body(path: Path, data: bytes) -> bytes:
    """The file's bytes before the digest, after checking the digest."""
    if len(data) < FINGERPRINT_SIZE + _LENGTH.size + DIGEST_SIZE:
        raise ValueError(
            f"{path}: too short to be a lerax file ({len(data)} bytes, expected a "
            f"{FINGERPRINT_SIZE}-byte fingerprint, the model's leaves, a metadata block and a "
            f"{DIGEST_SIZE}-byte digest)"
        )
    body, digest = data[:-DIGEST_SIZE], data[-DIGEST_SIZE:]
    if hashlib.sha256(body).digest() != digest:
        raise ValueError(
            f"{path}: integrity check failed: the file's bytes do not match its SHA-256 "
            "digest (corrupted, truncated or changed after it was written)"
        )
    return body


def _split_metadata(path: Path, body: bytes) -> tuple[bytes, dict[str, Any]]:
    """The leaf bytes and the metadata of a checked file body."""
    (length,) = _LENGTH.unpack(body[-_LENGTH.size :])
    start = len(body) - _LENGTH.size - length
    if start < FINGERPRINT_SIZE:
        raise ValueError(f"{path}: corrupt metadata block (length {length})")
    try:
        info = json.loads(body[start : len(body) - _LENGTH.size])
    except ValueError as e:
        raise ValueError(f"{path}: corrupt metadata block ({e})") from e
    return body[FINGERPRINT_SIZE:start], info


def read_metadata(path: str | os.PathLike) -> dict[str, Any]:
    """What a file written by `save` records about itself, without loading its arrays.

    Returns:
        The metadata: `class`, the `lerax`, `jax` and `equinox` versions, `fingerprint`
        (hex), and whatever the writer added (a checkpoint's `algorithm` and
        `hyperparameters`).

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If the file is not an intact lerax file.
    """
    path = _with_suffix(path)
    data = path.read_bytes()
    _, info = _split_metadata(path, _checked_body(path, data))
    return {**info, "fingerprint": data[:FINGERPRINT_SIZE].hex()}


class AbstractSerializable(eqx.Module):
    """Mixin giving a module `serialize` and `deserialize`."""

    def serialize(self, path: str | os.PathLike) -> Path:
        """Write this module to `path`.

        Appends `.eqx` when the suffix is missing, creates parent folders, and writes a
        32-byte structural fingerprint, the Equinox leaves and a 32-byte SHA-256 digest of
        both, atomically (a temporary file renamed into place).

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
            ValueError: If the file's structure does not match, or it is empty, truncated,
                corrupted or not a lerax file; the message names the file.
        """
        skeleton = eqx.filter_eval_shape(cls, *args, **kwargs)
        return load(path, skeleton)
