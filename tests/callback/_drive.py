"""Drive a callback's hooks directly, without an algorithm (a cheap compile)."""

from __future__ import annotations

import dataclasses

import equinox as eqx
import jax
import jax.numpy as jnp

from lerax.callback import IterationContext, IterationMetrics, ResetContext, TrainingContext

STEPS_PER_ITERATION = 4


@eqx.filter_jit
def drive(callback, metrics, key):
    """Run `callback` over iterations whose metrics are the rows of `metrics`.

    Args:
        callback: The callback.
        metrics: Dict of per-iteration metric arrays, leading axis = iterations; the
            episode statistics (`episode_return`, `episode_length`, `episodes`) go to their
            fields of `IterationMetrics` (`episodes` defaults to 1, the rest to 0), the
            others to its `stats`.
        key: PRNG key.

    Returns:
        The `continue_training` decision after each iteration (AND-ed so far), and the
        final callback state.
    """
    n = len(next(iter(metrics.values())))
    total = n * STEPS_PER_ITERATION
    reset_ctx = ResetContext(None, None, total, 1)
    state = callback.reset(reset_ctx, key=key)
    step_state = jax.vmap(lambda k: callback.step_reset(reset_ctx, key=k))(jax.random.split(key, 1))
    state = callback.on_training_start(TrainingContext(state, None, jnp.array(0), total), key=key)

    def body(carry, x):
        state, running = carry
        i, m = x
        step = (i + 1) * STEPS_PER_ITERATION
        stats = dict(m)
        one = jnp.ones((), jnp.float32)
        typed = IterationMetrics(
            episode_return=stats.pop("episode_return", 0 * one),
            episode_length=stats.pop("episode_length", 0 * one),
            episodes=stats.pop("episodes", one),
            stats=stats,
        )
        ctx = IterationContext(state, step_state, None, i, n, step, total, typed)
        state = callback.on_iteration(ctx, key=jax.random.fold_in(key, i))
        running = running & callback.continue_training(dataclasses.replace(ctx, state=state))
        return (state, running), running

    (state, _), running = jax.lax.scan(body, (state, jnp.array(True)), (jnp.arange(n), metrics))
    callback.on_training_end(TrainingContext(state, None, jnp.array(total), total), key=key)
    return running, state
