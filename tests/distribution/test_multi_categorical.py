"""MultiCategorical: sums of independent categoricals, concatenated masks."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, settings, strategies as st

from lerax.distribution import MultiCategorical

DIMS = (3, 1, 4)
LOGITS = np.array([0.1, 2.0, -1.0, 5.0, 0.0, 0.5, -0.5, 1.0], np.float32)


def parts(x):
    return np.split(np.asarray(x, np.float64), np.cumsum(DIMS)[:-1])


@jax.jit
def _summary(logits, probs, key):
    dist = MultiCategorical(logits=logits, action_dims=DIMS)
    batch = MultiCategorical(logits=jnp.zeros((5, 8)), action_dims=DIMS)
    split = jnp.split(logits, np.cumsum(DIMS)[:-1])
    return dict(
        log_prob=dist.log_prob(jnp.array([1, 0, 3])),
        impossible=jnp.stack(
            [dist.log_prob(jnp.array([3, 0, 0])), dist.log_prob(jnp.array([0, 1, 0]))]
        ),
        entropy=dist.entropy(),
        mode=dist.mode(),
        mean=dist.mean(),
        logits=dist.logits,
        list_logits=MultiCategorical(logits=split).logits,
        probs_logits=MultiCategorical(probs=probs, action_dims=DIMS).logits,
        samples=jax.vmap(dist.sample)(jax.random.split(key, 20_000)),
        batch_sample=batch.sample(key),
        batch_log_prob=batch.log_prob(jnp.zeros((5, 3), jnp.int32)),
    )


@pytest.fixture(scope="module")
def summary():
    refs = [scipy.special.log_softmax(p) for p in parts(LOGITS)]
    probs = np.concatenate([np.exp(r) for r in refs]).astype(np.float32)
    out = _summary(jnp.asarray(LOGITS), jnp.asarray(probs), jax.random.key(0))
    return jax.tree.map(np.asarray, out)


def test_matches_independent_categoricals(summary):
    refs = [scipy.special.log_softmax(p) for p in parts(LOGITS)]
    np.testing.assert_allclose(summary["log_prob"], refs[0][1] + refs[1][0] + refs[2][3], rtol=1e-5)
    entropy = sum(scipy.stats.entropy(np.exp(r)) for r in refs)
    np.testing.assert_allclose(summary["entropy"], entropy, rtol=1e-5)
    np.testing.assert_array_equal(summary["mode"], [1, 0, 3])
    np.testing.assert_allclose(
        summary["mean"], [np.exp(r) @ np.arange(len(r)) for r in refs], rtol=1e-5
    )
    assert (summary["impossible"] == -np.inf).all()
    np.testing.assert_allclose(summary["list_logits"], summary["logits"])
    np.testing.assert_allclose(summary["probs_logits"], summary["logits"], rtol=1e-5, atol=1e-5)
    assert MultiCategorical(logits=[jnp.zeros(2), jnp.zeros(3)]).action_dims == (2, 3)


def test_samples_shape_and_frequencies(summary):
    samples = summary["samples"]
    assert samples.shape == (20_000, 3) and samples.dtype == np.int32
    for i, p in enumerate(parts(LOGITS)):
        freq = np.bincount(samples[:, i], minlength=DIMS[i]) / len(samples)
        np.testing.assert_allclose(freq, scipy.special.softmax(p), atol=0.015)
    np.testing.assert_allclose(samples.mean(0), summary["mean"], atol=0.03)
    assert summary["batch_sample"].shape == (5, 3)
    assert summary["batch_log_prob"].shape == (5,)
    np.testing.assert_allclose(summary["batch_log_prob"], -np.log(12.0), rtol=1e-5)


def test_mask_errors():
    dist = MultiCategorical(logits=LOGITS, action_dims=DIMS)
    with pytest.raises(ValueError, match="mask"):
        dist.mask(jnp.ones(7, bool))
    no_value_for_dim_1 = jnp.array([True, True, True, False, True, True, True, True])
    with pytest.raises(eqx.EquinoxRuntimeError, match="no value"):
        dist.mask(no_value_for_dim_1)


@eqx.filter_jit
def _masked(logits, mask, key):
    dist = MultiCategorical(logits=logits, action_dims=DIMS).mask(mask)
    samples = jax.vmap(dist.sample)(jax.random.split(key, 64))

    def loss(x):
        d = MultiCategorical(logits=x, action_dims=DIMS).mask(mask)
        return d.entropy() + d.log_prob(samples[0])

    return samples, jax.vmap(dist.log_prob)(samples), dist.entropy(), jax.grad(loss)(logits)


segment_masks = st.tuples(
    *(st.lists(st.booleans(), min_size=n, max_size=n).filter(any) for n in DIMS)
).map(lambda segs: np.concatenate([np.array(s) for s in segs]))


@settings(max_examples=40, deadline=None)
@given(
    segment_masks,
    st.lists(st.floats(-4, 4, width=32), min_size=8, max_size=8),
    st.integers(0, 2**31 - 1),
)
def test_masked_multi_categorical_never_samples_a_masked_value(mask, logits, seed):
    samples, log_probs, entropy, grad = _masked(
        jnp.array(logits, jnp.float32), jnp.array(mask), jax.random.key(seed)
    )
    offsets = np.cumsum((0,) + DIMS[:-1])
    assert mask[np.asarray(samples) + offsets].all()
    assert np.isfinite(log_probs).all() and np.isfinite(entropy) and np.isfinite(grad).all()
    # Each masked segment is an ordinary categorical over its allowed values.
    ref = sum(
        scipy.stats.entropy(scipy.special.softmax(p[m]))
        for p, m in zip(parts(logits), np.split(mask, offsets[1:]))
    )
    np.testing.assert_allclose(entropy, ref, rtol=1e-4, atol=1e-5)
