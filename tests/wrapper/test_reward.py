"""Reward wrappers: TransformReward and ClipReward."""

import jax
import numpy as np
import pytest

from lerax.wrapper import ClipReward, TransformReward

from ._envs import CounterEnv, counter_actions, rollout

KEY = jax.random.key(0)
ACTIONS = counter_actions(3.0, -2.0, 0.5, 1.0, -0.25)


def test_transform_reward():
    out = rollout(TransformReward(CounterEnv(), lambda r: r * r - 1.0), ACTIONS, KEY)
    assert out.reward.tolist() == [8.0, 3.0, -0.75, 0.0, -0.9375]
    np.testing.assert_array_equal(out.obs[-1], [2.25, 5.0])  # dynamics untouched


def test_clip_reward_default_interval():
    out = rollout(ClipReward(CounterEnv()), ACTIONS, KEY)
    assert out.reward.tolist() == [1.0, -1.0, 0.5, 1.0, -0.25]


def test_clip_reward_one_sided():
    out = rollout(ClipReward(CounterEnv(), min=0.0, max=np.inf), ACTIONS, KEY)
    assert out.reward.tolist() == [3.0, 0.0, 0.5, 1.0, 0.0]


@pytest.mark.parametrize("min, max", [(1.0, 1.0), (2.0, -2.0), (np.nan, 1.0)])
def test_clip_reward_invalid_interval(min, max):
    with pytest.raises(ValueError, match="ClipReward needs min < max"):
        ClipReward(CounterEnv(), min=min, max=max)
