"""A curriculum that follows a fixed schedule."""

# No `from __future__ import annotations`: Equinox needs real annotations for its fields.

from collections.abc import Callable
from typing import Any, final

import equinox as eqx

from .._types import PyTree
from ..callback import AbstractStatelessCallback, EmptyCallbackState
from .base import AbstractCurriculum


@final
class ScheduledCurriculum(AbstractStatelessCallback, AbstractCurriculum[EmptyCallbackState, Any]):
    """Sets an environment parameter to `schedule_fn(iteration_count)` before each iteration.

    Args:
        where: Selects the parameter in the environment (as for `eqx.tree_at`).
        schedule_fn: Maps the iteration count (0-based: the iteration about to run,
            counted from the start of the run) to the value; see `linear_schedule`,
            `cosine_schedule`, `step_schedule`.

    Example:
        >>> env = lerax.env.make("Pendulum-v1")  # TimeLimit(Pendulum)
        >>> curriculum = ScheduledCurriculum(lambda e: e.env.g, linear_schedule(2.0, 10.0, 50))
        >>> policy = SAC().learn(env, policy, 20_000, key=key, callback=curriculum)
    """

    where: Callable[[Any], PyTree] = eqx.field(static=True)
    schedule_fn: Callable[[Any], PyTree] = eqx.field(static=True)

    def __check_init__(self):
        if not callable(self.where):
            raise TypeError(f"ScheduledCurriculum: where must be callable, got {self.where!r}")
        if not callable(self.schedule_fn):
            raise TypeError(
                f"ScheduledCurriculum: schedule_fn must be callable, got {self.schedule_fn!r}"
            )

    def value(self, state: Any, callback_state: EmptyCallbackState) -> PyTree:
        return self.schedule_fn(state.iteration_count)
