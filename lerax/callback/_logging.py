"""Periodic logging of training metrics."""

# No `from __future__ import annotations`: Equinox needs real annotations for its fields.

from collections.abc import Iterable, Mapping
from typing import Any, final

import equinox as eqx
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from .._types import Array, Bool, Float, Int, Key
from ._backend import AbstractLoggingBackend, AbstractSeededLoggingBackend
from ._host import SeedCounter, emit, every
from .base_callback import (
    AbstractCallbackStepState,
    AbstractIterationCallback,
    AbstractStepCallback,
    AbstractTrainingCallback,
    EmptyCallbackState,
    IterationContext,
    ResetContext,
    StepContext,
    TrainingContext,
)


@final
class LoggingCallbackStepState(AbstractCallbackStepState):
    """What `LoggingCallback` tracks in each environment.

    Attributes:
        step: Steps taken in this environment.
        episode_return: Return of the episode in progress.
        episode_length: Length of the episode in progress.
        episode_done: Whether the last step ended an episode.
        average_return: Exponential moving average (weight `alpha` on the old value) of
            the returns of finished episodes; the first episode sets it.
        average_length: The same for episode lengths.
    """

    step: Int[Array, ""]
    episode_return: Float[Array, ""]
    episode_length: Int[Array, ""]
    episode_done: Bool[Array, ""]
    average_return: Float[Array, ""]
    average_length: Float[Array, ""]


class LoggingHost:
    """The host side of `LoggingCallback`: opens runs, numbers seeds, feeds backends.

    Compared and hashed by identity, so it can sit in a static field.
    """

    def __init__(
        self,
        backends: tuple[AbstractLoggingBackend, ...],
        name: str | None,
        hparams: dict[str, Any] | None,
    ) -> None:
        self.backends = backends
        self.name = name
        self.hparams = hparams
        self.seeds = SeedCounter()
        self.open = False

    def start(self, total_timesteps: int, total_iterations: int) -> None:
        self.seeds.reset()
        if self.open:  # the other seeds of a vmapped run
            return
        self.open = True
        for backend in self.backends:
            backend.open(self.name)
            backend.on_training_start(total_timesteps, total_iterations)
            if self.hparams:
                backend.log_hparams(dict(self.hparams))

    def log(self, step: Any, metrics: dict[str, Any]) -> None:
        step = int(np.asarray(step))
        seed = self.seeds(step)
        values = {name: float(np.asarray(value)) for name, value in metrics.items()}
        for backend in self.backends:
            if isinstance(backend, AbstractSeededLoggingBackend):
                backend.log_scalars(values, step, seed=seed)
            elif seed == 0:
                backend.log_scalars(values, step)
            else:
                backend.log_scalars({f"seed_{seed}/{k}": v for k, v in values.items()}, step)

    def end(self, *_: Any) -> None:
        if not self.open:  # the other seeds of a vmapped run
            return
        self.open = False
        for backend in self.backends:
            backend.flush()
            backend.close()

    def close(self) -> None:
        for backend in self.backends:
            backend.close()


