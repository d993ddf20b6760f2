"""Small predicates on hyperparameters."""

from __future__ import annotations

from typing import Any

import jax


def is_concrete(x: Any) -> bool:
    """Whether `x` is a Python number or a concrete (non-traced) array."""
    return not isinstance(x, jax.core.Tracer) and not callable(x)
