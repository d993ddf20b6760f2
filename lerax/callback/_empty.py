"""The callback that does nothing."""

from __future__ import annotations

from typing import final

from .base_callback import AbstractStatelessCallback


@final
class EmptyCallback(AbstractStatelessCallback):
    """A callback with no effect (the default); it compiles away."""