@final
class LoggingCallback(AbstractStepCallback, AbstractIterationCallback, AbstractTrainingCallback):
    """Logs the training metrics and smoothed episode statistics to one or more backends.

    Every `log_interval` iterations, the algorithm's metrics (`IterationMetrics.scalars()`:
    the episode statistics and the algorithm's own, e.g. DQN's `loss` and `epsilon`), the
    smoothed `average_return` and `average_length` (moving averages over finished
    episodes with weight `alpha` on the old value, averaged over environments) and the
    global environment step leave the compiled loop through an ordered
    `jax.debug.callback` and go to every backend. When training starts each backend is
    opened with `name` and gets `hparams` once; at the end of each run it is flushed and
    closed (the next run opens it again).

    Under `eqx.filter_vmap` over seeds, every seed is logged separately: JAX runs the
    callback once per batch element, in batch order, so the `i`-th report at a step is
    seed `i`.

    Args:
        backend: One `AbstractLoggingBackend` or a list of them.
        name: Name of the run (default: the environment's name when `env` is given).
        env: The environment trained on (names the run).
        policy: The policy trained (for evaluation videos).
        alpha: Weight of the old value in the moving averages of return and length.
        hparams: Hyperparameters to log once per run (a mapping of plain values).
        video_interval: Iterations between evaluation videos; only `0` (none) for now:
            evaluation videos are not recorded yet.
        video_num_steps: Steps per evaluation video.
        video_width: Video width in pixels.
        video_height: Video height in pixels.
        video_fps: Video frame rate.
        log_interval: Iterations between two log events (default: about 100 per run).

    Example:
        >>> callback = LoggingCallback([ConsoleBackend(), TensorBoardBackend()], env=env)
        >>> policy = algo.learn(env, policy, 50_000, key=key, callback=callback)
    """

    backends: tuple[AbstractLoggingBackend, ...] = eqx.field(static=True)
    name: str | None = eqx.field(static=True)
    alpha: Float[ArrayLike, ""]
    video_interval: int = eqx.field(static=True)
    video_num_steps: int = eqx.field(static=True)
    video_width: int = eqx.field(static=True)
    video_height: int = eqx.field(static=True)
    video_fps: float = eqx.field(static=True)
    log_interval: int | None = eqx.field(static=True)
    host: LoggingHost = eqx.field(static=True)

    def __init__(
        self,
        backend: AbstractLoggingBackend | Iterable[AbstractLoggingBackend],
        name: str | None = None,
        env: Any = None,
        policy: Any = None,
        alpha: float = 0.9,
        hparams: Mapping[str, Any] | None = None,
        video_interval: int = 0,
        video_num_steps: int = 128,
        video_width: int = 640,
        video_height: int = 480,
        video_fps: float = 50.0,
        *,
        log_interval: int | None = None,
    ):
        backends = (backend,) if isinstance(backend, AbstractLoggingBackend) else tuple(backend)
        if not backends:
            raise ValueError("LoggingCallback: give at least one backend, e.g. ConsoleBackend()")
        for i, b in enumerate(backends):
            if not isinstance(b, AbstractLoggingBackend):
                raise TypeError(
                    f"LoggingCallback: backend[{i}] must be an AbstractLoggingBackend "
                    "(ConsoleBackend, TensorBoardBackend, WandbBackend), "
                    f"got {type(b).__name__}"
                )
        if log_interval is not None and (
            isinstance(log_interval, bool) or not isinstance(log_interval, int) or log_interval < 1
        ):
            raise ValueError(
                "LoggingCallback: log_interval must be a positive int or None, "
                f"got {log_interval!r}"
            )
        if isinstance(alpha, int | float) and not 0.0 <= alpha < 1.0:
            raise ValueError(f"LoggingCallback: alpha must be in [0, 1), got {alpha!r}")
        if hparams is not None and not isinstance(hparams, Mapping):
            raise TypeError(f"LoggingCallback: hparams must be a mapping, got {hparams!r}")
        if isinstance(video_interval, bool) or not isinstance(video_interval, int):
            raise TypeError(
                f"LoggingCallback: video_interval must be an int, got {video_interval!r}"
            )
        if video_interval > 0:
            raise NotImplementedError(
                "LoggingCallback: evaluation videos are not recorded yet; use video_interval=0 "
                "and record one after training with lerax.render.VideoRenderer and "
                "env.render_stacked (or `lerax evaluate POLICY --video FILE.mp4`)"
            )
        if name is None and env is not None:
            name = str(env.name)
        self.backends = backends
        self.name = name
        self.alpha = alpha
        self.video_interval = video_interval
        self.video_num_steps = video_num_steps
        self.video_width = video_width
        self.video_height = video_height
        self.video_fps = video_fps
        self.log_interval = log_interval
        self.host = LoggingHost(backends, name, None if hparams is None else dict(hparams))

    @property
    def hparams(self) -> dict[str, Any] | None:
        """The hyperparameters logged once per run."""
        return self.host.hparams

    def interval(self, num_iterations: int) -> int:
        """Iterations between two log events in a run of `num_iterations` iterations."""
        if self.log_interval is not None:
            return self.log_interval
        return max(1, num_iterations // 100)

    def close(self) -> None:
        """Close every backend now (from the host, e.g. after an interrupted run)."""
        self.host.close()

    def step_reset(self, ctx: ResetContext, *, key: Key) -> LoggingCallbackStepState:
        return LoggingCallbackStepState(
            step=jnp.array(0, jnp.int32),
            episode_return=jnp.array(0.0, jnp.float32),
            episode_length=jnp.array(0, jnp.int32),
            episode_done=jnp.array(False),
            average_return=jnp.array(0.0, jnp.float32),
            average_length=jnp.array(0.0, jnp.float32),
        )

    def on_step(self, ctx: StepContext, *, key: Key) -> LoggingCallbackStepState:
        s: LoggingCallbackStepState = ctx.state
        episode_return = s.episode_return + jnp.asarray(ctx.reward, jnp.float32)
        episode_length = s.episode_length + 1
        alpha = jnp.asarray(self.alpha, jnp.float32)
        first = s.average_length == 0

        def smooth(average: Array, value: Array) -> Array:
            value = jnp.asarray(value, jnp.float32)
            return jnp.where(first, value, alpha * average + (1.0 - alpha) * value)

        done = jnp.asarray(ctx.done, bool)
        average_return = smooth(s.average_return, episode_return)
        average_length = smooth(s.average_length, episode_length)
        return LoggingCallbackStepState(
            step=s.step + 1,
            episode_return=jnp.where(done, 0.0, episode_return),
            episode_length=jnp.where(done, 0, episode_length),
            episode_done=done,
            average_return=jnp.where(done, average_return, s.average_return),
            average_length=jnp.where(done, average_length, s.average_length),
        )

    def on_training_start(self, ctx: TrainingContext, *, key: Key) -> EmptyCallbackState:
        total = ctx.total_timesteps
        iterations = ctx.locals.get("num_iterations", 0)
        emit(lambda _: self.host.start(total, iterations), ctx.global_step)
        return ctx.state

    def on_iteration(self, ctx: IterationContext, *, key: Key) -> EmptyCallbackState:
        metrics = {} if ctx.metrics is None else ctx.metrics.scalars()
        step_state = ctx.step_state
        if isinstance(step_state, LoggingCallbackStepState):
            metrics = dict(metrics)
            # Over the environments that have finished an episode (zero before any has).
            finished = step_state.average_length > 0
            count = jnp.maximum(jnp.sum(finished), 1).astype(jnp.float32)
            metrics["average_return"] = (
                jnp.sum(jnp.where(finished, step_state.average_return, 0.0)) / count
            )
            metrics["average_length"] = (
                jnp.sum(jnp.where(finished, step_state.average_length, 0.0)) / count
            )
        every(
            ctx.iteration,
            self.interval(ctx.num_iterations),
            self.host.log,
            ctx.global_step,
            metrics,
        )
        return ctx.state

    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> EmptyCallbackState:
        emit(self.host.end, ctx.global_step)
        return ctx.state
