"""`lax.scan` whose carry may contain non-array leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import equinox as eqx
import jax

Carry = TypeVar("Carry")
Y = TypeVar("Y")


def filter_scan(
    f: Callable[[Carry, Any], tuple[Carry, Y]],
    init: Carry,
    xs: Any,
    length: int | None = None,
    reverse: bool = False,
    unroll: int | bool = 1,
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

    Returns:
        `(final_carry, stacked_ys)`.

    Example:
        >>> policy, losses = filter_scan(update, policy, batches)
    """
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
        body, init_dynamic, xs_dynamic, length=length, reverse=reverse, unroll=unroll
    )
    return eqx.combine(final_dynamic, init_static), eqx.combine(ys_dynamic, ys_static[0])
