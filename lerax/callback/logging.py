"""Logging callbacks and backends (the documented import path `lerax.callback.logging`)."""

from ._backend import (
    AbstractLoggingBackend as AbstractLoggingBackend,
    AbstractSeededLoggingBackend as AbstractSeededLoggingBackend,
)
from ._console import ConsoleBackend as ConsoleBackend
from ._logging import (
    LoggingCallback as LoggingCallback,
    LoggingCallbackStepState as LoggingCallbackStepState,
)
from ._tensorboard import TensorBoardBackend as TensorBoardBackend
from ._wandb import WandbBackend as WandbBackend
