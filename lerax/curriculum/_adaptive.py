"""Curricula that advance through levels when the agent does well enough."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from collections.abc import Callable, Sequence
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import ArrayLike

from .._types import Array, Bool, Float, Int, Key, PyTree
from ..callback import (
    AbstractCallbackState,
    AbstractCallbackStepState,
    IterationContext,
    ResetContext,
    StepContext,
)
from .base import AbstractCurriculum


@final
class AdaptiveCurriculumState(AbstractCallbackState):
    """Where an adaptive curriculum stands.

    Attributes:
        level: Index of the current level.
        running_metric: Moving average of the episode metric at this level.
        observed: Whether an episode has finished at this level (the first one sets
            `running_metric`).
        seen_episodes: Per environment, the finished episodes already counted.
    """

    level: Int[Array, ""]
    running_metric: Float[Array, ""]
    observed: Bool[Array, ""] = eqx.field(default_factory=lambda: jnp.array(False))
    seen_episodes: Int[Array, " envs"] = eqx.field(default_factory=lambda: jnp.array(0))


@final
class AdaptiveCurriculumStepState(AbstractCallbackStepState):
    """What an adaptive curriculum tracks in each environment.

    Attributes:
        episode_metric: The metric of the episode in progress (summed over its steps).
        last_metric: The metric of this environment's last finished episode.
        episodes: Number of this environment's finished episodes.
    """

    episode_metric: Float[Array, ""]
    last_metric: Float[Array, ""] = eqx.field(default_factory=lambda: jnp.array(0.0))
    episodes: Int[Array, ""] = eqx.field(default_factory=lambda: jnp.array(0))


class AbstractAdaptiveCurriculum(
    AbstractCurriculum[AdaptiveCurriculumState, AdaptiveCurriculumStepState]
):
    """A curriculum that moves to the next level when the agent is good enough.

    Each environment sums `step_metric` over its episodes. After every iteration, the
    mean over environments of the metric of each one's latest episode finished during the
    iteration updates a moving average
    (``running = (1 - smoothing) * running + smoothing * mean``; the first episode at a
    level sets it). When the average reaches `threshold` the curriculum moves to the next
    level (the last level stays) and starts averaging afresh. Subclasses declare the
    levels (`num_levels`, `level_value`), the metric, the threshold and the smoothing.
    """

    threshold: eqx.AbstractVar[Float[ArrayLike, ""]]
    smoothing: eqx.AbstractVar[Float[ArrayLike, ""]]

    @property
    @abc.abstractmethod
    def num_levels(self) -> int:
        """Number of levels."""

    @abc.abstractmethod
    def level_value(self, level: Int[Array, ""]) -> PyTree:
        """The parameter value at `level`."""

    @abc.abstractmethod
    def step_metric(self, ctx: StepContext) -> Float[Array, ""]:
        """One step's contribution to the episode metric."""

    def value(self, state: Any, callback_state: AdaptiveCurriculumState) -> PyTree:
        return self.level_value(callback_state.level)

    def reset(self, ctx: ResetContext, *, key: Key) -> AdaptiveCurriculumState:
        return AdaptiveCurriculumState(
            level=jnp.array(0, jnp.int32),
            running_metric=jnp.array(0.0, jnp.float32),
            observed=jnp.array(False),
            seen_episodes=jnp.zeros((ctx.num_envs,), jnp.int32),
        )

    def step_reset(self, ctx: ResetContext, *, key: Key) -> AdaptiveCurriculumStepState:
        return AdaptiveCurriculumStepState(
            episode_metric=jnp.array(0.0, jnp.float32),
            last_metric=jnp.array(0.0, jnp.float32),
            episodes=jnp.array(0, jnp.int32),
        )

    def on_step(self, ctx: StepContext, *, key: Key) -> AdaptiveCurriculumStepState:
        s: AdaptiveCurriculumStepState = ctx.state
        metric = s.episode_metric + jnp.asarray(self.step_metric(ctx), jnp.float32)
        done = jnp.asarray(ctx.done, bool)
        return AdaptiveCurriculumStepState(
            episode_metric=jnp.where(done, 0.0, metric),
            last_metric=jnp.where(done, metric, s.last_metric),
            episodes=s.episodes + done.astype(jnp.int32),
        )

    def on_iteration(self, ctx: IterationContext, *, key: Key) -> AdaptiveCurriculumState:
        s: AdaptiveCurriculumState = ctx.state
        steps: AdaptiveCurriculumStepState = ctx.step_state
        # The environments that finished an episode during this iteration, each with the
        # metric of its latest one (exact: no running sums to lose precision).
        fresh = steps.episodes > s.seen_episodes
        count = jnp.sum(fresh)
        mean = jnp.sum(jnp.where(fresh, steps.last_metric, 0.0)) / jnp.maximum(count, 1)
        smoothing = jnp.asarray(self.smoothing, jnp.float32)
        blended = (1.0 - smoothing) * s.running_metric + smoothing * mean
        running = jnp.where(count > 0, jnp.where(s.observed, blended, mean), s.running_metric)
        observed = s.observed | (count > 0)
        last = self.num_levels - 1
        advance = observed & (running >= jnp.asarray(self.threshold, jnp.float32))
        advance = advance & (s.level < last)
        return AdaptiveCurriculumState(
            level=jnp.where(advance, s.level + 1, s.level),
            running_metric=jnp.where(advance, 0.0, running),
            observed=observed & ~advance,
            seen_episodes=steps.episodes,
        )


