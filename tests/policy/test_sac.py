"""MLPSACPolicy and MLPDiscreteSACPolicy: actors only (the algorithms own the critics);
squashed actions, masks, gradients, jit/vmap and serialisation."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, settings, strategies as st

import lerax.policy
import lerax.policy.sac.discrete
from lerax.policy import (
    AbstractDiscreteSACPolicy,
    AbstractPolicy,
    AbstractSACPolicy,
    MLPDiscreteSACPolicy,
    MLPSACPolicy,
)
from lerax.space import AbstractSpace, Box, Discrete, MultiDiscrete


class FakeEnv(eqx.Module):
    observation_space: AbstractSpace
    action_space: AbstractSpace


OBS_SPACE = Box(-1.0, 1.0, shape=(3,))
ACTION_SPACE = Box(np.array([-2.0, 0.0]), np.array([2.0, 1.0]))
LOW, HIGH = np.asarray(ACTION_SPACE.low, np.float64), np.asarray(ACTION_SPACE.high, np.float64)
ENV = FakeEnv(OBS_SPACE, ACTION_SPACE)
N = 5
DISCRETE_ENV = FakeEnv(OBS_SPACE, Discrete(N))
SIZES = dict(feature_size=8, width_size=8, depth=1)
DISCRETE_SIZES = dict(width_size=8, depth=1)
B = 24


def observations(seed):
    rng = np.random.default_rng(seed)
    return rng, jnp.asarray(rng.uniform(-1.0, 1.0, (B, 3)), jnp.float32)


def to_numpy(out):
    return {k: v if k == "grads" else np.asarray(v) for k, v in out.items()}


# --- continuous SAC ---------------------------------------------------------------------


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def probe(policy, obs, keys):
    def one(o, k):
        _, a, lp = policy.action_and_log_prob(None, o, key=k)
        _, dist = policy.action_distribution(None, o)
        mode = policy(None, o)[1]
        return dict(
            action=a,
            log_prob=lp,
            dist_log_prob=jnp.sum(dist.log_prob(a)),
            loc=dist.loc,
            scale=dist.scale,
            call=policy(None, o, key=k)[1],
            mode=mode,
            ref_loc=policy.mean_head(policy.actor(o)),
        )

    out = jax.vmap(one)(obs, keys)

    def loss(p):
        def per_example(o, k):
            _, a, lp = p.action_and_log_prob(None, o, key=k)
            return 0.2 * lp - jnp.sum(a**2)  # a stand-in critic that prefers small actions

        return jnp.mean(jax.vmap(per_example)(obs, keys))

    out["grads"] = eqx.filter_grad(loss)(policy)
    return out


@pytest.fixture(scope="module")
def sac():
    policy = MLPSACPolicy(ENV, **SIZES, key=jax.random.key(0))
    _, obs = observations(0)
    keys = jax.random.split(jax.random.key(1), B)
    return policy, (obs, keys), to_numpy(probe(policy, obs, keys))


def squashed_log_prob_np(y, loc, scale):
    u = 2 * (y - LOW) / (HIGH - LOW) - 1
    x = np.arctanh(u)
    return (
        scipy.stats.norm.logpdf(x, loc, scale) - np.log1p(-u * u) - np.log((HIGH - LOW) / 2)
    ).sum(-1)


def test_sac_actions_are_squashed_into_the_bounds(sac):
    policy, _, res = sac
    assert isinstance(policy, AbstractSACPolicy) and isinstance(policy, AbstractPolicy)
    assert policy.name == "MLPSACPolicy" and policy.reset(key=jax.random.key(0)) is None
    for name in ("action", "call", "mode"):
        assert res[name].shape == (B, 2) and res[name].dtype == np.float32
        assert jax.vmap(ACTION_SPACE.contains)(res[name]).all()
    np.testing.assert_array_equal(res["call"], res["action"])
    np.testing.assert_allclose(res["loc"], res["ref_loc"], rtol=1e-6)
    squashed_mean = LOW + (HIGH - LOW) * (np.tanh(res["ref_loc"].astype(np.float64)) + 1) / 2
    np.testing.assert_allclose(res["mode"], squashed_mean, rtol=1e-5, atol=1e-6)
    assert ((res["scale"] >= np.exp(-5.0) * 0.999) & (res["scale"] <= np.exp(2.0) * 1.001)).all()


def test_sac_log_prob_includes_the_tanh_correction(sac):
    _, _, res = sac
    ref = squashed_log_prob_np(res["action"].astype(np.float64), res["loc"], res["scale"])
    inside = ((res["action"] > LOW + 1e-3) & (res["action"] < HIGH - 1e-3)).all(-1)
    assert inside.sum() > B // 2
    np.testing.assert_allclose(res["log_prob"][inside], ref[inside], rtol=1e-3, atol=1e-3)
    np.testing.assert_allclose(
        res["dist_log_prob"][inside], res["log_prob"][inside], rtol=1e-3, atol=1e-3
    )


def test_sac_policy_is_the_actor_only(sac):
    policy = sac[0]
    names = {f for f in vars(policy)}
    assert {"actor", "mean_head", "log_std_head"} <= names
    assert not {"q1", "q2", "qf1", "qf2"} & names


def test_sac_gradients_reach_every_actor_part(sac):
    _, _, res = sac
    grads = res["grads"]
    assert all(
        np.isfinite(g).all() for g in jax.tree.leaves(eqx.filter(grads, eqx.is_inexact_array))
    )
    for part in ("actor", "mean_head", "log_std_head"):
        assert any(np.abs(g).max() > 0 for g in jax.tree.leaves(getattr(grads, part))), part
    # The action bounds are array leaves but not parameters: no gradient reaches them.
    assert all((np.asarray(g) == 0).all() for g in jax.tree.leaves(grads.action_space))


def test_sac_vmap_matches_a_loop(sac):
    policy, (obs, keys), res = sac
    _, a, lp = policy.action_and_log_prob(None, obs[1], key=keys[1])
    np.testing.assert_allclose(a, res["action"][1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(lp, res["log_prob"][1], rtol=1e-4, atol=1e-4)


def test_sac_serialisation_round_trip(sac, tmp_path):
    policy, inputs, res = sac
    path = policy.serialize(tmp_path / "sac")
    loaded = MLPSACPolicy.deserialize(path, ENV, **SIZES, key=jax.random.key(3))
    for a, b in zip(jax.tree.leaves(policy), jax.tree.leaves(loaded)):
        np.testing.assert_array_equal(a, b)
    again = probe(loaded, *inputs)
    for name in ("action", "mode", "log_prob"):
        np.testing.assert_array_equal(again[name], res[name])
    with pytest.raises(ValueError, match="fingerprint"):
        MLPSACPolicy.deserialize(path, ENV, **{**SIZES, "width_size": 16}, key=jax.random.key(3))


@pytest.mark.parametrize(
    "env, overrides, error, message",
    [
        (DISCRETE_ENV, {}, ValueError, "Discrete"),
        (FakeEnv(OBS_SPACE, Box(0.0, np.inf, (2,))), {}, ValueError, "finite"),
        (ENV, dict(feature_size=0), ValueError, "feature_size"),
        (ENV, dict(width_size=0), ValueError, "width_size"),
        (ENV, dict(depth=-2), ValueError, "depth"),
        (ENV, dict(activation=None), TypeError, "activation"),
    ],
)
def test_sac_bad_arguments_raise(env, overrides, error, message):
    with pytest.raises(error, match=message):
        MLPSACPolicy(env, **{**SIZES, **overrides}, key=jax.random.key(0))


def test_sac_rejects_masks(sac):
    with pytest.raises(ValueError, match="masked"):
        sac[0](None, OBS_SPACE.canonical(), action_mask=jnp.ones(2, bool))


# --- discrete SAC -----------------------------------------------------------------------


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def discrete_probe(policy, obs, keys, masks):
    def one(o, k, m):
        _, a, lp = policy.action_and_log_prob(None, o, key=k, action_mask=m)
        _, dist = policy.action_distribution(None, o, action_mask=m)
        _, probs, log_probs = policy.action_probs_and_log_probs(None, o, action_mask=m)
        return dict(
            action=a,
            log_prob=lp,
            probs=dist.probs,
            entropy=dist.entropy(),
            call=policy(None, o, key=k, action_mask=m)[1],
            mode=policy(None, o, action_mask=m)[1],
            unmasked_mode=policy(None, o)[1],
            logits=policy.action_logits(None, o)[1],
            all_probs=probs,
            all_log_probs=log_probs,
        )

    out = jax.vmap(one)(obs, keys, masks)

    def loss(p):  # the discrete SAC actor loss against a fixed stand-in critic
        q = jnp.arange(N, dtype=jnp.float32)

        def per_example(o, m):
            _, probs, log_probs = p.action_probs_and_log_probs(None, o, action_mask=m)
            return jnp.sum(probs * (0.2 * log_probs - q))

        return jnp.mean(jax.vmap(per_example)(obs, masks))

    out["grads"] = eqx.filter_grad(loss)(policy)
    return out


def random_masks(rng):
    masks = rng.random((B, N)) < 0.4
    masks[np.arange(B), rng.integers(0, N, B)] = True
    return masks


def run_discrete(policy, seed):
    rng, obs = observations(seed)
    masks = random_masks(rng)
    keys = jax.random.split(jax.random.key(seed), B)
    return masks, to_numpy(discrete_probe(policy, obs, keys, jnp.asarray(masks))), (obs, keys)


@pytest.fixture(scope="module")
def discrete():
    policy = MLPDiscreteSACPolicy(DISCRETE_ENV, **DISCRETE_SIZES, key=jax.random.key(0))
    return policy, run_discrete(policy, 0)


def test_discrete_sac_is_importable_from_both_paths():
    assert lerax.policy.sac.discrete.MLPDiscreteSACPolicy is MLPDiscreteSACPolicy
    assert lerax.policy.MLPDiscreteSACPolicy is MLPDiscreteSACPolicy
    assert issubclass(MLPDiscreteSACPolicy, AbstractDiscreteSACPolicy)
    assert issubclass(MLPDiscreteSACPolicy, AbstractSACPolicy)
    assert MLPDiscreteSACPolicy.name == "MLPDiscreteSACPolicy"


def test_discrete_sac_outputs_and_masked_distribution(discrete):
    policy, (masks, res, _) = discrete
    assert policy.reset(key=jax.random.key(0)) is None
    for name in ("action", "call", "mode", "unmasked_mode"):
        assert res[name].shape == (B,) and res[name].dtype == np.int32
        assert jax.vmap(DISCRETE_ENV.action_space.contains)(res[name]).all()
    np.testing.assert_array_equal(res["all_probs"], res["probs"])
    np.testing.assert_array_equal(res["all_log_probs"][~masks], 0.0)
    np.testing.assert_allclose(
        res["all_log_probs"][masks], np.log(res["probs"][masks]), rtol=1e-5, atol=1e-6
    )
    for i in range(B):
        m = masks[i]
        ref = scipy.special.softmax(res["logits"][i][m].astype(np.float64))
        np.testing.assert_allclose(res["probs"][i][m], ref, rtol=1e-5, atol=1e-7)
        np.testing.assert_array_equal(res["probs"][i][~m], 0.0)
        np.testing.assert_allclose(
            res["entropy"][i], scipy.stats.entropy(ref), rtol=1e-4, atol=1e-6
        )
        np.testing.assert_allclose(
            res["log_prob"][i], np.log(res["probs"][i][res["action"][i]]), rtol=1e-5
        )
        assert res["mode"][i] == np.flatnonzero(m)[np.argmax(res["logits"][i][m])]
        assert res["unmasked_mode"][i] == np.argmax(res["logits"][i])
        assert m[res["action"][i]] and m[res["call"][i]]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_discrete_sac_never_chooses_a_masked_action(discrete, seed):
    masks, res, _ = run_discrete(discrete[0], seed)  # same shapes: no retrace
    for name in ("action", "call", "mode"):
        assert masks[np.arange(B), res[name]].all()
    assert np.isfinite(res["log_prob"]).all() and np.isfinite(res["entropy"]).all()


def test_discrete_sac_gradients_are_finite_under_masks(discrete):
    grads = discrete[1][1]["grads"]
    assert all(
        np.isfinite(g).all() for g in jax.tree.leaves(eqx.filter(grads, eqx.is_inexact_array))
    )
    assert any(np.abs(g).max() > 0 for g in jax.tree.leaves(grads.actor))


def test_discrete_sac_serialisation_round_trip(discrete, tmp_path):
    policy, (masks, res, (obs, keys)) = discrete
    path = policy.serialize(tmp_path / "dsac")
    loaded = MLPDiscreteSACPolicy.deserialize(
        path, DISCRETE_ENV, **DISCRETE_SIZES, key=jax.random.key(7)
    )
    for a, b in zip(jax.tree.leaves(policy), jax.tree.leaves(loaded)):
        np.testing.assert_array_equal(a, b)
    again = discrete_probe(loaded, obs, keys, jnp.asarray(masks))
    for name in ("action", "mode", "log_prob", "all_probs"):
        np.testing.assert_array_equal(again[name], res[name])
    with pytest.raises(ValueError, match="fingerprint"):
        MLPDiscreteSACPolicy.deserialize(
            path, DISCRETE_ENV, width_size=16, depth=1, key=jax.random.key(7)
        )


@pytest.mark.parametrize(
    "env, overrides, error, message",
    [
        (ENV, {}, ValueError, "Box"),
        (FakeEnv(OBS_SPACE, MultiDiscrete([2, 2])), {}, ValueError, "MultiDiscrete"),
        (DISCRETE_ENV, dict(width_size=0), ValueError, "width_size"),
        (DISCRETE_ENV, dict(depth=1.0), TypeError, "depth"),
    ],
)
def test_discrete_sac_bad_arguments_raise(env, overrides, error, message):
    with pytest.raises(error, match=message):
        MLPDiscreteSACPolicy(env, **{**DISCRETE_SIZES, **overrides}, key=jax.random.key(0))
