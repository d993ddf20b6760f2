"""EpisodeStatistics: returns, lengths, end flags and counts in every info."""

import jax
import numpy as np

from lerax.wrapper import EpisodeStatistics, TimeLimit

from ._envs import CounterEnv, counter_actions, rollout

KEY = jax.random.key(0)
REWARDS = [1.0, 2.0, -1.0, 0.5, 3.0, -2.0, 1.0]


def test_statistics_of_terminating_episodes():
    out = rollout(EpisodeStatistics(CounterEnv(episode_length=3)), counter_actions(*REWARDS), KEY)
    info = out.info
    assert out.reward.tolist() == REWARDS
    assert info["episode_return"].tolist() == [1.0, 3.0, 2.0, 0.5, 3.5, 1.5, 1.0]
    assert info["episode_length"].tolist() == [1, 2, 3, 1, 2, 3, 1]
    assert info["episode_done"].tolist() == [False, False, True, False, False, True, False]
    assert info["episode_count"].tolist() == [0, 0, 1, 1, 1, 2, 2]
    # On the steps that end an episode, the return is the sum of that episode's rewards.
    assert info["episode_return"][2] == sum(REWARDS[0:3])
    assert info["episode_return"][5] == sum(REWARDS[3:6])
    for k in ("episode_return", "episode_length", "episode_done", "episode_count"):
        assert not out.first_info[k]
    # The count survives the auto-reset; the rest restarts.
    own = out.state.wrapper_state
    assert own.episode_count.tolist() == [0, 0, 1, 1, 1, 2, 2]
    assert own.episode_length.tolist() == [1, 2, 0, 1, 2, 0, 1]


def test_statistics_see_truncation_from_inside():
    env = EpisodeStatistics(TimeLimit(CounterEnv(), 2))
    out = rollout(env, counter_actions(*REWARDS[:5]), KEY)
    assert out.info["episode_done"].tolist() == [False, True, False, True, False]
    assert out.info["episode_return"].tolist() == [1.0, 3.0, -1.0, -0.5, 3.0]
    assert out.info["episode_length"].tolist() == [1, 2, 1, 2, 1]
    assert out.info["episode_count"].tolist() == [0, 1, 1, 2, 2]
    np.testing.assert_array_equal(out.info["done"], out.info["episode_done"])
