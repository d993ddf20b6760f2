"""Walking a jaxpr into ONNX nodes: dead code removed, calls inlined, primitives translated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from jax.extend.core import ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var

from ._builder import GraphBuilder, is_static
from ._primitives import CALLS, PRIMITIVES

_FOLD_LIMIT = 4096
"""Results of constant operands up to this many entries are computed at export time."""


def supported_primitives() -> list[str]:
    """Names of the JAX primitives `to_onnx` translates or inlines, sorted."""
    return sorted({*PRIMITIVES, *CALLS})


def emit_jaxpr(
    g: GraphBuilder,
    jaxpr: Jaxpr,
    consts: Sequence[Any],
    inputs: Sequence[str],
    needed: Sequence[bool],
) -> list[str | None]:
    """Add the nodes computing the `needed` outputs of `jaxpr` to `g`.

    Only the equations those outputs depend on are translated (the value head of an
    actor-critic, for instance, is left out), and only the constants they read become
    initializers.

    Args:
        g: The graph under construction.
        jaxpr: The (open) jaxpr.
        consts: Values of `jaxpr.constvars`.
        inputs: ONNX names of `jaxpr.invars`.
        needed: Which outputs to compute.

    Returns:
        The ONNX name of each needed output, `None` for the others.

    Raises:
        NotImplementedError: If a needed equation's primitive has no translation (the
            message names it).
    """
    names: dict[Var, str] = dict(zip(jaxpr.invars, inputs))
    const_values: dict[Var, Any] = dict(zip(jaxpr.constvars, consts))

    def read(atom: Any) -> str:
        if isinstance(atom, Literal):
            aval: Any = atom.aval
            return g.constant(np.asarray(atom.val, dtype=aval.dtype))
        if atom not in names:
            names[atom] = g.constant(const_values[atom])
        return names[atom]

    live = {v for v, need in zip(jaxpr.outvars, needed) if need and isinstance(v, Var)}
    live_eqns: list[JaxprEqn] = []
    for eqn in reversed(jaxpr.eqns):
        if any(v in live for v in eqn.outvars):
            live_eqns.append(eqn)
            live.update(v for v in eqn.invars if isinstance(v, Var))
    for eqn in reversed(live_eqns):
        outputs = _emit_equation(g, eqn, [read(v) for v in eqn.invars], live)
        for var, name in zip(eqn.outvars, outputs):
            if name is not None:
                names[var] = name
    return [read(v) if need else None for v, need in zip(jaxpr.outvars, needed)]


def reads_inputs(jaxpr: Jaxpr, which: Sequence[int] | range) -> bool:
    """Whether any output of `jaxpr` depends on one of the inputs numbered `which`.

    A backward pass over the equations, looking inside calls (`pjit`, `custom_jvp_call`, ...)
    so that a call reading other operands of the same call does not count.
    """
    live_inputs = _live_inputs(jaxpr, [True] * len(jaxpr.outvars))
    return any(live_inputs[i] for i in which)


def _live_inputs(jaxpr: Jaxpr, needed: Sequence[bool]) -> list[bool]:
    """Which inputs of `jaxpr` the `needed` outputs depend on."""
    live = {v for v, need in zip(jaxpr.outvars, needed) if need and isinstance(v, Var)}
    for eqn in reversed(jaxpr.eqns):
        wanted = [v in live for v in eqn.outvars]
        if not any(wanted):
            continue
        name = eqn.primitive.name
        body = eqn.params.get(CALLS[name]) if name in CALLS else None
        inner = body.jaxpr if isinstance(body, ClosedJaxpr) else body
        if isinstance(inner, Jaxpr) and len(inner.invars) == len(eqn.invars):
            reads = _live_inputs(inner, wanted)
        else:
            reads = [True] * len(eqn.invars)
        live.update(v for v, r in zip(eqn.invars, reads) if r and isinstance(v, Var))
    return [v in live for v in jaxpr.invars]


def _emit_equation(
    g: GraphBuilder, eqn: JaxprEqn, inputs: Sequence[str], live: set[Var]
) -> Sequence[str | None]:
    name = eqn.primitive.name
    if name in CALLS:
        body = eqn.params[CALLS[name]]
        jaxpr, consts = (body.jaxpr, body.consts) if isinstance(body, ClosedJaxpr) else (body, [])
        if len(jaxpr.invars) != len(inputs):
            raise NotImplementedError(
                f"to_onnx: JAX primitive {name!r} passes {len(inputs)} operands to a body "
                f"of {len(jaxpr.invars)} inputs"
            )
        return emit_jaxpr(g, jaxpr, consts, inputs, [v in live for v in eqn.outvars])
    if name not in PRIMITIVES:
        raise NotImplementedError(
            f"to_onnx: JAX primitive {name!r} has no ONNX translation; supported: "
            f"{', '.join(supported_primitives())}"
        )
    if _foldable(g, eqn, inputs):
        results = eqn.primitive.bind(*[g.values[i] for i in inputs], **eqn.params)
        results = results if eqn.primitive.multiple_results else [results]
        return [g.constant(np.asarray(r)) for r in results]
    return PRIMITIVES[name](g, eqn, inputs)


def _foldable(g: GraphBuilder, eqn: JaxprEqn, inputs: Sequence[str]) -> bool:
    """Whether to compute `eqn` now, with JAX, and store its result as a constant.

    True when every operand is a constant (the policy's weights, the action bounds, ...)
    and the results have static shapes and are not much larger than the operands: the
    broadcast biases and the ``high - low`` of the bounds are then computed by XLA itself,
    once, instead of at every call.
    """
    if not all(i in g.values for i in inputs):
        return False
    sizes = []
    for var in eqn.outvars:
        aval: Any = var.aval
        shape = tuple(aval.shape)
        if not all(is_static(d) for d in shape):
            return False
        sizes.append(int(np.prod(shape, dtype=np.int64)))
    largest_input = max((g.values[i].size for i in inputs), default=0)
    return max(sizes, default=0) <= max(largest_input, _FOLD_LIMIT)
