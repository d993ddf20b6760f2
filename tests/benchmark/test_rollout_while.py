"""The documented `rollout_while` and `average_reward(max_steps=None)`: whole episodes."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.benchmark import SAFETY_CAP, average_reward, rollout_episode, rollout_while
from lerax.wrapper import TimeLimit

from ._envs import CounterEnv, FirstStepPolicy, FixedPolicy, KeyCheckingPolicy

KEY = jax.random.key(0)


def test_returns_the_total_reward_of_the_episode():
    result = rollout_while(CounterEnv(length=5), FirstStepPolicy(), key=KEY)
    assert result.shape == () and result.dtype == jnp.float32
    assert float(result) == 7.0  # 3 for the first action, then 1 per step
    assert (
        float(rollout_while(CounterEnv(truncate_after=4), FixedPolicy(action=2), key=KEY)) == 12.0
    )
    # An episode that ends exactly at the cap is complete: no error.
    assert float(rollout_while(CounterEnv(length=5), FixedPolicy(), key=KEY, max_steps=5)) == 5.0


def test_random_lengths_match_rollout_episode_under_vmap():
    env, policy = CounterEnv(length=9, random_length=True), FirstStepPolicy()
    keys = jax.random.split(jax.random.key(3), 6)
    got = jax.vmap(lambda k: rollout_while(env, policy, key=k))(keys)
    totals, lengths = jax.vmap(lambda k: rollout_episode(env, policy, key=k, max_steps=50))(keys)
    assert len(set(np.asarray(lengths).tolist())) > 1
    np.testing.assert_array_equal(got, totals)
    np.testing.assert_array_equal(got, lengths + 2)


def test_an_endless_episode_raises_a_clear_error_at_the_cap():
    with pytest.raises(eqx.EquinoxRuntimeError, match=r"max_steps=50 .*TimeLimit"):
        rollout_while(CounterEnv(), FixedPolicy(), key=KEY, max_steps=50)
    # The remedy the message names works, with the default safety cap.
    assert SAFETY_CAP == 1_000_000
    limited = TimeLimit(CounterEnv(), max_episode_steps=10)
    assert float(rollout_while(limited, FixedPolicy(action=1), key=KEY)) == 20.0


def test_deterministic_passes_key_none_and_stochastic_passes_a_key():
    env = CounterEnv(length=3)
    assert (
        float(
            rollout_while(env, KeyCheckingPolicy(deterministic=True), key=KEY, deterministic=True)
        )
        == 3.0
    )
    assert float(rollout_while(env, KeyCheckingPolicy(deterministic=False), key=KEY)) == 3.0
    with pytest.raises(AssertionError, match="key=None"):
        rollout_while(env, KeyCheckingPolicy(deterministic=False), key=KEY, deterministic=True)


def test_average_reward_without_max_steps_runs_episodes_to_their_end():
    assert (
        float(average_reward(CounterEnv(length=1500), FixedPolicy(), max_steps=None, key=KEY))
        == 1500.0
    )
    env, policy = CounterEnv(length=9, random_length=True), FirstStepPolicy()
    key = jax.random.key(5)
    mean = average_reward(env, policy, num_episodes=6, max_steps=None, key=key)
    returns = jax.vmap(lambda k: rollout_while(env, policy, key=k))(jax.random.split(key, 6))
    assert float(mean) == pytest.approx(float(np.mean(returns)), rel=1e-6)


def test_average_reward_without_max_steps_raises_on_an_endless_episode():
    with pytest.raises(eqx.EquinoxRuntimeError, match=r"average_reward: .*TimeLimit"):
        average_reward(CounterEnv(), FixedPolicy(), num_episodes=2, max_steps=None, key=KEY)


def test_bad_arguments_are_rejected():
    env, policy = CounterEnv(length=2), FixedPolicy()
    with pytest.raises(ValueError, match="max_steps"):
        rollout_while(env, policy, key=KEY, max_steps=0)
    with pytest.raises(TypeError, match="max_steps"):
        rollout_while(env, policy, key=KEY, max_steps=1.5)
    with pytest.raises(TypeError, match="max_steps"):
        average_reward(env, policy, max_steps="10", key=KEY)
