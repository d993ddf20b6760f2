"""Metrics printed to a stream."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Protocol, final, runtime_checkable

import equinox as eqx

from ._backend import AbstractLoggingBackend


@runtime_checkable
class TextStream(Protocol):
    """Anything with `write(str)` and `flush()`: files, `sys.stdout`, `io.StringIO`."""

    def write(self, s: str, /) -> int: ...

    def flush(self) -> None: ...


@final
class ConsoleBackend(AbstractLoggingBackend):
    """Prints one compact line per log event.

    Example line: `step 4000 | seed 0 | loss 0.0123 | epsilon 0.05 | episode_return 23.5`.

    Args:
        file: Stream to write to (default: `sys.stdout` at the time of each write).
        precision: Significant digits of the values.
    """

    file: TextStream | None = eqx.field(static=True, default=None)
    precision: int = eqx.field(static=True, default=4)

    def log(self, step: int, metrics: Mapping[str, float], *, seed: int) -> None:
        parts = [f"step {step}", f"seed {seed}"]
        parts += [f"{name} {value:.{self.precision}g}" for name, value in metrics.items()]
        print(" | ".join(parts), file=sys.stdout if self.file is None else self.file)

    def flush(self) -> None:
        (sys.stdout if self.file is None else self.file).flush()

    def close(self) -> None:
        self.flush()
