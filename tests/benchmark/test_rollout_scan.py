"""The documented `rollout_scan`: the summed reward of one episode of at most `max_steps` steps."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.benchmark import rollout_scan, rollout_trajectory
from lerax.policy import MLPQPolicy

from ._envs import CounterEnv, FirstStepPolicy, FixedPolicy, KeyCheckingPolicy

KEY = jax.random.key(0)


def python_loop_return(env, policy, max_steps):
    """Reference: step the environment in a Python loop until the episode ends."""
    state, observation, _ = env.reset(key=KEY)
    policy_state = policy.reset(key=KEY)
    total = 0.0
    for _ in range(max_steps):
        policy_state, action = policy(policy_state, observation, key=None)
        state, observation, reward, terminal, truncate, _ = env.step(state, action, key=KEY)
        total += float(reward)
        if terminal or truncate:
            break
    return total


@pytest.mark.parametrize(
    ("env", "policy", "max_steps"),
    [
        (CounterEnv(length=5), FirstStepPolicy(), 8),  # the episode ends: 3 + 1 + 1 + 1 + 1
        (CounterEnv(length=5), FirstStepPolicy(), 3),  # cut off by max_steps
        (CounterEnv(length=5), FirstStepPolicy(), 5),  # ends on the last scanned step
        (CounterEnv(truncate_after=4), FixedPolicy(action=1), 10),  # truncation ends it
        (CounterEnv(), FixedPolicy(action=2), 6),  # never ends
    ],
)
def test_equals_a_python_loop(env, policy, max_steps):
    result = rollout_scan(env, policy, key=KEY, max_steps=max_steps)
    assert result.shape == () and result.dtype == jnp.float32
    assert float(result) == python_loop_return(env, policy, max_steps)


def test_steps_after_the_end_contribute_nothing():
    # Without the mask the auto-reset episodes would add 3 + 1 + ... to the 7 of the first.
    env, policy = CounterEnv(length=5), FirstStepPolicy()
    assert float(rollout_scan(env, policy, key=KEY, max_steps=100)) == 7.0
    traj = rollout_trajectory(env, policy, 100, key=KEY)
    assert float(traj.rewards.sum()) > 7.0


def test_random_episodes_match_the_recorded_trajectory():
    # Random lengths and random actions: the reference sums the rewards of the
    # trajectory recorded with the same key up to the first episode end.
    env = CounterEnv(length=9, random_length=True)
    policy = MLPQPolicy(env, epsilon=1.0, width_size=4, depth=1, key=jax.random.key(1))
    keys = jax.random.split(jax.random.key(7), 6)
    got = jax.vmap(lambda k: rollout_scan(env, policy, key=k, max_steps=7))(keys)
    expected = []
    for k in keys:
        traj = rollout_trajectory(env, policy, 7, key=k)
        done = np.asarray(traj.terminals | traj.truncations)
        end = int(np.argmax(done)) + 1 if done.any() else 7
        expected.append(float(np.asarray(traj.rewards)[:end].sum()))
    assert len(set(expected)) > 1  # the episodes really differ
    np.testing.assert_array_equal(got, np.array(expected, np.float32))


def test_deterministic_passes_key_none_and_stochastic_passes_a_key():
    env = CounterEnv(length=3)
    policy = KeyCheckingPolicy(deterministic=True)
    assert float(rollout_scan(env, policy, key=KEY, deterministic=True, max_steps=4)) == 3.0
    with pytest.raises(AssertionError, match="passed a key"):
        rollout_scan(env, policy, key=KEY, max_steps=4)
    stochastic = KeyCheckingPolicy(deterministic=False)
    assert float(rollout_scan(env, stochastic, key=KEY, max_steps=4)) == 3.0


def test_bad_arguments_are_rejected():
    env, policy = CounterEnv(length=2), FixedPolicy(action=0)
    with pytest.raises(ValueError, match="max_steps"):
        rollout_scan(env, policy, key=KEY, max_steps=0)
    with pytest.raises(TypeError, match="max_steps"):
        rollout_scan(env, policy, key=KEY, max_steps=None)
    with pytest.raises(TypeError, match="deterministic"):
        rollout_scan(env, policy, key=KEY, deterministic=1)
