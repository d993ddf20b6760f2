"""Structural fingerprints of Equinox modules."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Mapping
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

FINGERPRINT_SIZE = 32
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def fingerprint(tree: Any) -> bytes:
    """A 32-byte SHA-256 digest of a pytree's structure.

    The digest covers module classes, field names, the values of static fields, the shape
    and dtype of every array leaf (real arrays and `jax.ShapeDtypeStruct` alike, so a
    skeleton from `eqx.filter_eval_shape` matches the module it describes), the type of
    other leaves, and the identity (module and qualified name) of functions such as
    activations. It is deterministic across processes.

    Args:
        tree: Any pytree, typically an Equinox module.

    Returns:
        The 32-byte digest.
    """
    return hashlib.sha256(describe(tree).encode()).digest()


def describe(x: Any, *, static: bool = False) -> str:
    """The canonical text that `fingerprint` hashes."""
    if isinstance(x, eqx.Module):
        cls = type(x)
        parts = []
        for f in dataclasses.fields(x):
            is_static = bool(f.metadata.get("static", False))
            value = getattr(x, f.name, None)
            parts.append(f"{f.name}{'!' if is_static else ''}={describe(value, static=is_static)}")
        return f"M<{_qualname(cls)}>({','.join(parts)})"
    if isinstance(x, jax.Array | np.ndarray | jax.ShapeDtypeStruct | np.generic):
        if isinstance(x, np.generic):
            x = np.asarray(x)
        dtype = (
            str(np.dtype(x.dtype))
            if not jnp.issubdtype(x.dtype, jax.dtypes.prng_key)
            else str(x.dtype)
        )
        if static and isinstance(x, np.ndarray):
            return f"S{x.shape}{dtype}{x.tobytes().hex()}"
        return f"A{tuple(x.shape)}{dtype}"
    if x is None or isinstance(x, bool | int | float | complex | str | bytes):
        return repr(x) if static else f"P<{type(x).__name__}>"
    if isinstance(x, tuple | list):
        kind = "T" if isinstance(x, tuple) else "L"
        return f"{kind}[{','.join(describe(v, static=static) for v in x)}]"
    if isinstance(x, Mapping):
        items = sorted(x.items(), key=lambda kv: repr(kv[0]))
        return f"D{{{','.join(f'{k!r}:{describe(v, static=static)}' for k, v in items)}}}"
    if isinstance(x, type):
        return f"C<{_qualname(x)}>"
    if callable(x):
        return f"F<{_callable_name(x)}>"
    return f"O<{_qualname(type(x))}>{_ADDRESS.sub('', repr(x))}"


def _qualname(obj: Any) -> str:
    name = getattr(obj, "__qualname__", getattr(obj, "__name__", "?"))
    return f"{getattr(obj, '__module__', '?')}.{name}"


def _callable_name(fn: Callable) -> str:
    wrapped = getattr(fn, "__wrapped__", None)
    if getattr(fn, "__qualname__", None) is None and wrapped is not None:
        fn = wrapped
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if name is None:
        return f"{_qualname(type(fn))}{_ADDRESS.sub('', repr(fn))}"
    return f"{getattr(fn, '__module__', '?')}.{name}"
