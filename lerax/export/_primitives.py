"""ONNX translations of the JAX primitives that policies use.

Each entry of `PRIMITIVES` turns one jaxpr equation into ONNX nodes: it receives the
builder, the equation (for its parameters and the shapes and dtypes of its operands) and
the names of its operands, and returns the names of its results. Call-like primitives
(`jit`, `custom_jvp_call`, ...) are not here: `_jaxpr.py` inlines their bodies.

Every translation computes what XLA computes, in the operands' own dtypes; the few that are
not one ONNX operator say how they are built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
from jax import lax
from jax.extend.core import JaxprEqn

from ._builder import GraphBuilder, is_static, onnx_dtype

Handler = Callable[[GraphBuilder, JaxprEqn, Sequence[str]], list[str]]
"""Translation of one equation: `(builder, equation, operand names) -> result names`."""

_INT64_MAX = np.iinfo(np.int64).max
_INT64_MIN = np.iinfo(np.int64).min


def _shape(atom: Any) -> tuple[Any, ...]:
    return tuple(atom.aval.shape)


def _dtype(atom: Any) -> np.dtype:
    return np.dtype(atom.aval.dtype)


def _is_bool(atom: Any) -> bool:
    return _dtype(atom) == np.dtype(bool)


def _unsupported(eqn: JaxprEqn, why: str) -> NotImplementedError:
    return NotImplementedError(f"to_onnx: JAX primitive {eqn.primitive.name!r}: {why}")


def _same_as(op: str) -> Handler:
    """An elementwise primitive that is the ONNX operator `op`."""

    def handler(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
        return [g.node(op, ins)]

    return handler


def _logical(bool_op: str, int_op: str) -> Handler:
    """`and` / `or` / `xor` / `not`: logical on booleans, bitwise on integers."""

    def handler(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
        return [g.node(bool_op if _is_bool(eqn.invars[0]) else int_op, ins)]

    return handler


def _alias(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    """Identity in a forward pass (`stop_gradient`, `copy`, `optimization_barrier`, ...)."""
    return list(ins)


def _not_equal(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    return [g.node("Not", [g.node("Equal", ins)])]


def _rem(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    # XLA's remainder has the sign of the dividend, as C's fmod.
    return [g.node("Mod", ins, fmod=1)]


def _constant_like(g: GraphBuilder, atom: Any, value: float | int) -> str:
    return g.constant(np.asarray(value, dtype=_dtype(atom)))


def _square(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    return [g.node("Mul", [ins[0], ins[0]])]


def _rsqrt(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    return [g.node("Reciprocal", [g.node("Sqrt", ins)])]


def _exp2(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    return [g.node("Pow", [_constant_like(g, eqn.invars[0], 2.0), ins[0]])]


def _log1p(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    # log(1 + x): the same to about one float32 ulp of 1 in absolute terms.
    return [g.node("Log", [g.node("Add", [ins[0], _constant_like(g, eqn.invars[0], 1.0)])])]


def _expm1(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    # exp(x) - 1: the same to about one float32 ulp of max(1, exp(x)) in absolute terms.
    return [g.node("Sub", [g.node("Exp", ins), _constant_like(g, eqn.invars[0], 1.0)])]


def _erfc(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    # 1 - erf(x): the same to about one float32 ulp of 1 in absolute terms.
    return [g.node("Sub", [_constant_like(g, eqn.invars[0], 1.0), g.node("Erf", ins)])]


def _is_finite(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    infinite_or_nan = g.node("Or", [g.node("IsInf", ins), g.node("IsNaN", ins)])
    return [g.node("Not", [infinite_or_nan])]


def _round(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    if eqn.params["rounding_method"] != lax.RoundingMethod.TO_NEAREST_EVEN:
        raise _unsupported(
            eqn, "only rounding half to even (jnp.round) has an ONNX operator (Round)"
        )
    return [g.node("Round", ins)]


def _integer_pow(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    # Square-and-multiply, the products XLA itself computes for x ** n with a literal n.
    exponent = int(eqn.params["y"])
    if exponent == 0:
        return [g.node("Pow", [ins[0], _constant_like(g, eqn.invars[0], 0)])]
    remaining, power, result = abs(exponent), ins[0], None
    while remaining:
        if remaining & 1:
            result = power if result is None else g.node("Mul", [result, power])
        remaining >>= 1
        if remaining:
            power = g.node("Mul", [power, power])
    assert result is not None
    if exponent < 0:
        result = g.node("Div", [_constant_like(g, eqn.invars[0], 1), result])
    return [result]


def _clamp(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    low, x, high = ins
    return [g.node("Min", [g.node("Max", [x, low]), high])]


def _select_n(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    which, *cases = ins
    if len(cases) == 1:
        return [cases[0]]
    if _is_bool(eqn.invars[0]):
        return [g.node("Where", [which, cases[1], cases[0]])]
    result = cases[0]
    for i, case in enumerate(cases[1:], start=1):
        chosen = g.node("Equal", [which, _constant_like(g, eqn.invars[0], i)])
        result = g.node("Where", [chosen, case, result])
    return [result]


def _convert_element_type(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    new = np.dtype(eqn.params["new_dtype"])
    if new == _dtype(eqn.invars[0]):
        return [ins[0]]
    return [g.node("Cast", ins, to=onnx_dtype(new))]


def _broadcast_in_dim(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    if len(ins) != 1:
        raise _unsupported(eqn, "dynamically shaped operands are not supported")
    out_shape = tuple(eqn.params["shape"])
    kept = [int(d) for d in eqn.params["broadcast_dimensions"]]
    new_axes = [i for i in range(len(out_shape)) if i not in kept]
    x = ins[0]
    if new_axes:
        x = g.node("Unsqueeze", [x, g.ints(new_axes)])
    # `broadcast_dimensions` is increasing, so the unsqueezed operand has the target layout.
    unsqueezed: list[Any] = [1] * len(out_shape)
    for source, target in zip(_shape(eqn.invars[0]), kept):
        unsqueezed[target] = source
    if not all(g.same_dim(a, b) for a, b in zip(unsqueezed, out_shape)):
        x = g.node("Expand", [x, g.shape(out_shape)])
    return [x]


def _reshape(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    if eqn.params.get("dimensions") is not None:
        raise _unsupported(eqn, "reshapes that transpose first (dimensions=...) are not supported")
    if len(ins) != 1:
        raise _unsupported(eqn, "dynamically shaped operands are not supported")
    return [g.node("Reshape", [ins[0], g.shape(tuple(eqn.params["new_sizes"]))], allowzero=1)]


def _squeeze(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    dims = tuple(eqn.params["dimensions"])
    if not dims:
        return [ins[0]]
    return [g.node("Squeeze", [ins[0], g.ints(dims)])]


def _transpose(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    return [g.node("Transpose", ins, perm=[int(p) for p in eqn.params["permutation"]])]


def _concatenate(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    return [g.node("Concat", ins, axis=int(eqn.params["dimension"]))]


def _stack(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    axis = g.ints([int(eqn.params["axis"])])
    pieces = [g.node("Unsqueeze", [x, axis]) for x in ins]
    return [g.node("Concat", pieces, axis=int(eqn.params["axis"]))]


def _tile(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    reps = tuple(eqn.params["reps"])
    if not all(is_static(r) for r in reps):
        raise _unsupported(eqn, f"the repetitions {reps} depend on the batch size")
    return [g.node("Tile", [ins[0], g.ints(reps)])]


def _split(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    sizes = tuple(eqn.params["sizes"])
    if not all(is_static(s) for s in sizes):
        raise _unsupported(eqn, f"split sizes {sizes} depend on the batch size")
    return g.multi_node(
        "Split", [ins[0], g.ints(sizes)], outputs=len(sizes), axis=int(eqn.params["axis"])
    )


def _slice(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    shape = _shape(eqn.invars[0])
    starts = tuple(eqn.params["start_indices"])
    limits = tuple(eqn.params["limit_indices"])
    strides = eqn.params["strides"] or (1,) * len(shape)
    ends: list[Any] = []
    for start, limit, size in zip(starts, limits, shape):
        if not is_static(start):
            raise _unsupported(eqn, f"the start {start} depends on the batch size")
        if is_static(limit):
            ends.append(limit)
        elif g.same_dim(limit, size):
            ends.append(_INT64_MAX)  # to the end, whatever the batch size
        else:
            raise _unsupported(eqn, f"the limit {limit} depends on the batch size")
    axes = list(range(len(shape)))
    return [g.node("Slice", [ins[0], g.ints(starts), g.ints(ends), g.ints(axes), g.ints(strides)])]


def _rev(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    axes = [int(d) for d in eqn.params["dimensions"]]
    if not axes:
        return [ins[0]]
    n = len(axes)
    starts, ends, steps = g.ints([-1] * n), g.ints([_INT64_MIN] * n), g.ints([-1] * n)
    return [g.node("Slice", [ins[0], starts, ends, g.ints(axes), steps])]


def _pad(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    config = [tuple(c) for c in eqn.params["padding_config"]]
    if any(not all(is_static(v) for v in c) for c in config):
        raise _unsupported(eqn, "padding that depends on the batch size is not supported")
    if any(interior != 0 or low < 0 or high < 0 for low, high, interior in config):
        raise _unsupported(eqn, "only non-negative edge padding (no interior padding)")
    pads = [low for low, _, _ in config] + [high for _, high, _ in config]
    return [g.node("Pad", [ins[0], g.ints(pads), ins[1]], mode="constant")]


def _iota(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    shape = tuple(eqn.params["shape"])
    if not all(is_static(s) for s in shape):
        raise _unsupported(eqn, f"the shape {shape} depends on the batch size")
    dimension = int(eqn.params["dimension"])
    index = np.arange(shape[dimension], dtype=np.dtype(eqn.params["dtype"]))
    view = [1] * len(shape)
    view[dimension] = shape[dimension]
    return [g.constant(np.broadcast_to(index.reshape(view), shape))]


def _dot_general(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
    lhs, rhs = eqn.invars
    if _dtype(lhs) != _dtype(rhs):
        raise _unsupported(eqn, f"operands of different dtypes {_dtype(lhs)} and {_dtype(rhs)}")
    (lhs_contract, rhs_contract), (lhs_batch, rhs_batch) = eqn.params["dimension_numbers"]
    letters = iter("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    lhs_letters = [next(letters) for _ in _shape(lhs)]
    rhs_letters: list[str] = [""] * len(_shape(rhs))
    for left, right in [*zip(lhs_contract, rhs_contract), *zip(lhs_batch, rhs_batch)]:
        rhs_letters[int(right)] = lhs_letters[int(left)]
    rhs_letters = [letter or next(letters) for letter in rhs_letters]
    shared_lhs = {int(d) for d in (*lhs_contract, *lhs_batch)}
    shared_rhs = {int(d) for d in (*rhs_contract, *rhs_batch)}
    # XLA's result order: batch dimensions, then the free ones of lhs, then those of rhs.
    out = [lhs_letters[int(d)] for d in lhs_batch]
    out += [c for i, c in enumerate(lhs_letters) if i not in shared_lhs]
    out += [c for i, c in enumerate(rhs_letters) if i not in shared_rhs]
    equation = f"{''.join(lhs_letters)},{''.join(rhs_letters)}->{''.join(out)}"
    result = g.node("Einsum", ins, equation=equation)
    if _dtype(eqn.outvars[0]) != _dtype(lhs):
        result = g.node("Cast", [result], to=onnx_dtype(_dtype(eqn.outvars[0])))
    return [result]


def _reduce(op: str) -> Handler:
    def handler(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
        axes = tuple(eqn.params["axes"])
        if not axes:  # ONNX would reduce over every axis
            return [ins[0]]
        return [g.node(op, [ins[0], g.ints(axes)], keepdims=0)]

    return handler


def _arg(op: str) -> Handler:
    def handler(g: GraphBuilder, eqn: JaxprEqn, ins: Sequence[str]) -> list[str]:
        (axis,) = eqn.params["axes"]
        index = g.node(op, ins, axis=int(axis), keepdims=0, select_last_index=0)
        dtype = np.dtype(eqn.params["index_dtype"])
        if dtype != np.dtype(np.int64):
            index = g.node("Cast", [index], to=onnx_dtype(dtype))
        return [index]

    return handler


_ELEMENTWISE = {
    "add": "Add",
    "add_any": "Add",
    "sub": "Sub",
    "mul": "Mul",
    "div": "Div",
    "max": "Max",
    "min": "Min",
    "pow": "Pow",
    "neg": "Neg",
    "exp": "Exp",
    "log": "Log",
    "tanh": "Tanh",
    "logistic": "Sigmoid",
    "abs": "Abs",
    "sign": "Sign",
    "sqrt": "Sqrt",
    "floor": "Floor",
    "ceil": "Ceil",
    "erf": "Erf",
    "sin": "Sin",
    "cos": "Cos",
    "tan": "Tan",
    "asin": "Asin",
    "acos": "Acos",
    "atan": "Atan",
    "sinh": "Sinh",
    "cosh": "Cosh",
    "asinh": "Asinh",
    "acosh": "Acosh",
    "atanh": "Atanh",
    "eq": "Equal",
    "lt": "Less",
    "le": "LessOrEqual",
    "gt": "Greater",
    "ge": "GreaterOrEqual",
}

PRIMITIVES: Mapping[str, Handler] = MappingProxyType(
    {
        **{name: _same_as(op) for name, op in _ELEMENTWISE.items()},
        "ne": _not_equal,
        "rem": _rem,
        "and": _logical("And", "BitwiseAnd"),
        "or": _logical("Or", "BitwiseOr"),
        "xor": _logical("Xor", "BitwiseXor"),
        "not": _logical("Not", "BitwiseNot"),
        "square": _square,
        "rsqrt": _rsqrt,
        "exp2": _exp2,
        "log1p": _log1p,
        "expm1": _expm1,
        "erfc": _erfc,
        "is_finite": _is_finite,
        "round": _round,
        "integer_pow": _integer_pow,
        "clamp": _clamp,
        "select_n": _select_n,
        "convert_element_type": _convert_element_type,
        "broadcast_in_dim": _broadcast_in_dim,
        "reshape": _reshape,
        "squeeze": _squeeze,
        "transpose": _transpose,
        "concatenate": _concatenate,
        "stack": _stack,
        "tile": _tile,
        "split": _split,
        "slice": _slice,
        "rev": _rev,
        "pad": _pad,
        "iota": _iota,
        "dot_general": _dot_general,
        "reduce_max": _reduce("ReduceMax"),
        "reduce_min": _reduce("ReduceMin"),
        "reduce_sum": _reduce("ReduceSum"),
        "reduce_prod": _reduce("ReduceProd"),
        "argmax": _arg("ArgMax"),
        "argmin": _arg("ArgMin"),
        "stop_gradient": _alias,
        "copy": _alias,
        "copy_p": _alias,
        "optimization_barrier": _alias,
        "sharding_constraint": _alias,
    }
)
"""Primitive name -> translation (read-only)."""

CALLS: Mapping[str, str] = MappingProxyType(
    {
        "jit": "jaxpr",
        "pjit": "jaxpr",
        "closed_call": "call_jaxpr",
        "core_call": "call_jaxpr",
        "custom_jvp_call": "call_jaxpr",
        "custom_vjp_call": "call_jaxpr",
        "custom_vjp_call_jaxpr": "fun_jaxpr",
        "checkpoint": "jaxpr",
        "remat2": "jaxpr",
    }
)
"""Call-like primitive name -> the parameter holding the body that is inlined (read-only)."""
