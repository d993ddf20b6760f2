"""Classic-control environments batch with `jax.vmap`: 4096 at once, same as one by one."""

import equinox as eqx
import jax
import numpy as np
import pytest
from _classic_control_cases import CASE_IDS, CASES

NUM_ENVS = 4096
NUM_LOOPED = 16


def _reset_and_step(env, key):
    """Reset, then one random step."""
    k_reset, k_action, k_step = jax.random.split(key, 3)
    state, _, _ = env.reset(key=k_reset)
    action = env.action_space.sample(key=k_action)
    state, obs, reward, terminal, truncate, _ = env.step(state, action, key=k_step)
    return state.y, obs, reward, terminal, truncate


@eqx.filter_jit
def _batched_and_looped(env, keys):
    batched = jax.vmap(lambda k: _reset_and_step(env, k))(keys)
    looped = jax.lax.map(lambda k: _reset_and_step(env, k), keys[:NUM_LOOPED])
    return batched, looped


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_vmap_over_4096_envs_matches_loop(case):
    keys = jax.random.split(jax.random.key(0), NUM_ENVS)
    batched, looped = _batched_and_looped(case.env, keys)
    y, obs, reward, terminal, truncate = batched
    assert obs.shape == (NUM_ENVS, *case.env.observation_space.shape)
    assert reward.shape == terminal.shape == truncate.shape == (NUM_ENVS,)
    assert len(np.unique(np.asarray(obs), axis=0)) > NUM_ENVS // 2  # independent episodes
    for many, one in zip(batched, looped, strict=True):
        np.testing.assert_allclose(
            np.asarray(many)[:NUM_LOOPED], np.asarray(one), rtol=1e-6, atol=1e-6
        )