@final
class LevelCurriculum(AbstractAdaptiveCurriculum):
    """Steps through `levels` of an environment parameter as the agent masters each one.

    Args:
        where: Selects the parameter in the environment (as for `eqx.tree_at`).
        levels: The parameter's values, easiest first: a sequence of values (or of
            pytrees shaped like the parameter), or an array whose leading axis indexes
            the levels.
        metric_fn: One step's contribution to the episode metric, from the step's
            `StepContext` (e.g. `lambda ctx: ctx.reward`: the episode return).
        threshold: Moving-average episode metric at which the next level starts.
        smoothing: Weight of each iteration's mean episode metric in the moving average.

    Example:
        >>> curriculum = LevelCurriculum(
        ...     where=lambda env: env.env.g,
        ...     levels=[2.0, 5.0, 10.0],
        ...     metric_fn=lambda ctx: ctx.reward,
        ...     threshold=-300.0,
        ... )
    """

    where: Callable[[Any], PyTree] = eqx.field(static=True)
    levels: PyTree
    metric_fn: Callable[[StepContext], Float[ArrayLike, ""]] = eqx.field(static=True)
    threshold: Float[ArrayLike, ""]
    smoothing: Float[ArrayLike, ""]

    def __init__(
        self,
        where: Callable[[Any], PyTree],
        levels: Sequence[Any] | Array,
        metric_fn: Callable[[StepContext], Float[ArrayLike, ""]],
        threshold: Float[ArrayLike, ""],
        smoothing: Float[ArrayLike, ""] = 0.05,
    ):
        if not callable(where):
            raise TypeError(f"LevelCurriculum: where must be callable, got {where!r}")
        if not callable(metric_fn):
            raise TypeError(f"LevelCurriculum: metric_fn must be callable, got {metric_fn!r}")
        if isinstance(levels, Sequence):
            if len(levels) == 0:
                raise ValueError("LevelCurriculum: levels must not be empty")
            levels = jax.tree.map(lambda *xs: jnp.stack([jnp.asarray(x) for x in xs]), *levels)
        leaves = jax.tree.leaves(levels)
        if not leaves or any(jnp.ndim(x) == 0 for x in leaves):
            raise ValueError(
                "LevelCurriculum: levels must be a non-empty sequence or an array whose "
                f"leading axis indexes the levels, got {levels!r}"
            )
        if len({jnp.shape(x)[0] for x in leaves}) != 1:
            raise ValueError(
                "LevelCurriculum: every leaf of levels needs the same number of levels"
            )
        if isinstance(smoothing, int | float) and not 0.0 < smoothing <= 1.0:
            raise ValueError(f"LevelCurriculum: smoothing must be in (0, 1], got {smoothing!r}")
        self.where = where
        self.levels = levels
        self.metric_fn = metric_fn
        self.threshold = threshold
        self.smoothing = smoothing

    @property
    def num_levels(self) -> int:
        return int(jnp.shape(jax.tree.leaves(self.levels)[0])[0])

    def level_value(self, level: Int[Array, ""]) -> PyTree:
        return jax.tree.map(lambda x: x[level], self.levels)

    def step_metric(self, ctx: StepContext) -> Float[Array, ""]:
        return jnp.asarray(self.metric_fn(ctx), jnp.float32)
