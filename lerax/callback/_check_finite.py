"""Stop training at the first non-finite loss, parameter or optimiser state."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._types import Array, Bool, Key
from ..policy.base import parameters
from .base_callback import (
    AbstractIterationCallback,
    AbstractStatelessCallback,
    EmptyCallbackState,
    IterationContext,
)


def _finite(tree: Any) -> Bool[Array, ""]:
    """Whether every floating-point leaf outside spaces (whose bounds may be infinite) is
    finite."""
    leaves = jax.tree.leaves(eqx.filter(tree, parameters(tree)))
    if not leaves:
        return jnp.array(True)
    return jnp.all(jnp.stack([jnp.all(jnp.isfinite(x)) for x in leaves]))


def _raise(names: tuple[str, ...], iteration: Any, flags: Any) -> None:
    bad = [name for name, ok in zip(names, np.asarray(flags)) if not ok]
    raise FloatingPointError(
        f"training stopped at iteration {int(np.asarray(iteration))}: non-finite "
        f"{', '.join(bad)} (CheckFiniteCallback)"
    )


@final
class CheckFiniteCallback(AbstractStatelessCallback, AbstractIterationCallback):
    """Stops training at the first non-finite loss, parameter or optimiser state.

    After every iteration it checks, inside the compiled loop, that every metric the
    algorithm reports (its losses and statistics), every floating-point leaf of the policy
    (outside its spaces, whose bounds may be infinite) and of the optimiser state (where
    non-finite gradients end up) is finite. On the first
    failure an ordered host callback raises `FloatingPointError` naming the iteration and
    the quantities; JAX reports it as a `JaxRuntimeError` carrying that message, and the
    compiled run stops there. The host is called only on failure (under `vmap` over
    seeds the check becomes a select and the host is called every iteration).

    Opt-in: without it nothing is checked and nothing is added to the compiled program.

    Example:
        >>> algo.learn(env, policy, 100_000, key=key, callback=CheckFiniteCallback())
    """

    def on_iteration(self, ctx: IterationContext, *, key: Key) -> EmptyCallbackState:
        checks: dict[str, Bool[Array, ""]] = {
            f"metric {name!r}": jnp.all(jnp.isfinite(value))
            for name, value in ctx.training_log.items()
        }
        checks["policy parameters"] = _finite(ctx.policy)
        checks["optimiser state (gradients)"] = _finite(ctx.opt_state)
        names = tuple(checks)
        flags = jnp.stack(list(checks.values()))
        jax.lax.cond(
            jnp.all(flags),
            lambda: None,
            lambda: jax.debug.callback(
                lambda i, f: _raise(names, i, f), ctx.iteration_count, flags, ordered=True
            ),
        )
        return ctx.state
