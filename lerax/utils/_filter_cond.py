"""`lax.cond` for pytrees that contain non-array leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import equinox as eqx
import jax

from .._types import BoolScalar


def filter_cond(
    pred: BoolScalar | bool,
    true_fun: Callable[..., Any],
    false_fun: Callable[..., Any],
    *args: Any,
    **kwargs: Any,
) -> Any:
    """Like `jax.lax.cond`, but operands and results may hold non-array leaves.

    Array leaves are traced through the conditional; every other leaf (activation
    functions, Python numbers, static configuration) is passed through unchanged, as in the
    `eqx.filter_*` transformations. Both branches must return the same non-array leaves.

    Args:
        pred: Scalar boolean choosing the branch.
        true_fun: Called as ``true_fun(*args, **kwargs)`` when `pred` is true.
        false_fun: Called as ``false_fun(*args, **kwargs)`` when `pred` is false.
        *args: Operands (any pytrees), passed positionally.
        **kwargs: Operands (any pytrees), passed by keyword.

    Returns:
        The output of the chosen branch.

    Example:
        >>> target = filter_cond(step % 100 == 0, lambda o, t: o, lambda o, t: t, policy, target)
    """
    dynamic, static = eqx.partition((args, kwargs), eqx.is_array)
    out_static: list[Any] = []

    def branch(fun: Callable[..., Any]) -> Callable[[Any], Any]:
        def run(dyn: Any) -> Any:
            call_args, call_kwargs = eqx.combine(dyn, static)
            out = fun(*call_args, **call_kwargs)
            out_dyn, out_st = eqx.partition(out, eqx.is_array)
            out_static.append(out_st)
            return out_dyn

        return run

    out_dynamic = jax.lax.cond(pred, branch(true_fun), branch(false_fun), dynamic)
    first, *rest = out_static
    for other in rest:
        if not eqx.tree_equal(first, other):
            raise ValueError(
                "filter_cond: true_fun and false_fun must return the same non-array leaves "
                f"(only array leaves may differ), got {first} and {other}"
            )
    return eqx.combine(out_dynamic, first)
