"""CheckFiniteCallback stops a run at the first non-finite quantity, naming the iteration
and the quantity, and changes nothing in a healthy run."""

from __future__ import annotations

import dataclasses
import re

import equinox as eqx
import jax
import jax.numpy as jnp
import pytest

from lerax.callback import CheckFiniteCallback


def test_a_healthy_run_is_unchanged(setup):
    plain = setup.algo.train(setup.env, setup.state, 12)
    checked = setup.algo.train(setup.env, setup.state, 12, callback=CheckFiniteCallback())
    assert bool(eqx.tree_equal(plain.policy, checked.policy))


def test_a_diverging_run_stops_at_the_first_bad_iteration(setup):
    # An infinite learning rate: the first gradient step makes the parameters non-finite.
    algo = dataclasses.replace(setup.algo, learning_rate=jnp.array(jnp.inf))
    with pytest.raises(Exception, match="non-finite") as info:
        state = algo.train(setup.env, setup.state, 12, callback=CheckFiniteCallback())
        jax.block_until_ready(state)
    message = str(info.value)
    found = re.search(r"training stopped at iteration (\d+): non-finite (.*) \(", message)
    assert found, message
    # 4 steps per iteration: iteration 3 (0-based) reaches learning_starts=16 steps and
    # makes the first update.
    first_update = setup.algo.learning_starts // setup.algo.steps_per_iteration - 1
    assert int(found[1]) == first_update
    assert "policy parameters" in found[2]
