"""Several callbacks run as one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, final

import jax
import jax.numpy as jnp

from .._types import Array, Bool, Key
from .base_callback import (
    AbstractCallback,
    IterationContext,
    ResetContext,
    StepContext,
    TrainingContext,
)


@final
class CallbackList(AbstractCallback[tuple[Any, ...], tuple[Any, ...]]):
    """Runs several callbacks, in order, as one.

    The state and the step state are tuples holding each callback's own; every callback
    gets its own key. Training continues only while every callback agrees
    (`continue_training` is the logical AND); curricula apply in order.

    Args:
        callbacks: The callbacks, in the order their hooks run.

    Example:
        >>> callback = CallbackList([ProgressBarCallback(), LoggingCallback(ConsoleBackend())])
        >>> policy = algo.learn(env, policy, 50_000, key=key, callback=callback)
    """

    callbacks: tuple[AbstractCallback, ...]

    def __init__(self, callbacks: Iterable[AbstractCallback]):
        callbacks = tuple(callbacks)
        for i, callback in enumerate(callbacks):
            if not isinstance(callback, AbstractCallback):
                raise TypeError(
                    f"CallbackList: callbacks[{i}] must be an AbstractCallback, "
                    f"got {type(callback).__name__}"
                )
        self.callbacks = callbacks

    def _keys(self, key: Key) -> Any:
        return jax.random.split(key, max(len(self.callbacks), 1))

    def reset(self, ctx: ResetContext, *, key: Key) -> tuple[Any, ...]:
        keys = self._keys(key)
        return tuple(cb.reset(ctx, key=k) for cb, k in zip(self.callbacks, keys))

    def step_reset(self, ctx: ResetContext, *, key: Key) -> tuple[Any, ...]:
        keys = self._keys(key)
        return tuple(cb.step_reset(ctx, key=k) for cb, k in zip(self.callbacks, keys))

    def on_step(self, ctx: StepContext, *, key: Key) -> tuple[Any, ...]:
        keys = self._keys(key)
        return tuple(
            cb.on_step(dataclasses.replace(ctx, state=s), key=k)
            for cb, s, k in zip(self.callbacks, ctx.state, keys)
        )

    def on_iteration(self, ctx: IterationContext, *, key: Key) -> tuple[Any, ...]:
        keys = self._keys(key)
        return tuple(
            cb.on_iteration(_part(ctx, i), key=k)
            for i, (cb, k) in enumerate(zip(self.callbacks, keys))
        )

    def on_training_start(self, ctx: TrainingContext, *, key: Key) -> tuple[Any, ...]:
        keys = self._keys(key)
        return tuple(
            cb.on_training_start(_part(ctx, i), key=k)
            for i, (cb, k) in enumerate(zip(self.callbacks, keys))
        )

    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> tuple[Any, ...]:
        keys = self._keys(key)
        return tuple(
            cb.on_training_end(_part(ctx, i), key=k)
            for i, (cb, k) in enumerate(zip(self.callbacks, keys))
        )

    def continue_training(self, ctx: IterationContext, *, key: Key) -> Bool[Array, ""]:
        keys = self._keys(key)
        running = jnp.array(True)
        for i, (cb, k) in enumerate(zip(self.callbacks, keys)):
            running = running & jnp.asarray(cb.continue_training(_part(ctx, i), key=k), bool)
        return running

    def apply_curriculum(self, state: Any, callback_state: tuple[Any, ...]) -> Any:
        for cb, cb_state in zip(self.callbacks, callback_state):
            state = cb.apply_curriculum(state, cb_state)
        return state


def _part(ctx: Any, i: int) -> Any:
    """Member `i`'s view of an iteration or training context."""
    return dataclasses.replace(ctx, state=ctx.state[i], step_state=ctx.step_state[i])
