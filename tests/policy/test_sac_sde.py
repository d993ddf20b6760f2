"""MLPSACPolicy(use_sde=True): gSDE exploration held in the policy state."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.distribution import SquashedSDENormal
from lerax.policy import MLPSACPolicy, SDEState
from lerax.space import AbstractSpace, Box


class FakeEnv(eqx.Module):
    observation_space: AbstractSpace
    action_space: AbstractSpace


ENV = FakeEnv(Box(-1.0, 1.0, shape=(3,)), Box(np.array([-2.0, 0.0]), np.array([2.0, 1.0])))
OBS = jnp.array([0.2, -0.5, 0.9])
FREQ = 4


@pytest.fixture(scope="module")
def policy():
    return MLPSACPolicy(
        ENV,
        feature_size=8,
        width_size=8,
        depth=1,
        use_sde=True,
        log_std_init=-1.0,
        sde_sample_freq=FREQ,
        key=jax.random.key(0),
    )


@eqx.filter_jit
def _rollout(policy, state, keys):
    """Sampled and greedy actions for the same observation, one per key, state carried."""

    def body(state, key):
        _, greedy = policy(state, OBS)
        state, action = policy(state, OBS, key=key)
        return state, (action, greedy)

    return jax.lax.scan(body, state, keys)


def test_the_state_is_a_seed_and_a_step_counter(policy):
    state = policy.reset(key=jax.random.key(1))
    assert isinstance(state, SDEState)
    assert state.seed.dtype == jnp.uint32 and state.step == 0
    assert policy.log_std.shape == (8, 2)
    np.testing.assert_array_equal(policy.log_std, -1.0)
    assert policy.log_std_head is None
    _, dist = policy.action_distribution(state, OBS)
    assert isinstance(dist, SquashedSDENormal)


def test_noise_is_held_for_sde_sample_freq_actions_then_redrawn(policy):
    state = policy.reset(key=jax.random.key(1))
    final, (actions, greedy) = _rollout(policy, state, jax.random.split(jax.random.key(2), 12))
    actions = np.asarray(actions)
    assert final.step == 12
    for start in range(0, 12, FREQ):
        block = actions[start : start + FREQ]
        np.testing.assert_array_equal(block, np.broadcast_to(block[0], block.shape))
    assert not np.allclose(actions[0], actions[FREQ]) and not np.allclose(actions[FREQ], actions[8])
    # The greedy action is the squashed (clipped) mean, whatever the noise.
    np.testing.assert_array_equal(greedy, np.broadcast_to(greedy[0], greedy.shape))
    assert not np.allclose(actions[0], greedy[0])
    other = _rollout(
        policy, policy.reset(key=jax.random.key(7)), jax.random.split(jax.random.key(2), 12)
    )
    assert not np.allclose(other[1][0][0], actions[0])


def test_noise_redrawn_only_at_reset_with_freq_minus_one():
    policy = MLPSACPolicy(
        ENV, feature_size=8, width_size=8, depth=1, use_sde=True, key=jax.random.key(0)
    )
    assert policy.sde_sample_freq == -1
    _, (actions, _) = _rollout(
        policy, policy.reset(key=jax.random.key(1)), jax.random.split(jax.random.key(2), 12)
    )
    np.testing.assert_array_equal(actions, np.broadcast_to(actions[0], actions.shape))


def test_noise_is_linear_in_the_features(policy):
    state = policy.reset(key=jax.random.key(1))
    _, dist = policy.action_distribution(state, OBS)
    features = policy.actor(OBS)
    mean = 2.0 * jnp.tanh(policy.mean_head(features) / 2.0)
    x = mean + features @ (jnp.exp(policy.log_std) * dist.exploration)
    np.testing.assert_allclose(
        dist.bijector.inverse(dist.sample(jax.random.key(0))), x, rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(dist.features, features, rtol=1e-6)


def test_log_std_and_mean_train_features_only_through_the_mean(policy):
    state = policy.reset(key=jax.random.key(1))

    def loss(p):
        _, action, log_prob = p.action_and_log_prob(state, OBS, key=jax.random.key(0))
        return jnp.sum(action**2) + 0.1 * log_prob

    grads = eqx.filter_grad(loss)(policy)
    assert np.any(np.abs(grads.log_std) > 0) and np.all(np.isfinite(grads.log_std))
    assert np.any(np.abs(grads.mean_head.weight) > 0)
    assert np.any(np.abs(grads.actor.layers[0].weight) > 0)


def test_the_default_policy_is_unchanged_and_stateless():
    policy = MLPSACPolicy(ENV, feature_size=8, width_size=8, depth=1, key=jax.random.key(0))
    assert policy.reset(key=jax.random.key(1)) is None and policy.log_std is None
    with pytest.raises(ValueError, match="without gSDE the state is None"):
        policy.action_distribution(SDEState(jnp.uint32(0), jnp.int32(0)), OBS)


@pytest.mark.parametrize(
    "overrides, error, match",
    [
        (dict(use_sde=1), TypeError, "use_sde"),  # ours or jaxtyping's, both name it
        (dict(use_sde=True, sde_sample_freq=0), ValueError, "sde_sample_freq must be"),
        (dict(use_sde=True, sde_sample_freq=-2), ValueError, "sde_sample_freq must be"),
        (dict(use_sde=True, log_std_init=float("nan")), ValueError, "log_std_init must be"),
    ],
)
def test_bad_gsde_arguments_raise(overrides, error, match):
    with pytest.raises(error, match=match):
        MLPSACPolicy(ENV, feature_size=8, width_size=8, depth=1, **overrides, key=jax.random.key(0))


def test_a_gsde_policy_needs_its_state(policy):
    with pytest.raises(ValueError, match="the state must be the SDEState of reset"):
        policy(None, OBS, key=jax.random.key(0))
