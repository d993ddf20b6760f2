"""Callbacks: hooks into the compiled training loop."""

from ._empty import EmptyCallback as EmptyCallback
from .base_callback import (
    AbstractCallback as AbstractCallback,
    IterationContext as IterationContext,
    ResetContext as ResetContext,
    StepContext as StepContext,
    TrainingContext as TrainingContext,
)
