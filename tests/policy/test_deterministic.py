"""MLPDeterministicPolicy: bounded tanh actions, clipped Gaussian exploration, jit/vmap,
gradients and serialisation."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.policy import AbstractDeterministicPolicy, AbstractPolicy, MLPDeterministicPolicy
from lerax.space import AbstractSpace, Box, Discrete


class FakeEnv(eqx.Module):
    observation_space: AbstractSpace
    action_space: AbstractSpace


OBS_SPACE = Box(-1.0, 1.0, shape=(3,))
ACTION_SPACE = Box(np.array([-2.0, 0.0]), np.array([2.0, 10.0]))
LOW, HIGH = np.asarray(ACTION_SPACE.low), np.asarray(ACTION_SPACE.high)
ENV = FakeEnv(OBS_SPACE, ACTION_SPACE)
SIZES = dict(width_size=8, depth=1)
B = 16
N_NOISE = 4096


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def probe(policy, obs, keys, noise_keys):
    def one(o, k):
        return dict(det=policy(None, o)[1], noisy=policy(None, o, key=k)[1])

    out = jax.vmap(one)(obs, keys)
    # Many noise draws for the first observation.
    out["noise"] = jax.vmap(lambda k: policy(None, obs[0], key=k)[1])(noise_keys)

    def actor_loss(p):  # DDPG-style: push every action component up
        return jnp.mean(jax.vmap(lambda o: jnp.sum(p.deterministic_action(None, o)[1]))(obs))

    out["grads"] = eqx.filter_grad(actor_loss)(policy)
    return out


def inputs(seed):
    rng = np.random.default_rng(seed)
    obs = jnp.asarray(rng.uniform(-1.0, 1.0, (B, 3)), jnp.float32)
    keys = jax.random.split(jax.random.key(seed), B + N_NOISE)
    return obs, keys[:B], keys[B:]


@pytest.fixture(scope="module")
def policy():
    return MLPDeterministicPolicy(ENV, **SIZES, exploration_noise=0.1, key=jax.random.key(0))


@pytest.fixture(scope="module")
def results(policy):
    args = inputs(1)
    out = probe(policy, *args)
    return args, {k: v if k == "grads" else np.asarray(v) for k, v in out.items()}


def test_actions_are_tanh_outputs_scaled_to_the_bounds(policy, results):
    (obs, _, _), res = results
    assert isinstance(policy, AbstractDeterministicPolicy) and isinstance(policy, AbstractPolicy)
    assert policy.name == "MLPDeterministicPolicy" and policy.reset(key=jax.random.key(0)) is None
    assert res["det"].shape == (B, 2) and res["det"].dtype == np.float32
    raw = np.asarray(jax.vmap(policy.network)(obs))  # the MLP ends with tanh
    np.testing.assert_allclose(res["det"], LOW + (HIGH - LOW) * (raw + 1) / 2, rtol=1e-5, atol=1e-6)
    assert ((res["det"] >= LOW) & (res["det"] <= HIGH)).all()
    assert ((res["noisy"] >= LOW) & (res["noisy"] <= HIGH)).all()
    assert not np.allclose(res["noisy"], res["det"])


def test_exploration_noise_has_the_documented_scale(results):
    _, res = results
    diff = res["noise"] - res["det"][0]
    expected_std = 0.1 * (HIGH - LOW) / 2
    np.testing.assert_allclose(diff.mean(0), 0.0, atol=4 * expected_std.max() / np.sqrt(N_NOISE))
    np.testing.assert_allclose(diff.std(0), expected_std, rtol=0.06)


def test_exploration_noise_is_a_traced_leaf_and_actions_are_clipped(policy, results):
    args, _ = results
    loud = eqx.tree_at(lambda p: p.exploration_noise, policy, jnp.float32(5.0))
    res = probe(loud, *args)  # assert_max_traces: no recompilation for a new noise level
    noise = np.asarray(res["noise"])
    assert ((noise >= LOW) & (noise <= HIGH)).all()
    assert (noise == LOW).any(axis=0).all() and (noise == HIGH).any(axis=0).all()
    quiet = eqx.tree_at(lambda p: p.exploration_noise, policy, jnp.float32(0.0))
    np.testing.assert_allclose(probe(quiet, *args)["noisy"], results[1]["det"])


def test_gradients_are_finite_and_nonzero(results):
    _, res = results
    leaves = jax.tree.leaves(eqx.filter(res["grads"].network, eqx.is_inexact_array))
    assert all(np.isfinite(g).all() for g in leaves)
    assert any(np.abs(g).max() > 0 for g in leaves)
    # The action bounds are array leaves but not parameters: no gradient reaches them.
    assert all((np.asarray(g) == 0).all() for g in jax.tree.leaves(res["grads"].action_space))


def test_vmap_matches_a_loop(policy, results):
    (obs, keys, _), res = results
    for i in range(2):
        np.testing.assert_allclose(policy(None, obs[i])[1], res["det"][i], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(
            policy(None, obs[i], key=keys[i])[1], res["noisy"][i], rtol=1e-5, atol=1e-6
        )


def test_serialisation_round_trip(policy, results, tmp_path):
    args, res = results
    path = policy.serialize(tmp_path / "sub" / "det")
    assert path.suffix == ".eqx"
    loaded = MLPDeterministicPolicy.deserialize(path, ENV, **SIZES, key=jax.random.key(5))
    for a, b in zip(jax.tree.leaves(policy), jax.tree.leaves(loaded)):
        np.testing.assert_array_equal(a, b)
    again = probe(loaded, *args)
    np.testing.assert_array_equal(again["det"], res["det"])
    np.testing.assert_array_equal(again["noisy"], res["noisy"])
    with pytest.raises(ValueError, match="fingerprint"):
        MLPDeterministicPolicy.deserialize(path, ENV, width_size=16, depth=1, key=jax.random.key(5))


@pytest.mark.parametrize(
    "env, overrides, error, message",
    [
        (FakeEnv(OBS_SPACE, Discrete(3)), {}, ValueError, "Discrete"),
        (FakeEnv(OBS_SPACE, Box(-np.inf, np.inf, (2,))), {}, ValueError, "finite"),
        (ENV, dict(width_size=0), ValueError, "width_size"),
        (ENV, dict(depth=-1), ValueError, "depth"),
        (ENV, dict(exploration_noise=-0.1), ValueError, "exploration_noise"),
        (ENV, dict(activation=3), TypeError, "activation"),
    ],
)
def test_bad_arguments_raise(env, overrides, error, message):
    with pytest.raises(error, match=message):
        MLPDeterministicPolicy(env, **{**SIZES, **overrides}, key=jax.random.key(0))


def test_masks_are_rejected(policy):
    with pytest.raises(ValueError, match="masked"):
        policy(None, OBS_SPACE.canonical(), action_mask=jnp.ones(2, bool))
