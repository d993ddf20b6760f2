"""The callback that does nothing."""

from __future__ import annotations

from typing import final

import jax.numpy as jnp

from .._types import Array, Bool, Key
from .base_callback import (
    AbstractCallback,
    IterationContext,
    ResetContext,
    StepContext,
    TrainingContext,
)


@final
class EmptyCallback(AbstractCallback[None, None]):
    """A callback with no effect (the default); it compiles away."""

    def reset(self, ctx: ResetContext, *, key: Key) -> None:
        return None

    def step_reset(self, ctx: ResetContext, *, key: Key) -> None:
        return None

    def on_step(self, ctx: StepContext, *, key: Key) -> None:
        return None

    def on_iteration(self, ctx: IterationContext, *, key: Key) -> None:
        return None

    def on_training_start(self, ctx: TrainingContext, *, key: Key) -> None:
        return None

    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> None:
        return None

    def continue_training(self, ctx: IterationContext) -> Bool[Array, ""]:
        return jnp.array(True)
