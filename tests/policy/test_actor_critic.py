"""MLPActorCriticPolicy on every supported action space: shapes, masks, log-probs, modes,
jit/vmap, gradients and serialisation. One compiled probe per action space."""

import itertools

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings, strategies as st

from lerax.policy import AbstractActorCriticPolicy, AbstractPolicy, MLPActorCriticPolicy
from lerax.space import AbstractSpace, Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple


class FakeEnv(eqx.Module):
    observation_space: AbstractSpace
    action_space: AbstractSpace


OBS_SPACE = Box(-1.0, 1.0, shape=(3,))
ACTION_SPACES = {
    "box": Box(np.array([[-1.0, -2.0], [-0.5, -1.0]]), np.array([[1.0, 2.0], [0.5, 3.0]])),
    "discrete": Discrete(4),
    "multibinary": MultiBinary(3),
    "multidiscrete": MultiDiscrete([3, 1, 4]),
}
KINDS = list(ACTION_SPACES)
DISCRETE_KINDS = KINDS[1:]
LOG_STD_INIT = -0.5
SIZES = dict(
    feature_size=8,
    feature_width=8,
    feature_depth=1,
    value_width=8,
    value_depth=1,
    action_width=8,
    action_depth=1,
)
B = 24


def make_policy(kind, key=jax.random.key(0), **overrides):
    env = FakeEnv(OBS_SPACE, ACTION_SPACES[kind])
    return MLPActorCriticPolicy(env, **{**SIZES, **overrides}, log_std_init=LOG_STD_INIT, key=key)


def all_actions(kind):
    space = ACTION_SPACES[kind]
    if isinstance(space, Discrete):
        return jnp.arange(space.n, dtype=jnp.int32)
    if isinstance(space, MultiBinary):
        return jnp.array(list(itertools.product([0, 1], repeat=space.n)), jnp.int32)
    if isinstance(space, MultiDiscrete):
        return jnp.array(list(itertools.product(*(range(n) for n in space.nvec))), jnp.int32)
    return None


def random_masks(kind, rng, batch):
    """Masks that allow at least one value for every choice, in the space's mask format."""
    space = ACTION_SPACES[kind]
    if isinstance(space, Discrete):
        m = rng.random((batch, space.n)) < 0.5
        m[np.arange(batch), rng.integers(0, space.n, batch)] = True
    elif isinstance(space, MultiBinary):
        m = rng.random((batch, space.n, 2)) < 0.5
        m[np.arange(batch)[:, None], np.arange(space.n), rng.integers(0, 2, (batch, space.n))] = (
            True
        )
    elif isinstance(space, MultiDiscrete):
        segs = []
        for n in space.nvec:
            s = rng.random((batch, n)) < 0.5
            s[np.arange(batch), rng.integers(0, n, batch)] = True
            segs.append(s)
        m = np.concatenate(segs, axis=1)
    else:
        return None
    return jnp.asarray(m)


