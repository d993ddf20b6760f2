"""Curricula change the environment once per iteration inside the compiled loop, for every
algorithm family (on-policy, DQN, soft and deterministic off-policy actor-critic)."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.algorithm import DQN, PPO, SAC, TD3
from lerax.callback import AbstractIterationCallback
from lerax.callback._host import emit
from lerax.curriculum import (
    LevelCurriculum,
    ScheduledCurriculum,
    cosine_schedule,
    linear_schedule,
    step_schedule,
)
from lerax.policy import (
    MLPActorCriticPolicy,
    MLPDeterministicPolicy,
    MLPQPolicy,
    MLPSACPolicy,
)
from lerax.space import Box, Discrete

from ._env import Bonus

ITERATIONS = 6


class _Seen:
    def __init__(self):
        self.rows = []

    def record(self, iteration_count, bonus, episode_return):
        self.rows.append((int(iteration_count), float(bonus), float(episode_return)))


@final
class Spy(AbstractIterationCallback):
    """Tells the host, after every iteration, the environment's bonus and the mean return."""

    seen: _Seen = eqx.field(static=True)

    def on_iteration(self, ctx, *, key):
        emit(self.seen.record, ctx.iteration_count, ctx.env.bonus, ctx.metrics.episode_return)
        return ctx.state


def _family(name):
    discrete = Bonus(Discrete(2))
    box = Bonus(Box(-1.0, 1.0, (1,)))
    key = jax.random.key(0)
    if name == "ppo":
        algo = PPO(num_envs=2, num_steps=2, num_epochs=1, num_batches=1)
        return algo, discrete, MLPActorCriticPolicy(discrete, feature_size=4, key=key)
    if name == "dqn":
        algo = DQN(buffer_size=64, learning_starts=4, num_envs=2, num_steps=2, batch_size=4)
        return algo, discrete, MLPQPolicy(discrete, width_size=8, depth=1, key=key)
    if name == "td3":
        algo = TD3(
            buffer_size=64,
            learning_starts=4,
            num_envs=2,
            num_steps=2,
            batch_size=4,
            q_width_size=8,
            q_depth=1,
        )
        return algo, box, MLPDeterministicPolicy(box, width_size=8, depth=1, key=key)
    algo = SAC(
        buffer_size=64,
        learning_starts=4,
        num_envs=2,
        num_steps=2,
        batch_size=4,
        q_width_size=8,
        q_depth=1,
    )
    return algo, box, MLPSACPolicy(box, feature_size=8, width_size=8, depth=1, key=key)


def _run(name, curriculum):
    algo, env, policy = _family(name)
    seen = _Seen()
    steps = ITERATIONS * algo.steps_per_iteration
    algo.learn(env, policy, steps, key=jax.random.key(1), callback=[curriculum, Spy(seen)])
    jax.effects_barrier()
    return seen.rows


@pytest.mark.parametrize("name", ["ppo", "dqn", "sac", "td3"])
def test_scheduled_curriculum_sets_the_parameter_every_iteration(name):
    schedule = linear_schedule(0.0, 10.0, total=4)
    rows = _run(name, ScheduledCurriculum(lambda env: env.bonus, schedule))
    assert [r[0] for r in rows] == list(range(ITERATIONS))
    expected = [float(schedule(i)) for i in range(ITERATIONS)]  # 0, 2.5, 5, 7.5, 10, 10
    np.testing.assert_allclose([r[1] for r in rows], expected)
    # Every episode is one step paying the bonus of the iteration it ran in.
    np.testing.assert_allclose([r[2] for r in rows], expected)


@pytest.mark.parametrize("name", ["ppo", "dqn", "sac"])
def test_level_curriculum_advances_when_the_metric_reaches_the_threshold(name):
    curriculum = LevelCurriculum(
        where=lambda env: env.bonus,
        levels=[1.0, 2.0, 3.0],
        metric_fn=lambda ctx: ctx.reward,
        threshold=0.5,
    )
    rows = _run(name, curriculum)
    # Each level is mastered by its first episodes; the last level stays.
    np.testing.assert_allclose([r[1] for r in rows], [1.0, 2.0, 3.0, 3.0, 3.0, 3.0])


def test_level_curriculum_waits_below_the_threshold():
    curriculum = LevelCurriculum(lambda env: env.bonus, [1.0, 2.0], lambda c: c.reward, 1.5)
    rows = _run("ppo", curriculum)
    np.testing.assert_allclose([r[1] for r in rows], [1.0] * ITERATIONS)


