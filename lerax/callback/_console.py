"""Metrics printed to a stream."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, Protocol, final, runtime_checkable

import equinox as eqx
import numpy as np

from ._backend import AbstractSeededLoggingBackend


@runtime_checkable
class TextStream(Protocol):
    """Anything with `write(str)` and `flush()`: files, `sys.stdout`, `io.StringIO`."""

    def write(self, s: str, /) -> int: ...

    def flush(self) -> None: ...


@final
class ConsoleBackend(AbstractSeededLoggingBackend):
    """Prints one compact line per log event.

    Example line: `step 4000 | seed 0 | loss 0.0123 | epsilon 0.05 | episode_return 23.5`.
    Hyperparameters are printed once per run, on one line; an evaluation video as a note
    of its size (`step 4000 | seed 0 | video evaluation_video: 129x480x640x3 frames at 50 fps`).

    Args:
        file: Stream to write to (default: `sys.stdout` at the time of each write).
        precision: Significant digits of the values.
    """

    file: TextStream | None = eqx.field(static=True, default=None)
    precision: int = eqx.field(static=True, default=4)

    def _print(self, line: str) -> None:
        print(line, file=sys.stdout if self.file is None else self.file)

    def open(self, name: str | None) -> None:
        if name is not None:
            self._print(f"run {name}")

    def log_hparams(self, hparams: Mapping[str, Any]) -> None:
        self._print("hparams | " + " | ".join(f"{k} {v}" for k, v in hparams.items()))

    def log_scalars(self, scalars: Mapping[str, float], step: int, *, seed: int = 0) -> None:
        parts = [f"step {step}", f"seed {seed}"]
        parts += [f"{name} {value:.{self.precision}g}" for name, value in scalars.items()]
        self._print(" | ".join(parts))

    def log_video(self, tag: str, frames: Any, step: int, fps: float, *, seed: int = 0) -> None:
        shape = "x".join(str(n) for n in np.shape(frames))
        self._print(f"step {step} | seed {seed} | video {tag}: {shape} frames at {fps:g} fps")

    def flush(self) -> None:
        (sys.stdout if self.file is None else self.file).flush()

    def close(self) -> None:
        self.flush()
