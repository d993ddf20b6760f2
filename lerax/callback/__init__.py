"""Callbacks: hooks into the compiled training loop."""

from ._backend import (
    AbstractLoggingBackend as AbstractLoggingBackend,
    AbstractSeededLoggingBackend as AbstractSeededLoggingBackend,
)
from ._check_finite import CheckFiniteCallback as CheckFiniteCallback
from ._console import ConsoleBackend as ConsoleBackend
from ._early_stopping import EarlyStoppingCallback as EarlyStoppingCallback
from ._empty import EmptyCallback as EmptyCallback
from ._list import CallbackList as CallbackList
from ._logging import (
    LoggingCallback as LoggingCallback,
    LoggingCallbackStepState as LoggingCallbackStepState,
)
from ._metrics import IterationMetrics as IterationMetrics
from ._progress_bar import ProgressBarCallback as ProgressBarCallback
from ._tensorboard import TensorBoardBackend as TensorBoardBackend
from ._wandb import WandbBackend as WandbBackend
from .base_callback import (
    AbstractCallback as AbstractCallback,
    AbstractCallbackState as AbstractCallbackState,
    AbstractCallbackStepState as AbstractCallbackStepState,
    AbstractContinueTrainingCallback as AbstractContinueTrainingCallback,
    AbstractIterationCallback as AbstractIterationCallback,
    AbstractStatelessCallback as AbstractStatelessCallback,
    AbstractStepCallback as AbstractStepCallback,
    AbstractTrainingCallback as AbstractTrainingCallback,
    EmptyCallbackState as EmptyCallbackState,
    EmptyCallbackStepState as EmptyCallbackStepState,
    IterationContext as IterationContext,
    ResetContext as ResetContext,
    StepContext as StepContext,
    TrainingContext as TrainingContext,
)
