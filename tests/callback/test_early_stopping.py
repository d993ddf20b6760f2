"""EarlyStoppingCallback stops training (the remaining iterations are skipped)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.callback import EarlyStoppingCallback

from ._drive import drive
from .conftest import NUM_ITERATIONS


def test_training_stops_at_the_threshold(setup, single):
    threshold = 0.5
    # Where the full run first reached the threshold (after at least one episode).
    first = next(
        r
        for r in single.iterations
        if r["metrics"]["episode_return"] >= threshold and r["metrics"]["episodes"] > 0
    )
    assert first["iteration"] < NUM_ITERATIONS - 1
    state = single.run(single.with_threshold(threshold))  # same compiled run
    assert int(state.global_step) == first["global_step"]
    assert int(state.global_step) < int(single.state.global_step)
    # Hooks ran exactly up to the stopping iteration.
    assert [r["iteration"] for r in single.recorder.iterations] == list(
        range(first["iteration"] + 1)
    )


def test_decision_rules():
    ret = jnp.array([-3.0, 1.0, 2.0, 5.0, 0.0])
    episodes = jnp.array([0.0, 1.0, 2.0, 3.0, 4.0])
    key = jax.random.key(0)
    running, _ = drive(
        EarlyStoppingCallback(2.0), {"episode_return": ret, "episodes": episodes}, key
    )
    np.testing.assert_array_equal(running, [True, True, False, False, False])
    # No decision before the first episode: a return of 0 is not "<= -1" yet at episode 0.
    running, _ = drive(
        EarlyStoppingCallback(-1.0, mode="min"), {"episode_return": ret, "episodes": episodes}, key
    )
    np.testing.assert_array_equal(running, [True, True, True, True, True])
    running, _ = drive(
        EarlyStoppingCallback(0.5, metric="loss", mode="min"),
        {"loss": jnp.array([3.0, 2.0, 1.0, 0.4, 0.1])},
        key,
    )
    np.testing.assert_array_equal(running, [True, True, True, False, False])


def test_errors():
    # (a TypeError instead when the tests run with jaxtyping's runtime type checks)
    with pytest.raises((ValueError, TypeError), match="mode"):
        EarlyStoppingCallback(1.0, mode="up")
    with pytest.raises(ValueError, match=r"no metric 'reward'.*'loss'\]"):
        drive(
            EarlyStoppingCallback(1.0, metric="reward"), {"loss": jnp.zeros(3)}, jax.random.key(0)
        )
