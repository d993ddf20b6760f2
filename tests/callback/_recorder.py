"""A test callback that reports every hook call to the host."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax.numpy as jnp
import numpy as np

from lerax.callback import AbstractCallback
from lerax.callback._host import emit


class RecorderHost:
    """Host-side record of the hook calls (hashed by identity)."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.starts: list[int] = []
        self.steps: list[int] = []
        self.iterations: list[dict[str, Any]] = []
        self.ends: list[tuple[int, int]] = []

    def start(self, global_step: Any, key_data: Any) -> None:
        self.starts.append(int(global_step))

    def step(self, global_step: Any, count: Any) -> None:
        self.steps.append(int(global_step))

    def iteration(self, iteration, global_step, count, step_counts, metrics) -> None:
        self.iterations.append(
            dict(
                iteration=int(iteration),
                global_step=int(global_step),
                count=int(count),
                step_counts=np.asarray(step_counts).tolist(),
                metrics={k: float(v) for k, v in metrics.items()},
            )
        )

    def end(self, global_step: Any, count: Any) -> None:
        self.ends.append((int(global_step), int(count)))


@final
class Recorder(AbstractCallback[Any, Any]):
    """Counts iterations in its state and steps in its step state, and tells the host."""

    host: RecorderHost = eqx.field(static=True)

    def reset(self, ctx, *, key):
        return jnp.zeros((), jnp.int32)

    def step_reset(self, ctx, *, key):
        return jnp.zeros((), jnp.int32)

    def on_step(self, ctx, *, key):
        emit(self.host.step, ctx.global_step, ctx.state)
        return ctx.state + 1

    def on_iteration(self, ctx, *, key):
        emit(
            self.host.iteration,
            ctx.iteration,
            ctx.global_step,
            ctx.state,
            ctx.step_state,
            ctx.metrics.scalars(),
        )
        return ctx.state + 1

    def on_training_start(self, ctx, *, key):
        import jax

        emit(self.host.start, ctx.global_step, jax.random.key_data(key))
        return ctx.state

    def on_training_end(self, ctx, *, key):
        emit(self.host.end, ctx.global_step, ctx.state)
        return ctx.state

    def continue_training(self, ctx, *, key):
        return jnp.array(True)


@final
class Traces(AbstractCallback[Any, Any]):
    """Counts how often the training loop is traced: its `reset` runs once per trace."""

    counter: list = eqx.field(static=True)

    def reset(self, ctx, *, key):
        self.counter.append(1)
        return None

    def __hash__(self):
        return 0

    def __eq__(self, other):
        return isinstance(other, Traces)
