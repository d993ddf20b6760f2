"""The callback that does nothing."""

from __future__ import annotations

from typing import final

import jax.numpy as jnp

from .._types import Array, Bool, Key
from .base_callback import (
    AbstractStatelessCallback,
    IterationContext,
    TrainingContext,
)


@final
class EmptyCallback(AbstractStatelessCallback):
    """A callback with no effect (the default); it compiles away."""

    def on_iteration(self, ctx: IterationContext, *, key: Key) -> None:
        return None

    def on_training_start(self, ctx: TrainingContext, *, key: Key) -> None:
        return None

    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> None:
        return None

    def continue_training(self, ctx: IterationContext) -> Bool[Array, ""]:
        return jnp.array(True)
