"""Which leaves of a policy an optimiser trains."""

from __future__ import annotations

from typing import Any

import equinox as eqx
import jax

from ..space import AbstractSpace


def trainable(policy: Any, *, frozen: tuple[str, ...] = ()) -> Any:
    """A filter spec selecting a policy's trainable leaves.

    Floating-point arrays are trainable, except those inside spaces (bounds) and the
    top-level fields named in `frozen` (e.g. `("epsilon",)`).

    Args:
        policy: The policy (any Equinox module).
        frozen: Names of top-level fields to exclude.

    Returns:
        A pytree of booleans shaped like `policy`, for `eqx.partition` / `eqx.filter`.
    """
    spec = jax.tree.map(
        lambda x: False if isinstance(x, AbstractSpace) else eqx.is_inexact_array(x),
        policy,
        is_leaf=lambda x: isinstance(x, AbstractSpace),
    )
    for name in frozen:
        spec = eqx.tree_at(lambda p, n=name: getattr(p, n), spec, replace_fn=lambda _: False)
    return spec


def is_concrete(x: Any) -> bool:
    """Whether `x` is a Python number or a concrete (non-traced) array."""
    return not isinstance(x, jax.core.Tracer) and not callable(x)
