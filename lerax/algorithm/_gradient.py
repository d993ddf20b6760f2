"""One optimiser step on the leaves a filter spec selects: shared by every algorithm."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import equinox as eqx
import jax
import optax

from .._types import Array, Float


def gradient_step(
    optimizer: optax.GradientTransformation,
    model: Any,
    spec: Any,
    opt_state: optax.OptState,
    loss_fn: Callable[..., tuple[Float[Array, ""], Any]],
    *args: Any,
) -> tuple[Any, optax.OptState, Float[Array, ""], Any]:
    """Minimise `loss_fn(model, *args) -> (loss, aux)` by one optimiser step on the leaves
    `spec` selects.

    Returns:
        `(model, opt_state, loss, aux)`.
    """
    params, static = eqx.partition(model, spec)

    def loss(params):
        return loss_fn(eqx.combine(params, static), *args)

    (value, aux), grads = jax.value_and_grad(loss, has_aux=True)(params)
    updates, opt_state = optimizer.update(grads, opt_state, params)
    return eqx.apply_updates(model, updates), opt_state, value, aux