def allowed(kind, mask, action):
    """Whether `action` is allowed by `mask` (NumPy, one example)."""
    space = ACTION_SPACES[kind]
    mask, action = np.asarray(mask), np.asarray(action)
    if isinstance(space, Discrete):
        return bool(mask[action])
    if isinstance(space, MultiBinary):
        return bool(mask[np.arange(space.n), action].all())
    offsets = np.cumsum((0,) + space.nvec[:-1])
    return bool(mask[offsets + action].all())


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=len(KINDS))
def probe(policy, obs, keys, masks, actions):
    """Everything the tests look at, for a batch of observations, in one compiled call."""

    def one(o, k, m):
        _, a, v, lp = policy.action_and_value(None, o, key=k)
        _, ev, elp, ent = policy.evaluate_action(None, o, a)
        out = dict(
            action=a,
            value=v,
            log_prob=lp,
            eval_value=ev,
            eval_log_prob=elp,
            entropy=ent,
            value_only=policy.value(None, o)[1],
            call=policy(None, o, key=k)[1],
            mode=policy(None, o)[1],
            mode_log_prob=policy.evaluate_action(None, o, policy(None, o)[1])[2],
        )
        if m is not None:
            _, ma, mv, mlp = policy.action_and_value(None, o, key=k, action_mask=m)
            _, _, melp, ment = policy.evaluate_action(None, o, ma, action_mask=m)
            eval_all = lambda act, mask: policy.evaluate_action(None, o, act, action_mask=mask)[2]
            out.update(
                m_action=ma,
                m_log_prob=mlp,
                m_eval_log_prob=melp,
                m_entropy=ment,
                m_call=policy(None, o, key=k, action_mask=m)[1],
                m_mode=policy(None, o, action_mask=m)[1],
                all_log_probs=jax.vmap(eval_all, in_axes=(0, None))(actions, None),
                m_all_log_probs=jax.vmap(eval_all, in_axes=(0, None))(actions, m),
            )
        return out

    out = jax.vmap(one)(obs, keys, masks)

    def loss(p):
        def per_example(o, k, m):
            _, a, _, _ = p.action_and_value(None, o, key=k, action_mask=m)
            _, v, lp, ent = p.evaluate_action(None, o, jax.lax.stop_gradient(a), action_mask=m)
            return v + lp + 0.1 * ent

        return jnp.mean(jax.vmap(per_example)(obs, keys, masks))

    out["grads"] = eqx.filter_grad(loss)(policy)
    return out


def run_probe(policy, kind, seed):
    rng = np.random.default_rng(seed)
    obs = jnp.asarray(rng.uniform(-1.0, 1.0, (B, 3)), jnp.float32)
    masks = random_masks(kind, rng, B)
    keys = jax.random.split(jax.random.key(seed), B)
    res = probe(policy, obs, keys, masks, all_actions(kind))
    inputs = dict(
        obs=obs, keys=keys, masks=masks, np_masks=None if masks is None else np.asarray(masks)
    )
    return inputs, {k: v if k == "grads" else np.asarray(v) for k, v in res.items()}


@pytest.fixture(scope="module")
def results():
    out = {}
    for kind in KINDS:
        policy = make_policy(kind)
        inputs, res = run_probe(policy, kind, seed=1)
        out[kind] = (policy, inputs, res)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_shapes_dtypes_and_containment(results, kind):
    policy, _, res = results[kind]
    space = ACTION_SPACES[kind]
    assert isinstance(policy, AbstractActorCriticPolicy) and isinstance(policy, AbstractPolicy)
    assert policy.name == "MLPActorCriticPolicy" and policy.reset(key=jax.random.key(0)) is None
    dtype = jnp.float32 if kind == "box" else jnp.int32
    for name in ("action", "call", "mode"):
        assert res[name].shape == (B, *space.shape) and res[name].dtype == dtype, name
    for name in ("value", "log_prob", "entropy", "value_only"):
        assert res[name].shape == (B,) and res[name].dtype == jnp.float32, name
    contains = jax.vmap(space.contains)
    assert contains(res["call"]).all() and contains(res["mode"]).all()
    if kind != "box":
        assert contains(res["action"]).all()
    else:  # __call__ clips the raw Gaussian sample to the bounds
        np.testing.assert_array_equal(res["call"], np.clip(res["action"], space.low, space.high))
    assert len({np.asarray(a).tobytes() for a in res["action"]}) > 1


