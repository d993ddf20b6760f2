"""Callbacks: hooks into the compiled training loop."""

from ._backend import AbstractLoggingBackend as AbstractLoggingBackend
from ._console import ConsoleBackend as ConsoleBackend
from ._early_stopping import EarlyStoppingCallback as EarlyStoppingCallback
from ._empty import EmptyCallback as EmptyCallback
from ._list import CallbackList as CallbackList
from ._logging import LoggingCallback as LoggingCallback
from ._metrics import IterationMetrics as IterationMetrics
from ._progress_bar import ProgressBarCallback as ProgressBarCallback
from ._tensorboard import TensorBoardBackend as TensorBoardBackend
from ._wandb import WandbBackend as WandbBackend
from .base_callback import (
    AbstractCallback as AbstractCallback,
    AbstractStatelessCallback as AbstractStatelessCallback,
    IterationContext as IterationContext,
    ResetContext as ResetContext,
    StepContext as StepContext,
    TrainingContext as TrainingContext,
)
