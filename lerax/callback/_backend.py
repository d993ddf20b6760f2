"""The interface of logging backends."""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any

import equinox as eqx


class AbstractLoggingBackend(eqx.Module):
    """Where `LoggingCallback` sends metrics; runs on the host.

    A backend implements `log_scalars`; the other methods default to doing nothing.
    Backends are compared and hashed like any module (their host resources sit in fields
    compared by identity), so they can be static fields of a callback.
    """

    def open(self, name: str | None) -> None:
        """Start a run called `name` (called when training starts)."""
        return None

    def on_training_start(self, total_timesteps: int, total_iterations: int) -> None:
        """Told the length of the run that starts."""
        return None

    def log_hparams(self, hparams: Mapping[str, Any]) -> None:
        """Record the run's hyperparameters (called once per run)."""
        return None

    @abc.abstractmethod
    def log_scalars(self, scalars: Mapping[str, float], step: int) -> None:
        """Record `scalars` at environment step `step`."""

    def log_video(self, tag: str, frames: Any, step: int, fps: float) -> None:
        """Record a video (`frames`: `uint8[T, H, W, 3]`, `fps` frames per second) at `step`.

        `LoggingCallback(video_interval=...)` sends its evaluation videos here.
        """
        return None

    def flush(self) -> None:
        """Make everything logged so far durable (called at the end of each run)."""
        return None

    def close(self) -> None:
        """Release the backend's resources (files, runs); logging again reopens them."""
        return None


class AbstractSeededLoggingBackend(AbstractLoggingBackend):
    """A backend that keeps the seeds of a vmapped run apart.

    Under `eqx.filter_vmap` over seeds, `LoggingCallback` hands seed `i` to these
    backends as `seed=i` (scalars and videos); other backends receive its scalars and
    videos renamed `seed_{i}/{name}` (seed 0 unchanged).
    """

    @abc.abstractmethod
    def log_scalars(self, scalars: Mapping[str, float], step: int, *, seed: int = 0) -> None:
        """Record `scalars` of seed `seed` at environment step `step`."""

    def log_video(self, tag: str, frames: Any, step: int, fps: float, *, seed: int = 0) -> None:
        """Record a video of seed `seed` (`frames`: `uint8[T, H, W, 3]`) at `step`."""
        return None
