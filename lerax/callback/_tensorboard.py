"""Metrics written as TensorBoard event files."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, final

import equinox as eqx
import numpy as np

from ._backend import AbstractSeededLoggingBackend


class _Writers:
    """The current run's folder and one event-file writer per seed (hashed by identity)."""

    def __init__(self) -> None:
        self.by_seed: dict[int, Any] = {}
        self.run_dir: Path | None = None


@final
class TensorBoardBackend(AbstractSeededLoggingBackend):
    """Writes scalars and hyperparameters to TensorBoard event files.

    Needs the optional `tensorboard` package. Every training run gets a folder of its own,
    `log_dir/{name}_{k}` (`name` from `LoggingCallback`, `"run"` without one; `k` one more
    than the highest already there), and seed `i` of a vmapped run writes to its
    `seed_{i}` subfolder, so that `tensorboard --logdir log_dir` shows runs and seeds side
    by side. Tags are the metric names; the x-axis is the global environment step.
    Hyperparameters go to TensorBoard's HParams tab. Videos are written as animated GIF
    image summaries (as tensorboardX's `add_video` does; they play in the Images tab, and
    encoding them needs `imageio`). The files are closed at the end of each run.

    Args:
        log_dir: Folder for the event files (created when needed).

    Raises:
        ImportError: If `tensorboard` is not installed.

    Example:
        >>> callback = LoggingCallback(TensorBoardBackend("runs/dqn"))
    """

    log_dir: Path = eqx.field(static=True)
    writers: _Writers = eqx.field(static=True)

    def __init__(self, log_dir: str | os.PathLike = "logs"):
        _event_file_writer()  # fail now, not in the middle of training
        self.log_dir = Path(log_dir)
        self.writers = _Writers()

    def seed_dir(self, seed: int) -> Path:
        """The folder holding the events of seed `seed` in the current run."""
        if self.writers.run_dir is None:
            self.open(None)
        assert self.writers.run_dir is not None
        return self.writers.run_dir / f"seed_{seed}"

    def _writer(self, seed: int) -> Any:
        writer = self.writers.by_seed.get(seed)
        if writer is None:
            self.seed_dir(seed).mkdir(parents=True, exist_ok=True)
            writer = _event_file_writer()(str(self.seed_dir(seed)))
            self.writers.by_seed[seed] = writer
        return writer

    def open(self, name: str | None) -> None:
        self.close()
        prefix = name or "run"
        taken = [
            int(path.name[len(prefix) + 1 :])
            for path in self.log_dir.glob(f"{prefix}_*")
            if path.name[len(prefix) + 1 :].isdigit()
        ]
        self.writers.run_dir = self.log_dir / f"{prefix}_{max(taken, default=0) + 1}"

    def log_hparams(self, hparams: Mapping[str, Any]) -> None:
        from tensorboard.compat.proto import event_pb2
        from tensorboard.plugins.hparams import summary_v2

        values = {
            k: v if isinstance(v, bool | int | float | str) else str(v) for k, v in hparams.items()
        }
        # Protobuf-generated classes are invisible to static checkers.
        event = event_pb2.Event(summary=summary_v2.hparams_pb(values))  # pyright: ignore[reportAttributeAccessIssue]
        self._writer(0).add_event(event)

    def log_scalars(self, scalars: Mapping[str, float], step: int, *, seed: int = 0) -> None:
        from tensorboard.compat.proto import event_pb2, summary_pb2

        values = [
            summary_pb2.Summary.Value(tag=name, simple_value=float(value))  # pyright: ignore[reportAttributeAccessIssue]
            for name, value in scalars.items()
        ]
        event = event_pb2.Event(step=int(step), summary=summary_pb2.Summary(value=values))  # pyright: ignore[reportAttributeAccessIssue]
        self._writer(seed).add_event(event)

    def log_video(self, tag: str, frames: Any, step: int, fps: float, *, seed: int = 0) -> None:
        from tensorboard.compat.proto import event_pb2, summary_pb2

        frames = np.asarray(frames, np.uint8)
        if frames.ndim != 4 or frames.shape[-1] != 3:
            raise ValueError(
                f"TensorBoardBackend: frames must be uint8[T, H, W, 3], got shape {frames.shape}"
            )
        _, height, width, _ = frames.shape
        image = summary_pb2.Summary.Image(  # pyright: ignore[reportAttributeAccessIssue]
            height=height, width=width, colorspace=3, encoded_image_string=encode_gif(frames, fps)
        )
        value = summary_pb2.Summary.Value(tag=tag, image=image)  # pyright: ignore[reportAttributeAccessIssue]
        event = event_pb2.Event(step=int(step), summary=summary_pb2.Summary(value=[value]))  # pyright: ignore[reportAttributeAccessIssue]
        self._writer(seed).add_event(event)

    def flush(self) -> None:
        for writer in self.writers.by_seed.values():
            writer.flush()

    def close(self) -> None:
        for writer in self.writers.by_seed.values():
            writer.close()
        self.writers.by_seed.clear()
        self.writers.run_dir = None


def _event_file_writer() -> Any:
    try:
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
    except ImportError as e:
        raise ImportError(
            "TensorBoardBackend needs the optional dependency `tensorboard`: "
            "pip install 'lerax[tensorboard]'"
        ) from e
    return EventFileWriter


def encode_gif(frames: Any, fps: float) -> bytes:
    """Encode `uint8[T, H, W, 3]` frames as an animated GIF that loops forever."""
    try:
        import imageio.v3 as iio
    except ImportError as e:
        raise ImportError(
            "TensorBoardBackend writes videos as GIFs with imageio, which the base install "
            'of lerax leaves out: pip install "lerax[render]"'
        ) from e
    duration = 1000.0 / fps  # milliseconds per frame
    frames = np.asarray(frames, np.uint8)
    return iio.imwrite("<bytes>", frames, extension=".gif", duration=duration, loop=0)
