"""Metrics written as TensorBoard event files."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, final

import equinox as eqx

from ._backend import AbstractLoggingBackend


class _Writers:
    """One event-file writer per seed, opened on first use (hashed by identity)."""

    def __init__(self) -> None:
        self.by_seed: dict[int, Any] = {}


@final
class TensorBoardBackend(AbstractLoggingBackend):
    """Writes scalars to TensorBoard event files (needs the optional `tensorboard` package).

    Seed `i` writes to `log_dir/seed_{i}`, so that `tensorboard --logdir log_dir` shows the
    seeds of a vmapped run as separate runs on the same charts. Tags are the metric names;
    the x-axis is the global environment step.

    Args:
        log_dir: Folder for the event files (created when needed).

    Raises:
        ImportError: If `tensorboard` is not installed.

    Example:
        >>> callback = LoggingCallback(TensorBoardBackend("runs/dqn"), log_interval=100)
    """

    log_dir: Path = eqx.field(static=True)
    writers: _Writers = eqx.field(static=True)

    def __init__(self, log_dir: str | os.PathLike):
        _event_file_writer()  # fail now, not in the middle of training
        self.log_dir = Path(log_dir)
        self.writers = _Writers()

    def seed_dir(self, seed: int) -> Path:
        """The folder holding the events of seed `seed`."""
        return self.log_dir / f"seed_{seed}"

    def log(self, step: int, metrics: Mapping[str, float], *, seed: int) -> None:
        from tensorboard.compat.proto import event_pb2, summary_pb2

        writer = self.writers.by_seed.get(seed)
        if writer is None:
            self.seed_dir(seed).mkdir(parents=True, exist_ok=True)
            writer = _event_file_writer()(str(self.seed_dir(seed)))
            self.writers.by_seed[seed] = writer
        values = [
            summary_pb2.Summary.Value(tag=name, simple_value=float(value))
            for name, value in metrics.items()
        ]
        event = event_pb2.Event(step=int(step), summary=summary_pb2.Summary(value=values))
        writer.add_event(event)

    def flush(self) -> None:
        for writer in self.writers.by_seed.values():
            writer.flush()

    def close(self) -> None:
        for writer in self.writers.by_seed.values():
            writer.close()
        self.writers.by_seed.clear()


def _event_file_writer() -> Any:
    try:
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
    except ImportError as e:
        raise ImportError(
            "TensorBoardBackend needs the optional dependency `tensorboard`: "
            "pip install 'lerax[tensorboard]'"
        ) from e
    return EventFileWriter