def test_level_curriculum_smooths_the_metric():
    """running = (1 - s) * running + s * mean, over the environments that finished an
    episode in the iteration (each with its latest episode); the first observation sets it,
    and a new level starts afresh."""
    from lerax.callback import IterationContext, ResetContext

    curriculum = LevelCurriculum(lambda e: e.bonus, [0.0, 1.0], lambda c: c.reward, 0.5, 0.5)
    ctx, key = ResetContext(num_envs=2), jax.random.key(0)
    state = curriculum.reset(ctx, key=key)
    step_state = jax.vmap(lambda _: curriculum.step_reset(ctx, key=key))(jnp.arange(2))

    def iterate(state, step_state, metrics, finished):
        finished = jnp.asarray(finished)
        step_state = eqx.tree_at(
            lambda s: (s.last_metric, s.episodes),
            step_state,
            (
                jnp.where(finished, jnp.asarray(metrics), step_state.last_metric),
                step_state.episodes + finished.astype(jnp.int32),
            ),
        )
        ctx = IterationContext(
            state=state,
            step_state=step_state,
            env=None,
            policy=None,
            iteration_count=jnp.array(0),
            opt_state=None,
            training_log={},
            algorithm=None,
        )
        return curriculum.on_iteration(ctx, key=key), step_state

    # Nothing finished: nothing observed.
    state, step_state = iterate(state, step_state, [9.0, 9.0], [False, False])
    assert not bool(state.observed) and int(state.level) == 0
    # First observation sets the average: mean of 0.0 and 0.2.
    state, step_state = iterate(state, step_state, [0.0, 0.2], [True, True])
    assert float(state.running_metric) == pytest.approx(0.1) and int(state.level) == 0
    # Only the second environment finished: 0.5 * 0.1 + 0.5 * 0.3; the first one's stale
    # metric does not count.
    state, step_state = iterate(state, step_state, [5.0, 0.3], [False, True])
    assert float(state.running_metric) == pytest.approx(0.2) and int(state.level) == 0
    # 0.5 * 0.2 + 0.5 * 1.0 = 0.6 >= 0.5: the next level, averaging afresh.
    state, step_state = iterate(state, step_state, [1.0, 1.0], [True, True])
    assert int(state.level) == 1 and not bool(state.observed)


def test_schedules_have_the_documented_values():
    lin = linear_schedule(2.0, 10.0, total=8)
    assert [float(lin(i)) for i in (0, 4, 8, 100)] == [2.0, 6.0, 10.0, 10.0]
    cos = cosine_schedule(2.0, 10.0, total=8)
    np.testing.assert_allclose([float(cos(i)) for i in (0, 4, 8, 9)], [2.0, 6.0, 10.0, 10.0])
    assert float(cos(2)) == pytest.approx(10.0 + (2.0 - 10.0) * 0.5 * (1 + np.cos(np.pi / 4)))
    step = step_schedule([0.5, 1.0, 2.0], [10, 20])
    assert [float(step(i)) for i in (0, 9, 10, 19, 20, 1000)] == [0.5, 0.5, 1.0, 1.0, 2.0, 2.0]
    assert float(jax.jit(step)(jnp.array(15))) == 1.0


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="one more value than boundaries"):
        step_schedule([1.0, 2.0], [1, 2])
    with pytest.raises(ValueError, match="increase"):
        step_schedule([1.0, 2.0, 3.0], [5, 5])
    with pytest.raises(ValueError, match="total"):
        linear_schedule(0.0, 1.0, total=0)
    with pytest.raises(TypeError, match="schedule_fn"):
        ScheduledCurriculum(lambda e: e.bonus, 3.0)
    with pytest.raises(ValueError, match="levels"):
        LevelCurriculum(lambda e: e.bonus, [], lambda c: c.reward, 1.0)
    with pytest.raises(ValueError, match="smoothing"):
        LevelCurriculum(lambda e: e.bonus, [1.0], lambda c: c.reward, 1.0, smoothing=0.0)


@final
class Doubling(AbstractIterationCallback):
    """A documented-style curriculum with a relative change: doubles the bonus each time
    it is applied, so the environment of iteration i shows how often that happened."""

    def on_iteration(self, ctx, *, key):
        return ctx.state

    def apply_curriculum(self, state, callback_state):
        return eqx.tree_at(lambda s: s.env.bonus, state, 2.0 * state.env.bonus)


def test_apply_curriculum_runs_once_per_iteration():
    algo, env, policy = _family("ppo")
    env = eqx.tree_at(lambda e: e.bonus, env, jnp.array(1.0, jnp.float32))
    seen = _Seen()
    algo.learn(
        env,
        policy,
        ITERATIONS * algo.steps_per_iteration,
        key=jax.random.key(1),
        callback=[Doubling(), Spy(seen)],
    )
    jax.effects_barrier()
    np.testing.assert_allclose(
        [r[1] for r in seen.rows], [2.0 ** (i + 1) for i in range(ITERATIONS)]
    )


def test_curriculum_under_vmap_over_seeds_and_after_resume():
    """Many seeds in one call see the same schedule; a resumed run continues the count."""
    algo, env, policy = _family("ppo")
    schedule = linear_schedule(0.0, 10.0, total=4)
    seen = _Seen()
    callback = [ScheduledCurriculum(lambda e: e.bonus, schedule), Spy(seen)]
    steps = ITERATIONS * algo.steps_per_iteration
    algo.learn_many(
        env, policy, steps, keys=jax.random.split(jax.random.key(2), 2), callback=callback
    )
    jax.effects_barrier()
    # (JAX calls the host once per seed only for arguments that differ between seeds.)
    assert sorted({r[0] for r in seen.rows}) == list(range(ITERATIONS))
    for count, bonus, ret in seen.rows:
        assert bonus == pytest.approx(float(schedule(count))) == pytest.approx(ret)

    seen.rows.clear()
    state = algo.init(env, policy, key=jax.random.key(3))
    state = algo.train(env, state, 3, callback=callback)
    state = algo.train(env, state, 3, callback=callback)
    jax.effects_barrier()
    assert [r[0] for r in seen.rows] == [0, 1, 2, 3, 4, 5]
    np.testing.assert_allclose([r[1] for r in seen.rows], [float(schedule(i)) for i in range(6)])
