"""Schedules: functions of the iteration count that give a curriculum's value."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import jax.numpy as jnp
from jaxtyping import ArrayLike

from .._types import Array, Float, Int

Schedule = Callable[[Int[ArrayLike, ""]], Float[Array, "..."]]
"""A function from the iteration count to a value (traceable)."""


def _fraction(name: str, total: int) -> Callable[[Int[ArrayLike, ""]], Float[Array, ""]]:
    """`count / total` clipped to [0, 1], after checking `total`."""
    if isinstance(total, bool) or not isinstance(total, int) or total < 1:
        raise ValueError(f"{name}: total must be a positive int (iterations), got {total!r}")
    return lambda count: jnp.clip(jnp.asarray(count, jnp.float32) / total, 0.0, 1.0)


def linear_schedule(start: ArrayLike, end: ArrayLike, total: int) -> Schedule:
    """Linear interpolation from `start` (iteration 0) to `end` (iteration `total` and after).

    Args:
        start: Value at iteration 0.
        end: Value from iteration `total` on.
        total: Iterations the change takes.

    Returns:
        The schedule.

    Example:
        >>> gravity = linear_schedule(2.0, 10.0, total=100)
        >>> curriculum = ScheduledCurriculum(lambda env: env.env.g, gravity)
    """
    fraction = _fraction("linear_schedule", total)

    def schedule(count: Int[ArrayLike, ""]) -> Float[Array, "..."]:
        frac = fraction(count)
        return jnp.asarray(start) + frac * (jnp.asarray(end) - jnp.asarray(start))

    return schedule


def cosine_schedule(start: ArrayLike, end: ArrayLike, total: int) -> Schedule:
    """Half-cosine interpolation from `start` (iteration 0) to `end` (iteration `total`).

    The value is ``end + (start - end) * (1 + cos(pi * min(count, total) / total)) / 2``:
    slow at both ends, fastest in the middle.

    Args:
        start: Value at iteration 0.
        end: Value from iteration `total` on.
        total: Iterations the change takes.

    Returns:
        The schedule.
    """
    fraction = _fraction("cosine_schedule", total)

    def schedule(count: Int[ArrayLike, ""]) -> Float[Array, "..."]:
        weight = 0.5 * (1.0 + jnp.cos(jnp.pi * fraction(count)))
        return jnp.asarray(end) + weight * (jnp.asarray(start) - jnp.asarray(end))

    return schedule


def step_schedule(values: Sequence[ArrayLike], boundaries: Sequence[int]) -> Schedule:
    """Piecewise-constant values: `values[i]` from iteration `boundaries[i - 1]` on.

    Args:
        values: The values, one more than `boundaries`.
        boundaries: Increasing iteration counts at which the next value starts.

    Returns:
        The schedule.

    Raises:
        ValueError: If the lengths do not fit or the boundaries do not increase.

    Example:
        >>> step_schedule([0.5, 1.0, 2.0], [100, 200])(150)  # -> 1.0
    """
    values_array = jnp.stack([jnp.asarray(v) for v in values]) if len(values) else None
    boundaries = [int(b) for b in boundaries]
    if values_array is None or len(values) != len(boundaries) + 1:
        raise ValueError(
            f"step_schedule: needs one more value than boundaries, got {len(values)} values "
            f"and {len(boundaries)} boundaries"
        )
    if any(b1 >= b2 for b1, b2 in zip(boundaries, boundaries[1:])):
        raise ValueError(f"step_schedule: boundaries must increase, got {boundaries}")
    bounds = jnp.asarray(boundaries, jnp.int32)

    def schedule(count: Int[ArrayLike, ""]) -> Float[Array, "..."]:
        index = jnp.searchsorted(bounds, jnp.asarray(count, jnp.int32), side="right")
        return values_array[index]

    return schedule
