"""A rich progress bar for training runs."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import numpy as np
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from .._types import Key
from ._host import emit, every
from .base_callback import (
    AbstractIterationCallback,
    AbstractStatelessCallback,
    AbstractTrainingCallback,
    EmptyCallbackState,
    IterationContext,
    TrainingContext,
)


class _SpeedColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("? steps/s" if speed is None else f"{speed:,.0f} steps/s", style="cyan")


class _ReturnColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        value = task.fields.get("episode_return")
        return Text("" if value is None else f"return {value:.4g}", style="green")


class ProgressBarHost:
    """The host side of `ProgressBarCallback`: owns the rich `Progress` of the current run.

    Compared and hashed by identity, so it can sit in a static field. Under `vmap` over
    seeds every host call arrives once per seed; the bar advances only when the global step
    does, and the return shown is the mean over the seeds reported at that step.

    Attributes:
        console: Where the bar is drawn (`None`: rich's default console).
        progress: The bar of the run in progress (`None` between runs); its single task
            holds `completed` (global step), `total` and the field `episode_return`.
    """

    def __init__(self, console: Console | None = None, name: str = "training") -> None:
        self.console = console
        self.name = name
        self.progress: Progress | None = None
        self._task: Any = None
        self._step = -1
        self._returns: list[float] = []

    def start(self, step: Any, total: int) -> None:
        """Open a bar at `step` of `total` (repeated calls from other seeds are ignored)."""
        if self.progress is not None:
            return
        step = int(np.asarray(step))
        if step >= total:  # resumed run whose total only counts this call's steps
            total = step + total
        self.progress = Progress(
            TextColumn(f"[bold]{self.name}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("steps"),
            _SpeedColumn(),
            _ReturnColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.console,
            refresh_per_second=5,
        )
        self._task = self.progress.add_task("training", total=total, completed=step)
        self._step = step
        self._returns = []
        self.progress.start()

    def update(self, step: Any, episode_return: Any = None) -> None:
        """Move the bar to `step` and show the mean `episode_return` over seeds."""
        if self.progress is None:
            return
        step = int(np.asarray(step))
        if step != self._step:
            self._step = step
            self._returns = []
        fields: dict[str, Any] = {}
        if episode_return is not None:
            self._returns.append(float(np.asarray(episode_return)))
            fields["episode_return"] = float(np.mean(self._returns))
        self.progress.update(self._task, completed=step, **fields)

    def stop(self, step: Any) -> None:
        """Show the final step and close the bar (repeated calls are ignored)."""
        if self.progress is None:
            return
        if step is not None:
            self.progress.update(self._task, completed=int(np.asarray(step)))
        self.progress.stop()
        self.progress = None


@final
class ProgressBarCallback(
    AbstractStatelessCallback, AbstractTrainingCallback, AbstractIterationCallback
):
    """A rich progress bar: steps done, steps per second and the latest episode return.

    The bar is updated through ordered `jax.debug.callback`s issued only every
    `update_interval` iterations, so it costs little. Training many seeds at once
    (`eqx.filter_vmap` of `learn` over keys) shows one bar with the mean return over the
    seeds. The bar opens when the compiled run starts (after compilation) and closes at the
    end of the run.

    Args:
        total_timesteps: Length of the bar (default: the run's `total_timesteps`).
        name: Label of the bar (default: the environment's name when `env` is given,
            otherwise "training").
        env: The environment trained on (only its name is used).
        policy: The policy trained (accepted for the documented signature; unused).
        update_interval: Iterations between updates (default: about 100 updates per run).
        console: The rich console to draw on (default: rich's console on stdout).

    Example:
        >>> policy = algo.learn(env, policy, 50_000, key=key, callback=ProgressBarCallback())
    """

    total_timesteps: int | None = eqx.field(static=True)
    name: str = eqx.field(static=True)
    update_interval: int | None = eqx.field(static=True)
    host: ProgressBarHost = eqx.field(static=True)

    def __init__(
        self,
        total_timesteps: int | None = None,
        name: str | None = None,
        env: Any = None,
        policy: Any = None,
        *,
        update_interval: int | None = None,
        console: Console | None = None,
    ):
        for arg, value in (
            ("total_timesteps", total_timesteps),
            ("update_interval", update_interval),
        ):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1
            ):
                raise ValueError(
                    f"ProgressBarCallback: {arg} must be a positive int or None, got {value!r}"
                )
        if name is not None and not isinstance(name, str):
            raise TypeError(f"ProgressBarCallback: name must be a str or None, got {name!r}")
        if name is None:
            name = str(env.name) if env is not None else "training"
        self.total_timesteps = total_timesteps
        self.name = name
        self.update_interval = update_interval
        self.host = ProgressBarHost(console, name)

    def interval(self, num_iterations: int) -> int:
        """Iterations between two updates of a run of `num_iterations` iterations."""
        if self.update_interval is not None:
            return self.update_interval
        return max(1, num_iterations // 100)

    def stop(self) -> None:
        """Close the bar now (from the host, e.g. after an interrupted run)."""
        self.host.stop(None)

    def on_training_start(self, ctx: TrainingContext, *, key: Key) -> EmptyCallbackState:
        total = self.total_timesteps or ctx.total_timesteps
        emit(lambda step: self.host.start(step, total), ctx.global_step)
        return ctx.state

    def on_iteration(self, ctx: IterationContext, *, key: Key) -> EmptyCallbackState:
        if ctx.metrics is None:
            every(
                ctx.iteration, self.interval(ctx.num_iterations), self.host.update, ctx.global_step
            )
        else:
            every(
                ctx.iteration,
                self.interval(ctx.num_iterations),
                self.host.update,
                ctx.global_step,
                ctx.metrics.episode_return,
            )
        return ctx.state

    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> EmptyCallbackState:
        emit(self.host.stop, ctx.global_step)
        return ctx.state
