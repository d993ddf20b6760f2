"""`lax.scan` whose carry may contain non-array leaves."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import equinox as eqx
import jax

Carry = TypeVar("Carry")
Y = TypeVar("Y")

_HAS_SPLIT_TRANSPOSE = "_split_transpose" in inspect.signature(jax.lax.scan).parameters


def filter_scan(
    f: Callable[[Carry, Any], tuple[Carry, Y]],
    init: Carry,
    xs: Any = None,
    length: int | None = None,
    reverse: bool = False,
    unroll: int | bool = 1,
    _split_transpose: bool = False,
) -> tuple[Carry, Y]:
    """Like `jax.lax.scan`, but `init`, `xs` and the outputs may hold non-array leaves.

    The array leaves of the carry are looped over; the rest (e.g. the static fields and
    activation functions inside an Equinox module) stay outside the loop and are handed to
    `f` unchanged each step. `f` must return a carry with the same non-array leaves. The
    non-array leaves of `xs` are passed to every step as they are, and the non-array leaves
    of the per-step outputs are returned once (unstacked).

    Args:
        f: ``f(carry, x) -> (carry, y)``.
        init: Initial carry.
        xs: Pytree scanned over its leading axis, or `None` (then give `length`).
        length: Number of steps when `xs` has no array leaves.
        reverse: Scan from the end.
        unroll: As in `jax.lax.scan`.
        _split_transpose: As in `jax.lax.scan` (experimental); `True` needs a JAX whose
            `lax.scan` accepts it.

    Returns:
        `(final_carry, stacked_ys)`.

    Raises:
        ValueError: If `f` changes a non-array leaf of the carry.
        TypeError: If `_split_transpose=True` and the installed JAX does not support it.

    Example:
        >>> policy, losses = filter_scan(update, policy, batches)
    """
    options: dict[str, Any] = {}
    if _split_transpose:
        if not _HAS_SPLIT_TRANSPOSE:
            raise TypeError(
                f"filter_scan: _split_transpose=True needs a jax.lax.scan that supports it; "
                f"JAX {jax.__version__} does not (leave _split_transpose=False)"
            )
        options["_split_transpose"] = True
    init_dynamic, init_static = eqx.partition(init, eqx.is_array)
    xs_dynamic, xs_static = eqx.partition(xs, eqx.is_array)
    ys_static: list[Any] = []

    def body(carry_dynamic: Any, x_dynamic: Any) -> tuple[Any, Any]:
        carry, y = f(eqx.combine(carry_dynamic, init_static), eqx.combine(x_dynamic, xs_static))
        new_dynamic, new_static = eqx.partition(carry, eqx.is_array)
        if not eqx.tree_equal(new_static, init_static):
            raise ValueError(
                "filter_scan: f must keep the non-array leaves of the carry unchanged (make a "
                f"changing value a JAX array); started with {init_static}, got {new_static}"
            )
        y_dynamic, y_static = eqx.partition(y, eqx.is_array)
        ys_static.append(y_static)
        return new_dynamic, y_dynamic

    final_dynamic, ys_dynamic = jax.lax.scan(
        body, init_dynamic, xs_dynamic, length=length, reverse=reverse, unroll=unroll, **options
    )
    return eqx.combine(final_dynamic, init_static), eqx.combine(ys_dynamic, ys_static[0])
