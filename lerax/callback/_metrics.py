"""What every algorithm reports after each iteration, declared once."""

from __future__ import annotations

import dataclasses
from typing import Any, final

import equinox as eqx
import jax.numpy as jnp

from .._types import Array, Float


@final
class IterationMetrics(eqx.Module):
    """The metrics an algorithm reports after each iteration (read by callbacks).

    The episode statistics are filled in by the shared training loop from the environment
    steps it took, so every algorithm reports them alike; `stats` holds the algorithm's own
    typed statistics (losses, KL divergence, exploration rate, ...).

    Attributes:
        episode_return: Mean over environments of the return of each one's last finished
            episode (zero before any episode has finished).
        episode_length: The same for episode lengths.
        episodes: Episodes finished so far, all environments together.
        stats: The algorithm's statistics: an Equinox module of scalar fields (for example
            `PPOStats`) or a dict of scalars.

    Example:
        >>> ctx.metrics.episode_return       # in a callback's on_iteration
        >>> ctx.metrics.scalars()["approx_kl"]
    """

    episode_return: Float[Array, ""]
    episode_length: Float[Array, ""]
    episodes: Float[Array, ""]
    stats: Any = None

    def scalars(self) -> dict[str, Float[Array, ""]]:
        """Every metric by name: the episode statistics, then the algorithm's own."""
        out = {
            "episode_return": self.episode_return,
            "episode_length": self.episode_length,
            "episodes": self.episodes,
        }
        if isinstance(self.stats, dict):
            out.update(self.stats)
        elif dataclasses.is_dataclass(self.stats):
            for field in dataclasses.fields(self.stats):
                out[field.name] = getattr(self.stats, field.name)
        return {name: jnp.asarray(value, jnp.float32) for name, value in out.items()}
