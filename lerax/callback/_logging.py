"""Periodic logging of training metrics."""

# No `from __future__ import annotations`: Equinox needs real annotations for its fields.

import functools
import math
from collections.abc import Iterable, Mapping
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from .._types import Array, Bool, Float, Int, Key
from ._backend import AbstractLoggingBackend, AbstractSeededLoggingBackend
from ._host import SeedCounter, emit, every, every_computed
from ._video import default_renderer_of, draw_frames, episode_states, greedy_episode, video_canvas
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


VIDEO_TAG = "evaluation_video"
"""The tag of `LoggingCallback`'s evaluation videos."""


class LoggingHost:
    """The host side of `LoggingCallback`: opens runs, numbers seeds, feeds backends.

    Compared and hashed by identity, so it can sit in a static field.
    """

    def __init__(
        self,
        backends: tuple[AbstractLoggingBackend, ...],
        name: str | None,
        hparams: dict[str, Any] | None,
        video_size: tuple[int, int] = (640, 480),
        video_fps: float = 50.0,
    ) -> None:
        self.backends = backends
        self.name = name
        self.hparams = hparams
        self.video_size = video_size
        self.video_fps = video_fps
        self.seeds = SeedCounter()
        self.video_seeds = SeedCounter()
        self.open = False

    def start(self, total_timesteps: int, total_iterations: int) -> None:
        self.seeds.reset()
        self.video_seeds.reset()
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

    def video(
        self, env_static: Any, step: Any, env_arrays: Any, initial: Any, finals: Any, ended: Any
    ) -> None:
        """Draw the greedy episode of one seed and send it to every backend."""
        step = int(np.asarray(step))
        seed = self.video_seeds(step)
        env = eqx.combine(jax.device_get(env_arrays), env_static)
        frames = draw_frames(
            env, episode_states(initial, finals, ended), video_canvas(env, *self.video_size)
        )
        for backend in self.backends:
            if isinstance(backend, AbstractSeededLoggingBackend):
                backend.log_video(VIDEO_TAG, frames, step, self.video_fps, seed=seed)
            else:
                tag = VIDEO_TAG if seed == 0 else f"seed_{seed}/{VIDEO_TAG}"
                backend.log_video(tag, frames, step, self.video_fps)

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

    With `video_interval > 0`, every `video_interval` iterations an evaluation video is
    recorded too: inside the compiled loop, one greedy (deterministic) episode of the
    current policy on `env` (or, without one, the environment trained on) is rolled out
    for `video_num_steps` steps (a `lax.scan`, run only on those iterations); its states
    leave through the same ordered callback, are drawn on the host with the environment's
    renderer made headless (scaled to `video_width` by `video_height`), and the frames up
    to the end of the first episode (`uint8[T, H, W, 3]`, at most `video_num_steps + 1`)
    go to every backend's `log_video` under the tag `"evaluation_video"`.

    Under `eqx.filter_vmap` over seeds, every seed is logged separately: JAX runs the
    callback once per batch element, in batch order, so the `i`-th report at a step is
    seed `i` (for videos too).

    Args:
        backend: One `AbstractLoggingBackend` or a list of them.
        name: Name of the run (default: the environment's name when `env` is given).
        env: The environment trained on: names the run, and evaluation videos are
            recorded on it (default: the training environment).
        policy: Accepted for compatibility; videos always show the policy being trained.
        alpha: Weight of the old value in the moving averages of return and length.
        hparams: Hyperparameters to log once per run (a mapping of plain values).
        video_interval: Iterations between evaluation videos; `0` records none.
        video_num_steps: Steps of the episode rolled out for each video.
        video_width: Video width in pixels.
        video_height: Video height in pixels.
        video_fps: Video frame rate.
        log_interval: Iterations between two log events (default: about 100 per run).

    Raises:
        ValueError: On a bad argument, or with `video_interval > 0` and an `env` that
            cannot draw itself (an environment given to `learn` is checked when training
            starts).

    Example:
        >>> callback = LoggingCallback([ConsoleBackend(), TensorBoardBackend()], env=env)
        >>> policy = algo.learn(env, policy, 50_000, key=key, callback=callback)
        >>> # An evaluation video every 10 iterations (TensorBoard's Images tab):
        >>> callback = LoggingCallback(TensorBoardBackend(), env=env, video_interval=10)
    """

    backends: tuple[AbstractLoggingBackend, ...] = eqx.field(static=True)
    name: str | None = eqx.field(static=True)
    alpha: Float[ArrayLike, ""]
    env: Any
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
        if _not_int(video_interval) or video_interval < 0:
            raise ValueError(
                "LoggingCallback: video_interval must be an int >= 0 (0: no videos), "
                f"got {video_interval!r}"
            )
        for arg, value in (
            ("video_num_steps", video_num_steps),
            ("video_width", video_width),
            ("video_height", video_height),
        ):
            if _not_int(value) or value < 1:
                raise ValueError(f"LoggingCallback: {arg} must be a positive int, got {value!r}")
        if (
            isinstance(video_fps, bool)
            or not isinstance(video_fps, int | float)
            or not (math.isfinite(video_fps) and video_fps > 0)
        ):
            raise ValueError(
                f"LoggingCallback: video_fps must be a positive number, got {video_fps!r}"
            )
        if video_interval > 0 and env is not None:
            default_renderer_of(env)  # fail now if it cannot draw itself
        if name is None and env is not None:
            name = str(env.name)
        self.backends = backends
        self.name = name
        self.alpha = alpha
        self.env = env
        self.video_interval = video_interval
        self.video_num_steps = video_num_steps
        self.video_width = video_width
        self.video_height = video_height
        self.video_fps = video_fps
        self.log_interval = log_interval
        self.host = LoggingHost(
            backends,
            name,
            None if hparams is None else dict(hparams),
            video_size=(int(video_width), int(video_height)),
            video_fps=float(video_fps),
        )

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
        if self.video_interval > 0 and self.env is None:
            default_renderer_of(ctx.env)  # fail when tracing, before training runs
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
        if self.video_interval > 0:
            self.record_video(ctx, key=key)
        return ctx.state

    def record_video(self, ctx: IterationContext, *, key: Key) -> None:
        """Every `video_interval` iterations, roll out a greedy episode and send it out."""
        env = ctx.env if self.env is None else self.env
        env_arrays, env_static = eqx.partition(env, eqx.is_array)
        num_steps = self.video_num_steps

        def rollout() -> tuple[Any, ...]:
            episode = greedy_episode(env, ctx.policy, num_steps, key=key)
            return (ctx.global_step, env_arrays, *episode)

        host_fn = functools.partial(self.host.video, env_static)
        every_computed(ctx.iteration, self.video_interval, host_fn, rollout)

    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> EmptyCallbackState:
        emit(self.host.end, ctx.global_step)
        return ctx.state


def _not_int(value: Any) -> bool:
    return isinstance(value, bool) or not isinstance(value, int)
