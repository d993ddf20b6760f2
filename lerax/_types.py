"""Type aliases shared across lerax."""

from typing import Any

from jaxtyping import Array, ArrayLike, Bool, Float, Int, PRNGKeyArray, PyTree

Key = PRNGKeyArray
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
    "Mask",
    "Observation",
    "PyTree",
]