@pytest.mark.parametrize("kind", KINDS)
def test_evaluate_action_agrees_with_action_and_value(results, kind):
    _, _, res = results[kind]
    np.testing.assert_allclose(res["eval_log_prob"], res["log_prob"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(res["eval_value"], res["value"], rtol=1e-6)
    np.testing.assert_allclose(res["value_only"], res["value"], rtol=1e-6)
    assert np.isfinite(res["log_prob"]).all() and np.isfinite(res["entropy"]).all()
    if kind != "box":
        np.testing.assert_allclose(res["m_eval_log_prob"], res["m_log_prob"], rtol=1e-5, atol=1e-5)


def test_box_distribution_is_a_normal_with_learned_log_std(results):
    policy, _, res = results["box"]
    d = ACTION_SPACES["box"].flat_size
    std = np.exp(LOG_STD_INIT)
    np.testing.assert_array_equal(policy.log_std, np.full(d, LOG_STD_INIT, np.float32))
    np.testing.assert_allclose(res["entropy"], d * scipy.stats.norm.entropy(scale=std), rtol=1e-5)
    # The deterministic action is the mean: the point of maximal density.
    np.testing.assert_allclose(
        res["mode_log_prob"], d * scipy.stats.norm.logpdf(0, scale=std), rtol=1e-5
    )
    for i in range(B):
        ref = scipy.stats.norm.logpdf(res["action"][i], res["mode"][i], std).sum()
        np.testing.assert_allclose(res["log_prob"][i], ref, rtol=1e-4)


@pytest.mark.parametrize("kind", DISCRETE_KINDS)
def test_discrete_log_probs_entropy_and_mode(results, kind):
    _, inputs, res = results[kind]
    actions = np.asarray(all_actions(kind))
    for i in range(B):
        lp = res["all_log_probs"][i]
        np.testing.assert_allclose(np.exp(lp).sum(), 1.0, rtol=1e-5)
        np.testing.assert_allclose(res["entropy"][i], -(np.exp(lp) * lp).sum(), rtol=1e-4)
        index = [j for j, a in enumerate(actions) if np.array_equal(a, res["action"][i])]
        np.testing.assert_allclose(res["log_prob"][i], lp[index[0]], rtol=1e-5)
        np.testing.assert_allclose(lp.max(), lp[_index(actions, res["mode"][i])], rtol=1e-6)
        # Masked: masked actions have probability 0, allowed ones renormalise, mode is allowed.
        mask = inputs["np_masks"][i]
        ok = np.array([allowed(kind, mask, a) for a in actions])
        mlp = res["m_all_log_probs"][i]
        assert (mlp[~ok] == -np.inf).all() and np.isfinite(mlp[ok]).all()
        np.testing.assert_allclose(np.exp(mlp[ok]).sum(), 1.0, rtol=1e-5)
        np.testing.assert_allclose(
            res["m_entropy"][i], -(np.exp(mlp[ok]) * mlp[ok]).sum(), rtol=1e-4, atol=1e-6
        )
        np.testing.assert_allclose(mlp[ok].max(), mlp[_index(actions, res["m_mode"][i])], rtol=1e-6)


def _index(actions, action):
    return next(j for j, a in enumerate(actions) if np.array_equal(a, action))


@pytest.mark.parametrize("kind", DISCRETE_KINDS)
def test_masked_actions_are_never_chosen(results, kind):
    _, inputs, res = results[kind]
    for i in range(B):
        for name in ("m_action", "m_call", "m_mode"):
            assert allowed(kind, inputs["np_masks"][i], res[name][i]), (name, i)


@pytest.mark.parametrize("kind", ["discrete", "multidiscrete"])
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_masks_are_honoured_property(results, kind, seed):
    policy = results[kind][0]
    inputs, res = run_probe(policy, kind, seed)  # same shapes: no retrace
    for i in range(B):
        for name in ("m_action", "m_call", "m_mode"):
            assert allowed(kind, inputs["np_masks"][i], res[name][i])
        assert np.isfinite(res["m_log_prob"][i]) and np.isfinite(res["m_entropy"][i])


@pytest.mark.parametrize("kind", KINDS)
def test_gradients_are_finite_and_reach_every_head(results, kind):
    _, _, res = results[kind]
    grads = res["grads"]
    leaves = jax.tree.leaves(eqx.filter(grads, eqx.is_inexact_array))
    assert all(np.isfinite(g).all() for g in leaves)
    for part in ("feature_extractor", "value_head", "action_head"):
        assert any(np.abs(g).max() > 0 for g in jax.tree.leaves(getattr(grads, part)))


def test_vmap_matches_a_loop(results):
    policy, inputs, res = results["box"]
    for i in range(2):
        _, a, v, lp = policy.action_and_value(None, inputs["obs"][i], key=inputs["keys"][i])
        np.testing.assert_allclose(a, res["action"][i], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(v, res["value"][i], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(lp, res["log_prob"][i], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kind", KINDS)
def test_serialisation_round_trip(results, kind, tmp_path):
    policy, inputs, res = results[kind]
    path = policy.serialize(tmp_path / "ac")
    loaded = MLPActorCriticPolicy.deserialize(
        path,
        FakeEnv(OBS_SPACE, ACTION_SPACES[kind]),
        **SIZES,
        log_std_init=LOG_STD_INIT,
        key=jax.random.key(99),
    )
    for a, b in zip(jax.tree.leaves(policy), jax.tree.leaves(loaded)):
        np.testing.assert_array_equal(a, b)
    again = probe(loaded, inputs["obs"], inputs["keys"], inputs["masks"], all_actions(kind))
    for name in ("action", "mode", "call", "value", "log_prob"):
        np.testing.assert_array_equal(again[name], res[name])


def test_deserialising_with_a_different_width_raises(results, tmp_path):
    path = results["discrete"][0].serialize(tmp_path / "ac.eqx")
    env = FakeEnv(OBS_SPACE, ACTION_SPACES["discrete"])
    with pytest.raises(ValueError, match="fingerprint"):
        MLPActorCriticPolicy.deserialize(
            path, env, **{**SIZES, "value_width": 16}, key=jax.random.key(0)
        )


def test_composite_observations_are_flattened():
    obs_space = Dict({"a": Box(-1.0, 1.0, (2,)), "b": Discrete(3)})
    env = FakeEnv(obs_space, Discrete(2))
    policy = eqx.filter_eval_shape(MLPActorCriticPolicy, env, **SIZES, key=jax.random.key(0))
    assert policy.feature_extractor.in_size == 3
    _, action = eqx.filter_eval_shape(lambda p, o: p(None, o), policy, obs_space.canonical())
    assert action.shape == () and action.dtype == jnp.int32


@pytest.mark.parametrize(
    "overrides, error, message",
    [
        (dict(feature_size=0), ValueError, "feature_size"),
        (dict(value_width=-1), ValueError, "value_width"),
        (dict(action_depth=-1), ValueError, "action_depth"),
        (dict(feature_width=2.5), TypeError, "feature_width"),
        (dict(activation="relu"), TypeError, "activation"),
        (dict(log_std_init=float("inf")), ValueError, "log_std_init"),
        (dict(log_std_init=np.zeros(3)), ValueError, "log_std_init"),
    ],
)
def test_bad_hyperparameters_raise(overrides, error, message):
    env = FakeEnv(OBS_SPACE, ACTION_SPACES["box"])
    kwargs = {**SIZES, **overrides}
    with pytest.raises(error, match=message):
        MLPActorCriticPolicy(env, **kwargs, key=jax.random.key(0))


@pytest.mark.parametrize("space", [Tuple([Discrete(2), Discrete(3)]), Dict({"x": Discrete(2)})])
def test_unsupported_action_space_is_named(space):
    with pytest.raises(ValueError, match=repr(space).split("(")[0]):
        MLPActorCriticPolicy(FakeEnv(OBS_SPACE, space), **SIZES, key=jax.random.key(0))
    with pytest.raises(TypeError, match="observation_space"):
        MLPActorCriticPolicy(object(), **SIZES, key=jax.random.key(0))


def test_bad_masks_raise(results):
    obs = OBS_SPACE.canonical()
    with pytest.raises(ValueError, match="action_mask is not supported"):
        results["box"][0](None, obs, action_mask=jnp.ones(4, bool))
    with pytest.raises(ValueError, match="mask"):
        results["discrete"][0](None, obs, action_mask=jnp.ones(5, bool))
    with pytest.raises(eqx.EquinoxRuntimeError, match="no category"):
        results["discrete"][0](None, obs, action_mask=jnp.zeros(4, bool))
