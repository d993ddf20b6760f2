"""Metrics sent to Weights & Biases."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any, final

import equinox as eqx

from ._backend import AbstractLoggingBackend


class _Run:
    """The `wandb.init` arguments and the run, started on first use (hashed by identity)."""

    def __init__(self, init_kwargs: dict[str, Any]) -> None:
        self.init_kwargs = init_kwargs
        self.run: Any = None


@final
class WandbBackend(AbstractLoggingBackend):
    """Logs to a Weights & Biases run (needs the optional `wandb` package).

    The run is started with `wandb.init(project=project, **init_kwargs)` at the first log
    event and finished by `close()`. Metric `name` of seed `i` is logged under the key
    `seed_{i}/{name}` (seed 0 alone without `vmap`), at the global environment step.
    Offline use: set `WANDB_MODE=offline` (or pass `mode="offline"`).

    Args:
        project: The wandb project.
        **init_kwargs: Further arguments of `wandb.init` (`entity`, `name`, `config`,
            `dir`, `mode`, ...).

    Raises:
        ImportError: If `wandb` is not installed.

    Example:
        >>> backend = WandbBackend(project="lerax", config={"algo": "dqn"})
    """

    project: str | None = eqx.field(static=True)
    current: _Run = eqx.field(static=True)

    def __init__(self, project: str | None = None, **init_kwargs: Any):
        _wandb()  # fail now, not in the middle of training
        self.project = project
        self.current = _Run(dict(init_kwargs))

    @property
    def run(self) -> Any:
        """The wandb run, started when needed."""
        if self.current.run is None:
            self.current.run = _wandb().init(project=self.project, **self.current.init_kwargs)
        return self.current.run

    def log(self, step: int, metrics: Mapping[str, float], *, seed: int) -> None:
        data = {f"seed_{seed}/{name}": float(value) for name, value in metrics.items()}
        self.run.log(data, step=int(step))

    def flush(self) -> None:
        return None

    def close(self) -> None:
        if self.current.run is not None:
            self.current.run.finish()
            self.current.run = None


def _wandb() -> ModuleType:
    try:
        import wandb
    except ImportError as e:
        raise ImportError(
            "WandbBackend needs the optional dependency `wandb`: pip install 'lerax[wandb]'"
        ) from e
    return wandb
