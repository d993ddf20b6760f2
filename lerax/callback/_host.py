"""Helpers for callbacks that talk to the host from inside the compiled loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from .._types import Array, Int
from ..utils import callback_wrapper


def every(
    iteration: Int[Array, ""] | None, interval: int, host_fn: Callable[..., None], *args: Any
) -> None:
    """Call `host_fn(*args)` on the host after every `interval`-th iteration.

    The call is an ordered `jax.debug.callback` inside a `lax.cond` on the iteration index.
    The index comes from the training loop's scan and is never batched, so under
    `eqx.filter_vmap` over seeds the condition stays a real branch: the host round trip is
    paid only every `interval` iterations. JAX runs the callback once per batch element,
    element after element, so host code sees one call per seed (see `SeedCounter`).

    Args:
        iteration: Index of the iteration just finished (0-based): `IterationContext.iteration`,
            which lerax's training loop always sets.
        interval: Call on iterations `interval - 1, 2 * interval - 1, ...`.
        host_fn: Host function; receives NumPy arrays.
        *args: Pytrees of arrays handed to `host_fn`.

    Raises:
        ValueError: If `iteration` is None (a context not built by the training loop).
    """
    every_computed(iteration, interval, host_fn, lambda: args)


def every_computed(
    iteration: Int[Array, ""] | None,
    interval: int,
    host_fn: Callable[..., None],
    compute: Callable[[], tuple[Any, ...]],
) -> None:
    """`every`, with arguments that are computed only on the iterations that call.

    `compute()` is traced inside the `lax.cond` branch, so costly work (e.g. rolling out an
    evaluation episode) runs only every `interval` iterations.

    Args:
        iteration: As in `every`.
        interval: As in `every`.
        host_fn: Host function; receives NumPy arrays.
        compute: Returns the tuple of pytrees of arrays handed to `host_fn`.

    Raises:
        ValueError: If `iteration` is None (a context not built by the training loop).
    """
    if iteration is None:
        raise ValueError(
            "every: the iteration index is None; host callbacks need the "
            "IterationContext.iteration that lerax's training loop sets"
        )

    def call() -> None:
        callback_wrapper(host_fn, ordered=True)(*compute())

    if interval == 1:
        call()
    else:
        jax.lax.cond(jnp.remainder(iteration + 1, interval) == 0, call, lambda: None)


def emit(host_fn: Callable[..., None], *args: Any) -> None:
    """Call `host_fn(*args)` on the host once (per batch element), in program order."""
    callback_wrapper(host_fn, ordered=True)(*args)


class SeedCounter:
    """Tells which seed a host call belongs to when training is vmapped over seeds.

    Under `vmap`, an ordered debug callback runs once per batch element, in batch order,
    and every element is at the same global step. So the `i`-th call at a given step is
    seed `i`; a new step starts again at seed 0. Without `vmap` every call is seed 0.
    """

    def __init__(self) -> None:
        self.step: int | None = None
        self.seed = 0

    def reset(self) -> None:
        """Forget the last step (at the start of a run)."""
        self.step = None
        self.seed = 0

    def __call__(self, step: int) -> int:
        """Register a call at `step` and return its seed index."""
        if step == self.step:
            self.seed += 1
        else:
            self.step = step
            self.seed = 0
        return self.seed
