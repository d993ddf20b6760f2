"""`step` reports the action mask of the state an episode ended in, not the reset one."""

import jax
import jax.numpy as jnp
import numpy as np

from tests.benchmark._envs import CounterEnv


def test_final_action_mask_is_the_pre_reset_mask():
    env = CounterEnv(truncate_after=2, cyclic_mask=True)
    state, _, info = env.reset(key=jax.random.key(0))
    np.testing.assert_array_equal(info["final_action_mask"], [True, False, False])
    state, _, _, _, truncate, info = env.step(state, jnp.array(0), key=jax.random.key(1))
    assert not bool(truncate)
    np.testing.assert_array_equal(info["final_action_mask"], [False, True, False])
    state, obs, _, _, truncate, info = env.step(state, jnp.array(1), key=jax.random.key(2))
    assert bool(truncate) and float(obs[0]) == 0.0  # reset to t = 0
    # the episode ended at t = 2, whose mask allows action 2; the new episode's allows 0
    np.testing.assert_array_equal(info["final_action_mask"], [False, False, True])
    new_mask = env.action_mask(state, key=jax.random.key(3))
    np.testing.assert_array_equal(new_mask, [True, False, False])


def test_unmasked_environments_report_none():
    env = CounterEnv(length=1)
    state, _, _ = env.reset(key=jax.random.key(0))
    *_, info = env.step(state, jnp.array(0), key=jax.random.key(1))
    assert info["final_action_mask"] is None
