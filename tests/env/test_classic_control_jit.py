"""`reset` and `step` compile once under `jax.jit` and then run for any key, state and action."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from _classic_control_cases import CASE_IDS, CASES


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_reset_and_step_trace_once(case):
    env = case.env

    @jax.jit  # the environment is a pytree of arrays: plain jax.jit takes it as an argument
    @eqx.debug.assert_max_traces(max_traces=1)
    def reset(env, key):
        return env.reset(key=key)

    @jax.jit
    @eqx.debug.assert_max_traces(max_traces=1)
    def step(env, state, action, key):
        return env.step(state, action, key=key)

    state, obs, _ = reset(env, jax.random.key(0))
    for i in range(4):
        k_reset, k_action, k_step = jax.random.split(jax.random.key(i + 1), 3)
        _, reset_obs, _ = reset(env, k_reset)
        assert not np.array_equal(reset_obs, obs)  # a new key gives a new initial state
        action = env.action_space.sample(key=k_action)
        state, obs, reward, terminal, truncate, info = step(env, state, action, k_step)

        assert obs.dtype == jnp.float32 and obs.shape == env.observation_space.shape
        assert bool(env.observation_space.contains(obs))
        assert reward.dtype == jnp.float32 and reward.shape == ()
        assert terminal.dtype == jnp.bool_ and terminal.shape == ()
        assert truncate.dtype == jnp.bool_ and truncate.shape == ()
        assert info["final_observation"].dtype == jnp.float32
        assert state.y.dtype == jnp.float32 and state.t.dtype == jnp.int32
