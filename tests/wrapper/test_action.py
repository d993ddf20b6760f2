"""Action wrappers: TransformAction, ClipAction, RescaleAction.

`CounterEnv` rewards the action it receives, so the reward shows the transformed action.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.space import Box, Discrete
from lerax.wrapper import ClipAction, RescaleAction, TransformAction

from ._envs import ChoiceEnv, CounterEnv, counter_actions, rollout

KEY = jax.random.key(0)


def test_clip_action_clips_to_the_inner_bounds():
    env = ClipAction(CounterEnv())
    assert env.action_space == Box(-np.inf, np.inf, (1,))
    out = rollout(env, counter_actions(5.0, -7.0, 0.5, 3.0, -2.0), KEY)
    assert out.reward.tolist() == [3.0, -2.0, 0.5, 3.0, -2.0]
    np.testing.assert_array_equal(out.obs[1], [1.0, 2.0])


def test_rescale_action_maps_the_bounds_exactly():
    env = RescaleAction(CounterEnv())  # [-1, 1] -> [-2, 3]
    assert env.action_space == Box(-1.0, 1.0, (1,))
    out = rollout(env, counter_actions(-1.0, 1.0, 0.0, 0.5, -0.5), KEY)
    assert out.reward.tolist() == [-2.0, 3.0, 0.5, 1.75, -0.75]


def test_rescale_action_custom_interval():
    env = RescaleAction(CounterEnv(), min=0.0, max=10.0)
    assert env.action_space == Box(0.0, 10.0, (1,))
    actions = jnp.array([[0.0], [10.0], [5.0], [2.0]])
    assert env.transform_action(actions[0]).tolist() == [-2.0]
    assert env.transform_action(actions[1]).tolist() == [3.0]
    assert env.transform_action(actions[2]).tolist() == [0.5]
    np.testing.assert_allclose(env.transform_action(actions[3]), [-1.0], rtol=1e-6)


@pytest.mark.parametrize(
    "min, max, message",
    [
        (1.0, 1.0, "RescaleAction needs finite min < max"),
        (2.0, 1.0, "RescaleAction needs finite min < max"),
        (-np.inf, 1.0, "RescaleAction needs finite min < max"),
        (-1.0, np.nan, "RescaleAction needs finite min < max"),
        (np.zeros(3), 1.0, "min and max must broadcast"),
    ],
)
def test_rescale_action_invalid_interval(min, max, message):
    with pytest.raises(ValueError, match=message):
        RescaleAction(CounterEnv(), min=min, max=max)


def test_rescale_action_needs_finite_inner_bounds():
    # ClipAction's own action space is unbounded, so there is nothing to rescale to.
    with pytest.raises(
        ValueError,
        match=r"RescaleAction needs finite action space bounds, got Box\(-inf, inf, \(1,\)\)",
    ):
        RescaleAction(ClipAction(CounterEnv()))


def test_transform_action_with_a_new_space():
    env = TransformAction(CounterEnv(), lambda a: jnp.array([a - 1.0]), Discrete(3))
    assert env.action_space == Discrete(3)
    out = rollout(env, jnp.array([0, 2, 1, 2]), KEY)
    assert out.reward.tolist() == [-1.0, 1.0, 0.0, 1.0]
    np.testing.assert_array_equal(out.obs[-1], [1.0, 4.0])
    assert out.masks is None


def test_transform_action_mask_func():
    inner = ChoiceEnv()  # action 2 is masked out on odd steps
    reverse = TransformAction(inner, lambda a: 2 - a, Discrete(3), mask_func=lambda m: m[::-1])
    out = rollout(reverse, jnp.array([0, 0, 1, 2]), KEY)
    assert out.reward.tolist() == [2.0, 2.0, 1.0, 0.0]
    assert out.info["action"].tolist() == [2, 2, 1, 0]  # transition_info sees inner actions
    assert out.masks.tolist() == [[True, True, True], [False, True, True]] * 2
    passthrough = TransformAction(inner, lambda a: a, Discrete(3))
    assert rollout(passthrough, jnp.array([0, 0]), KEY).masks.tolist() == [
        [True, True, True],
        [True, True, False],
    ]


def test_transform_action_rejects_bad_arguments():
    with pytest.raises(TypeError, match="func"):
        TransformAction(CounterEnv(), 3, Discrete(2))
    with pytest.raises(TypeError, match="action_space"):
        TransformAction(CounterEnv(), lambda a: a, "Discrete(2)")
