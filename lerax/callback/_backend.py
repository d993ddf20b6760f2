"""The interface of logging backends."""

from __future__ import annotations

import abc
from collections.abc import Mapping

import equinox as eqx


class AbstractLoggingBackend(eqx.Module):
    """Where `LoggingCallback` sends metrics; runs on the host.

    Backends are compared and hashed like any module (their host resources sit in fields
    compared by identity), so they can be static fields of a callback.
    """

    @abc.abstractmethod
    def log(self, step: int, metrics: Mapping[str, float], *, seed: int) -> None:
        """Record `metrics` at environment step `step` for seed `seed`.

        Args:
            step: Global environment step.
            metrics: Scalar metrics by name.
            seed: Index of the seed (batch element) when training is vmapped over
                seeds; `0` otherwise.
        """

    @abc.abstractmethod
    def flush(self) -> None:
        """Make everything logged so far durable (called at the end of each run)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the backend's resources (files, runs); logging again reopens them."""
