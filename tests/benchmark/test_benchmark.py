"""lerax.benchmark episode and trajectory rollouts on probe environments with known returns."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.benchmark import Trajectory, average_reward, rollout_episode, rollout_trajectory
from lerax.policy import MLPQPolicy

from ._envs import CounterEnv, FirstStepPolicy, FixedPolicy, KeyCheckingPolicy

KEY = jax.random.key(0)


@pytest.mark.parametrize("deterministic", [False, True])
def test_average_reward_is_the_episode_length(deterministic):
    env = CounterEnv(length=5)
    result = average_reward(env, FixedPolicy(action=0), 3, 100, deterministic, key=KEY)
    assert result.shape == () and result.dtype == jnp.float32
    assert float(result) == 5.0


def test_average_reward_is_capped_by_max_steps():
    assert (
        float(average_reward(CounterEnv(length=5), FixedPolicy(action=0), max_steps=3, key=KEY))
        == 3.0
    )
    # An episode that never ends still stops.
    assert float(average_reward(CounterEnv(), FixedPolicy(action=1), max_steps=7, key=KEY)) == 14.0


def test_average_reward_is_the_mean_of_vmapped_episodes():
    env = CounterEnv(length=9, random_length=True)
    policy = FirstStepPolicy()
    key = jax.random.key(42)
    mean = average_reward(env, policy, num_episodes=6, max_steps=50, key=key)
    episodes = jax.vmap(lambda k: rollout_episode(env, policy, key=k, max_steps=50))(
        jax.random.split(key, 6)
    )
    returns, lengths = map(np.asarray, episodes)
    assert len(set(lengths.tolist())) > 1  # the episodes really differ
    np.testing.assert_array_equal(returns, lengths + 2)  # 1 per step, +2 for the first action
    assert float(mean) == pytest.approx(returns.mean(), rel=1e-6)


def test_rollout_episode_threads_policy_state_and_stops_at_the_end():
    total, length = rollout_episode(CounterEnv(length=5), FirstStepPolicy(), key=KEY)
    assert total.dtype == jnp.float32 and length.dtype == jnp.int32
    assert (float(total), int(length)) == (7.0, 5)
    total, length = rollout_episode(CounterEnv(length=5), FirstStepPolicy(), key=KEY, max_steps=2)
    assert (float(total), int(length)) == (4.0, 2)


def test_rollout_episode_stops_on_truncation_and_at_the_cap():
    total, length = rollout_episode(CounterEnv(truncate_after=4), FixedPolicy(action=0), key=KEY)
    assert (float(total), int(length)) == (4.0, 4)
    total, length = rollout_episode(CounterEnv(), FixedPolicy(action=0), key=KEY, max_steps=11)
    assert (float(total), int(length)) == (11.0, 11)


def test_deterministic_passes_key_none_and_stochastic_passes_a_key():
    env = CounterEnv(length=3)
    assert (
        float(
            average_reward(env, KeyCheckingPolicy(deterministic=True), deterministic=True, key=KEY)
        )
        == 3.0
    )
    total, _ = rollout_episode(env, KeyCheckingPolicy(deterministic=False), key=KEY)
    assert float(total) == 3.0
    traj = rollout_trajectory(
        env, KeyCheckingPolicy(deterministic=True), 4, key=KEY, deterministic=True
    )
    assert traj.rewards.shape == (4,)
    with pytest.raises(AssertionError, match="passed a key"):
        rollout_episode(env, KeyCheckingPolicy(deterministic=True), key=KEY)
    with pytest.raises(AssertionError, match="key=None"):
        rollout_trajectory(
            env, KeyCheckingPolicy(deterministic=False), 4, key=KEY, deterministic=True
        )


@pytest.mark.parametrize("deterministic", [False, True])
def test_the_environment_mask_of_the_current_state_is_passed(deterministic):
    # Only action t % 3 is allowed, so even a fully random Q policy takes it: reward 1 + t % 3.
    env = CounterEnv(length=6, cyclic_mask=True)
    policy = MLPQPolicy(env, epsilon=1.0, width_size=4, depth=1, key=jax.random.key(1))
    total, length = rollout_episode(env, policy, key=KEY, deterministic=deterministic)
    assert (float(total), int(length)) == (12.0, 6)


def test_rollout_trajectory_records_a_trajectory_across_auto_resets():
    traj = rollout_trajectory(CounterEnv(length=3), FirstStepPolicy(), 8, key=KEY)
    assert isinstance(traj, Trajectory)
    np.testing.assert_array_equal(traj.observations[:, 0], [0, 1, 2, 0, 1, 2, 0, 1])
    np.testing.assert_array_equal(traj.next_observations[:, 0], [1, 2, 3, 1, 2, 3, 1, 2])
    # The policy state is reset with the environment: action 2 starts every episode.
    np.testing.assert_array_equal(traj.actions, [2, 0, 0, 2, 0, 0, 2, 0])
    np.testing.assert_array_equal(traj.rewards, [3, 1, 1, 3, 1, 1, 3, 1])
    np.testing.assert_array_equal(traj.terminals, [0, 0, 1, 0, 0, 1, 0, 0])
    assert not np.any(traj.truncations)
    assert traj.rewards.dtype == jnp.float32 and traj.terminals.dtype == jnp.bool_


def test_rollout_trajectory_marks_truncations():
    traj = rollout_trajectory(CounterEnv(truncate_after=2), FixedPolicy(action=0), 6, key=KEY)
    np.testing.assert_array_equal(traj.truncations, [0, 1, 0, 1, 0, 1])
    assert not np.any(traj.terminals)
    np.testing.assert_array_equal(traj.observations[:, 0], [0, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(traj.next_observations[:, 0], [1, 2, 1, 2, 1, 2])


def test_bad_arguments_are_rejected():
    env, policy = CounterEnv(length=2), FixedPolicy(action=0)
    with pytest.raises(ValueError, match="num_episodes"):
        average_reward(env, policy, num_episodes=0, key=KEY)
    with pytest.raises(ValueError, match="max_steps"):
        average_reward(env, policy, max_steps=-1, key=KEY)
    with pytest.raises(TypeError, match="max_steps"):
        rollout_episode(env, policy, key=KEY, max_steps=2.5)
    with pytest.raises(ValueError, match="num_steps"):
        rollout_trajectory(env, policy, 0, key=KEY)
    with pytest.raises(TypeError, match="deterministic"):
        rollout_trajectory(env, policy, 3, key=KEY, deterministic="yes")
