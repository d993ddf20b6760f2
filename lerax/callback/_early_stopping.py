"""Stop training once a metric reaches a threshold."""

from __future__ import annotations

from typing import Literal, final

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import ArrayLike

from .._types import Array, Bool, Float, Key
from .base_callback import (
    AbstractContinueTrainingCallback,
    AbstractStatelessCallback,
    IterationContext,
)


@final
class EarlyStoppingCallback(AbstractStatelessCallback, AbstractContinueTrainingCallback):
    """Stops training when an iteration metric reaches `threshold`.

    Checked after every iteration on the algorithm's metrics (by default
    `episode_return`, the mean return of the last finished episode of each environment).
    No decision is taken before an episode has finished (unless the metric is `episodes`).
    The remaining iterations become no-ops inside the same compiled call, so the
    returned training state's `global_step` tells where training stopped.

    Args:
        threshold: Value to reach (a leaf: it may be traced or vmapped).
        metric: Name of the metric to watch.
        mode: `"max"` stops when `metric >= threshold`; `"min"` when `metric <= threshold`.

    Example:
        >>> callback = EarlyStoppingCallback(475.0)  # CartPole-v1 is solved
        >>> state = algo.train(env, algo.init(env, policy, key=key), 10_000, callback=callback)
    """

    threshold: Float[ArrayLike, ""]
    metric: str = eqx.field(static=True, default="episode_return")
    mode: Literal["max", "min"] = eqx.field(static=True, default="max")

    def __check_init__(self):
        if self.mode not in ("max", "min"):
            raise ValueError(
                f"EarlyStoppingCallback: mode must be 'max' or 'min', got {self.mode!r}"
            )
        if not isinstance(self.metric, str):
            raise TypeError(f"EarlyStoppingCallback: metric must be a str, got {self.metric!r}")

    def continue_training(self, ctx: IterationContext, *, key: Key) -> Bool[Array, ""]:
        metrics = {} if ctx.metrics is None else ctx.metrics.scalars()
        if self.metric not in metrics:
            raise ValueError(
                f"EarlyStoppingCallback: the algorithm reports no metric {self.metric!r}; "
                f"it reports {sorted(metrics)}"
            )
        value = metrics[self.metric]
        threshold = jnp.asarray(self.threshold, jnp.result_type(value))
        reached = value >= threshold if self.mode == "max" else value <= threshold
        if ctx.metrics is not None and self.metric != "episodes":
            reached = reached & (ctx.metrics.episodes > 0)
        return ~reached
