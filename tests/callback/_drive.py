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
    reset_ctx = ResetContext(env=None, policy=None, total_timesteps=total, num_envs=1)
    state = callback.reset(reset_ctx, key=key)
    step_state = jax.vmap(lambda k: callback.step_reset(reset_ctx, key=k))(jax.random.split(key, 1))
    state = callback.on_training_start(training_context(state, step_state, 0, total), key=key)

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
        ctx = IterationContext(
            state=state,
            step_state=step_state,
            env=None,
            policy=None,
            iteration_count=i,
            opt_state=None,
            training_log=typed.scalars(),
            algorithm=None,
            iteration=i,
            num_iterations=n,
            global_step=step,
            total_timesteps=total,
            metrics=typed,
        )
        state = callback.on_iteration(ctx, key=jax.random.fold_in(key, i))
        running = running & callback.continue_training(
            dataclasses.replace(ctx, state=state), key=key
        )
        return (state, running), running

    (state, _), running = jax.lax.scan(body, (state, jnp.array(True)), (jnp.arange(n), metrics))
    callback.on_training_end(training_context(state, step_state, total, total), key=key)
    return running, state


def training_context(state, step_state, global_step, total):
    """A `TrainingContext` with no environment, policy or algorithm."""
    return TrainingContext(
        state=state,
        step_state=step_state,
        env=None,
        policy=None,
        total_timesteps=total,
        iteration_count=jnp.array(0),
        opt_state=None,
        algorithm=None,
        global_step=jnp.asarray(global_step),
        locals=dict(num_iterations=total // STEPS_PER_ITERATION),
    )
