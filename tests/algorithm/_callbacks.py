"""Callbacks that observe the training loop for tests."""

from collections.abc import Callable

import equinox as eqx
import jax.numpy as jnp

from lerax.callback import AbstractStatelessCallback


class MetricsSpy(AbstractStatelessCallback):
    """Appends each iteration's `IterationMetrics` to `seen` (at trace time: the structure is
    what matters)."""

    seen: list = eqx.field(static=True)

    def on_iteration(self, ctx, *, key):
        self.seen.append(ctx.metrics)
        return ctx.state

    def on_training_start(self, ctx, *, key):
        return ctx.state

    def on_training_end(self, ctx, *, key):
        return ctx.state

    def continue_training(self, ctx, *, key):
        return jnp.array(True)

    def __hash__(self):
        return id(self.seen)

    def __eq__(self, other):
        return isinstance(other, MetricsSpy) and other.seen is self.seen


class MaxTraces(AbstractStatelessCallback):
    """Calls `traced` whenever the training loop is traced (its `reset` runs once per trace);
    see `max_one_trace`."""

    traced: Callable[[], None] = eqx.field(static=True)

    def reset(self, ctx, *, key):
        self.traced()
        return None

    def on_iteration(self, ctx, *, key):
        return ctx.state

    def on_training_start(self, ctx, *, key):
        return ctx.state

    def on_training_end(self, ctx, *, key):
        return ctx.state

    def continue_training(self, ctx, *, key):
        return jnp.array(True)


def max_one_trace() -> MaxTraces:
    """A callback that raises (`eqx.debug.assert_max_traces`) on the loop's second trace."""

    @eqx.debug.assert_max_traces(max_traces=1)
    def traced() -> None:
        pass

    return MaxTraces(traced)
