"""A callback written only against the documented abstract contract instantiates and runs
inside a real training loop, and sees the documented context fields."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax
import jax.numpy as jnp
import pytest

from lerax.callback import (
    AbstractCallback,
    AbstractCallbackState,
    AbstractCallbackStepState,
    AbstractIterationCallback,
    AbstractStatelessCallback,
    ResetContext,
)
from lerax.callback._host import emit
from lerax.callback.base_callback import EmptyCallbackState, EmptyCallbackStepState


class CountState(AbstractCallbackState):
    iterations: jax.Array
    reward_seen: jax.Array


class EpisodeState(AbstractCallbackStepState):
    episodes: jax.Array


class _Seen:
    def __init__(self):
        self.rows = []
        self.end = None


@final
class DocumentedCallback(AbstractCallback):
    """Implements every documented hook, reading only documented context fields."""

    seen: _Seen = eqx.field(static=True)

    def reset(self, ctx, *, key):
        assert isinstance(ctx.locals, dict)
        return CountState(jnp.array(0), jnp.array(0.0))

    def step_reset(self, ctx, *, key):
        return EpisodeState(jnp.array(0))

    def on_step(self, ctx, *, key):
        assert ctx.env is not None and ctx.policy is not None
        return EpisodeState(ctx.state.episodes + jnp.asarray(ctx.done, jnp.int32))

    def on_iteration(self, ctx, *, key):
        assert ctx.algorithm is not None and ctx.opt_state is not None
        assert "episode_return" in ctx.training_log
        total_episodes = jnp.sum(ctx.step_state.episodes)
        emit(self._record, ctx.iteration_count, total_episodes, ctx.training_log["episodes"])
        return CountState(ctx.state.iterations + 1, ctx.training_log["episode_return"])

    def _record(self, count, episodes, logged):
        self.seen.rows.append((int(count), int(episodes), float(logged)))

    def on_training_start(self, ctx, *, key):
        assert ctx.env is not None and ctx.total_timesteps > 0
        return ctx.state

    def on_training_end(self, ctx, *, key):
        emit(lambda n: setattr(self.seen, "end", int(n)), ctx.state.iterations)
        return ctx.state

    def continue_training(self, ctx, *, key):
        return ctx.state.iterations < 3  # stop after three iterations

    def apply_curriculum(self, state, callback_state):
        return state


@final
class OnlyIterations(AbstractIterationCallback):
    seen: _Seen = eqx.field(static=True)

    def on_iteration(self, ctx, *, key):
        emit(lambda c: self.seen.rows.append(int(c)), ctx.iteration_count)
        return ctx.state


@final
class NothingAtAll(AbstractStatelessCallback):
    pass


def test_documented_callback_runs_and_stops(setup):
    seen = _Seen()
    state = setup.algo.train(setup.env, setup.state, 6, callback=DocumentedCallback(seen))
    jax.block_until_ready(state)
    jax.effects_barrier()
    # Three iterations ran, then continue_training stopped the rest.
    assert [r[0] for r in seen.rows] == [0, 1, 2]
    assert seen.end == 3
    # The per-environment step states count the same episodes as the algorithm's metrics.
    assert all(episodes == logged for _, episodes, logged in seen.rows)
    assert int(state.global_step) == 3 * setup.algo.steps_per_iteration


def test_partial_callbacks_instantiate_and_run(setup):
    seen = _Seen()
    callbacks = [OnlyIterations(seen), NothingAtAll()]
    state = setup.algo.train(setup.env, setup.state, 4, callback=callbacks)
    jax.block_until_ready(state)
    jax.effects_barrier()
    assert seen.rows == [0, 1, 2, 3]
    ctx, key = ResetContext(num_envs=1), jax.random.key(0)
    assert NothingAtAll().reset(ctx, key=key) == EmptyCallbackState()
    assert NothingAtAll().step_reset(ctx, key=key) == EmptyCallbackStepState()


def test_intermediate_classes_make_their_hooks_abstract():
    class Incomplete(AbstractIterationCallback):
        pass

    with pytest.raises(TypeError):
        Incomplete()


@final
class StepCounter(AbstractCallback):
    """Counts steps per environment; checks it gets its own step state in every context."""

    seen: _Seen = eqx.field(static=True)

    def step_reset(self, ctx, *, key):
        return jnp.array(0)

    def on_step(self, ctx, *, key):
        return ctx.state + 1

    def on_training_start(self, ctx, *, key):
        assert ctx.step_state.shape == (2,)  # its own, not the list's tuple
        return ctx.state

    def on_training_end(self, ctx, *, key):
        assert ctx.step_state.shape == (2,)
        emit(lambda s: setattr(self.seen, "end", s.tolist()), ctx.step_state)
        return ctx.state


def test_callback_list_hands_each_member_its_own_step_state(setup):
    seen = _Seen()
    callbacks = [NothingAtAll(), StepCounter(seen)]
    state = setup.algo.train(setup.env, setup.state, 3, callback=callbacks)
    jax.block_until_ready(state)
    jax.effects_barrier()
    assert seen.end == [3 * setup.algo.num_steps] * setup.algo.num_envs
