"""The abstract buffer."""

from __future__ import annotations

import abc
from typing import Any

import equinox as eqx

from .._types import Key


class AbstractBuffer(eqx.Module):
    """Functional storage of experience: methods return new buffers, never mutate."""

    @abc.abstractmethod
    def sample(self, batch_size: int, *, key: Key) -> Any:
        """Draw a random minibatch of `batch_size` items (a static size).

        Args:
            batch_size: Number of items, at least 1.
            key: PRNG key.

        Returns:
            A pytree of arrays with a leading axis of length `batch_size`.
        """


def check_batch_size(batch_size: int, limit: int, who: str, what: str) -> None:
    """Raise unless `batch_size` is an int in ``[1, limit]``."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int):
        raise TypeError(f"{who}: batch_size must be an int, got {batch_size!r}")
    if not 1 <= batch_size <= limit:
        raise ValueError(
            f"{who}: batch_size must be between 1 and {what} ({limit}), got {batch_size}"
        )
