"""Periodic logging of training metrics."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, final

import equinox as eqx
import jax.numpy as jnp
import numpy as np

from .._types import Array, Bool, Key
from ._backend import AbstractLoggingBackend
from ._host import SeedCounter, emit, every
from .base_callback import (
    AbstractStatelessCallback,
    IterationContext,
    TrainingContext,
)


class LoggingHost:
    """The host side of `LoggingCallback`: numbers the seeds and feeds the backends.

    Compared and hashed by identity, so it can sit in a static field.
    """

    def __init__(self, backends: tuple[AbstractLoggingBackend, ...]) -> None:
        self.backends = backends
        self.seeds = SeedCounter()

    def start(self, *_: Any) -> None:
        self.seeds.reset()

    def log(self, step: Any, metrics: dict[str, Any]) -> None:
        step = int(np.asarray(step))
        seed = self.seeds(step)
        values = {name: float(np.asarray(value)) for name, value in metrics.items()}
        for backend in self.backends:
            backend.log(step, values, seed=seed)

    def flush(self, *_: Any) -> None:
        for backend in self.backends:
            backend.flush()


@final
class LoggingCallback(AbstractStatelessCallback):
    """Logs the algorithm's iteration metrics every `log_interval` iterations.

    The metrics (`IterationMetrics.scalars()`: the episode statistics and the algorithm's
    own, e.g. DQN's `loss` and `epsilon`) and the global
    environment step leave the compiled loop through an ordered `jax.debug.callback`
    issued only on logging iterations, and go to every backend. Backends are flushed at the
    end of each run.

    Under `eqx.filter_vmap` over seeds, every seed is logged separately: JAX runs the
    callback once per batch element, in batch order, so the `i`-th report at a step is
    seed `i` (backends receive `seed=i`; a run without `vmap` is seed 0).

    Args:
        backends: One `AbstractLoggingBackend` or several.
        log_interval: Iterations between two log events (logs after iterations
            `log_interval - 1, 2 * log_interval - 1, ...`).

    Example:
        >>> backends = [ConsoleBackend(), TensorBoardBackend("runs/dqn")]
        >>> callback = LoggingCallback(backends, log_interval=100)
        >>> policy = algo.learn(env, policy, 50_000, key=key, callback=callback)
    """

    backends: tuple[AbstractLoggingBackend, ...] = eqx.field(static=True)
    log_interval: int = eqx.field(static=True)
    host: LoggingHost = eqx.field(static=True)

    def __init__(
        self,
        backends: AbstractLoggingBackend | Iterable[AbstractLoggingBackend],
        log_interval: int = 100,
    ):
        if isinstance(backends, AbstractLoggingBackend):
            backends = (backends,)
        else:
            backends = tuple(backends)
        if not backends:
            raise ValueError("LoggingCallback: give at least one backend, e.g. ConsoleBackend()")
        for i, backend in enumerate(backends):
            if not isinstance(backend, AbstractLoggingBackend):
                raise TypeError(
                    f"LoggingCallback: backends[{i}] must be an AbstractLoggingBackend "
                    "(ConsoleBackend, TensorBoardBackend, WandbBackend), "
                    f"got {type(backend).__name__}"
                )
        if isinstance(log_interval, bool) or not isinstance(log_interval, int) or log_interval < 1:
            raise ValueError(
                f"LoggingCallback: log_interval must be a positive int, got {log_interval!r}"
            )
        self.backends = backends
        self.log_interval = log_interval
        self.host = LoggingHost(backends)

    def on_training_start(self, ctx: TrainingContext, *, key: Key) -> None:
        emit(self.host.start, ctx.global_step)
        return ctx.state

    def on_iteration(self, ctx: IterationContext, *, key: Key) -> None:
        metrics = {} if ctx.metrics is None else ctx.metrics.scalars()
        every(ctx.iteration, self.log_interval, self.host.log, ctx.global_step, metrics)
        return ctx.state

    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> None:
        emit(self.host.flush, ctx.global_step)
        return ctx.state

    def continue_training(self, ctx: IterationContext) -> Bool[Array, ""]:
        return jnp.array(True)
