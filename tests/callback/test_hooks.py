"""Every hook is called the right number of times, and callbacks never change learning."""

import equinox as eqx
import jax
import numpy as np

from .conftest import NUM_ITERATIONS


def _same(a, b):
    """Bitwise equality of every array leaf (keys included)."""
    la = jax.tree.leaves(eqx.filter(a, eqx.is_array))
    lb = jax.tree.leaves(eqx.filter(b, eqx.is_array))
    la = [
        jax.random.key_data(x) if jax.dtypes.issubdtype(x.dtype, jax.dtypes.prng_key) else x
        for x in la
    ]
    lb = [
        jax.random.key_data(x) if jax.dtypes.issubdtype(x.dtype, jax.dtypes.prng_key) else x
        for x in lb
    ]
    return len(la) == len(lb) and all(np.array_equal(x, y) for x, y in zip(la, lb))


def test_hook_call_counts(setup, single):
    algo = setup.algo
    steps_per_iteration = algo.num_envs * algo.num_steps
    assert single.starts == [0]
    # on_step: once per environment per step, vmapped over environments.
    assert len(single.steps) == NUM_ITERATIONS * steps_per_iteration
    expected_steps = np.repeat(
        np.arange(1, NUM_ITERATIONS * algo.num_steps + 1) * algo.num_envs, algo.num_envs
    )
    np.testing.assert_array_equal(single.steps, expected_steps)
    # on_iteration: once per iteration, with the state threaded through.
    assert [r["iteration"] for r in single.iterations] == list(range(NUM_ITERATIONS))
    assert [r["count"] for r in single.iterations] == list(range(NUM_ITERATIONS))
    assert [r["global_step"] for r in single.iterations] == [
        (i + 1) * steps_per_iteration for i in range(NUM_ITERATIONS)
    ]
    # The per-environment step states count each environment's steps.
    assert single.iterations[-1]["step_counts"] == [NUM_ITERATIONS * algo.num_steps] * algo.num_envs
    assert set(single.iterations[0]["metrics"]) == {
        "loss",
        "epsilon",
        "episode_return",
        "episode_length",
        "episodes",
    }
    # on_training_end sees the final callback state.
    assert single.ends == [(NUM_ITERATIONS * steps_per_iteration, NUM_ITERATIONS)]
    assert int(single.state.global_step) == NUM_ITERATIONS * steps_per_iteration


def test_callbacks_do_not_change_learning(setup, single):
    plain = setup.algo.train(setup.env, setup.state, NUM_ITERATIONS)
    assert _same(plain, single.state)
    # and learning did happen (the parameters moved)
    before = jax.tree.leaves(eqx.filter(setup.state.policy, eqx.is_inexact_array))
    after = jax.tree.leaves(eqx.filter(plain.policy, eqx.is_inexact_array))
    assert any(not np.array_equal(a, b) for a, b in zip(before, after))


def test_rerun_hits_the_compilation_cache(setup, single):
    # Same callback object -> same compiled run -> same results and same hook calls.
    traces = len(single.traces)
    assert traces >= 1
    state = single.run()
    assert len(single.traces) == traces  # nothing was traced again
    assert _same(state, single.state)
    assert single.recorder.iterations == single.iterations
