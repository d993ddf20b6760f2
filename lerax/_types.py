"""Type aliases shared across lerax."""

from typing import Any

from jaxtyping import (
    Array,
    ArrayLike,
    Bool,
    Float,
    Int,
    Key as _KeyDtype,
    PRNGKeyArray,
    PyTree,
    UInt32,
)

Key = PRNGKeyArray
KeyBatch = _KeyDtype[Array, "*batch"] | UInt32[Array, "*batch 2"]
"""PRNG keys with any leading batch shape (typed keys or raw key data)."""
FloatScalar = Float[Array, ""]
BoolScalar = Bool[Array, ""]
IntScalar = Int[Array, ""]
FloatScalarLike = Float[ArrayLike, ""]
Observation = PyTree[Array]
Action = PyTree[Array]
Mask = PyTree[Bool[Array, "..."]] | None
Info = dict[str, Any]

__all__ = [
    "Action",
    "Array",
    "ArrayLike",
    "Bool",
    "BoolScalar",
    "Float",
    "FloatScalar",
    "FloatScalarLike",
    "Info",
    "Int",
    "IntScalar",
    "Key",
    "KeyBatch",
    "Mask",
    "Observation",
    "PyTree",
    "UInt32",
]
