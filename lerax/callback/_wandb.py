"""Metrics sent to Weights & Biases."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any, final

import equinox as eqx
import numpy as np

from ._backend import AbstractSeededLoggingBackend


class _Run:
    """The `wandb.init` arguments and the run, started on first use (hashed by identity)."""

    def __init__(self, init_kwargs: dict[str, Any]) -> None:
        self.init_kwargs = init_kwargs
        self.name: str | None = None
        self.run: Any = None
        self.last: Any = None


@final
class WandbBackend(AbstractSeededLoggingBackend):
    """Logs to a Weights & Biases run (needs the optional `wandb` package).

    A wandb run is started with `wandb.init(project=project, config=config, ...)` at the
    first log event of each training run and finished at its end (`close()`). Metric
    `name` of seed `i` is logged under the key `seed_{i}/{name}` (seed 0 alone without
    `vmap`), at the global environment step; so are evaluation videos (`wandb.Video`).
    Offline use: set `WANDB_MODE=offline` (or pass `mode="offline"`).

    Args:
        project: The wandb project.
        config: The run's configuration (hyperparameters), as `wandb.init(config=...)`.
        quiet: Silence wandb's console output.
        **init_kwargs: Further arguments of `wandb.init` (`entity`, `name`, `dir`,
            `mode`, ...).

    Raises:
        ImportError: If `wandb` is not installed.

    Example:
        >>> backend = WandbBackend(project="lerax", config={"algo": "dqn"})
    """

    project: str | None = eqx.field(static=True)
    quiet: bool = eqx.field(static=True)
    current: _Run = eqx.field(static=True)

    def __init__(
        self,
        project: str | None = None,
        config: Mapping[str, Any] | None = None,
        quiet: bool = False,
        **init_kwargs: Any,
    ):
        wandb = _wandb()  # fail now, not in the middle of training
        if config is not None:
            init_kwargs["config"] = dict(config)
        if quiet:
            init_kwargs.setdefault("settings", wandb.Settings(quiet=True, silent=True))
        self.project = project
        self.quiet = quiet
        self.current = _Run(dict(init_kwargs))

    @property
    def run(self) -> Any:
        """The wandb run, started when needed."""
        if self.current.run is None:
            kwargs = dict(self.current.init_kwargs)
            if self.current.name is not None:
                kwargs.setdefault("name", self.current.name)
            self.current.run = _wandb().init(project=self.project, **kwargs)
        return self.current.run

    def open(self, name: str | None) -> None:
        self.close()
        self.current.name = name

    def log_hparams(self, hparams: Mapping[str, Any]) -> None:
        self.run.config.update(dict(hparams), allow_val_change=True)

    def log_scalars(self, scalars: Mapping[str, float], step: int, *, seed: int = 0) -> None:
        data = {f"seed_{seed}/{name}": float(value) for name, value in scalars.items()}
        self.run.log(data, step=int(step))

    def log_video(self, tag: str, frames: Any, step: int, fps: float, *, seed: int = 0) -> None:
        video = np.transpose(np.asarray(frames, np.uint8), (0, 3, 1, 2))  # wandb wants T C H W
        video_fps = max(1, int(round(fps)))
        self.run.log({f"seed_{seed}/{tag}": _wandb().Video(video, fps=video_fps)}, step=int(step))

    def close(self) -> None:
        if self.current.run is not None:
            self.current.run.finish()
            self.current.last = self.current.run
            self.current.run = None


def _wandb() -> ModuleType:
    try:
        import wandb
    except ImportError as e:
        raise ImportError(
            "WandbBackend needs the optional dependency `wandb`: pip install 'lerax[wandb]'"
        ) from e
    return wandb
