"""Categorical: closed-form log-probabilities and entropies, sampling, masking."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, settings, strategies as st

from lerax.distribution import AbstractMaskableDistribution, Categorical

LOGITS = np.array([[0.3, -1.0, 2.0, 0.0], [1.0, 1.0, 1.0, -3.0]], np.float32)
PROBS = np.array([0.2, 0.0, 0.5, 0.3], np.float32)
ONE_LOGITS = np.array([0.3, -1.0, 2.0, 0.0], np.float32)
MASK = np.array([True, False, False, True])
N_SAMPLES = 20_000


@jax.jit
def _summary(logits, probs, one_logits, mask, key):
    dist = Categorical(logits=logits)
    masked = Categorical(logits=one_logits).mask(mask)
    values = jnp.broadcast_to(jnp.arange(4)[:, None], (4, 2))

    def loss(x):
        d = Categorical(logits=x).mask(mask)
        return d.entropy() + d.log_prob(3)

    from_probs = Categorical(probs=probs * 3)
    sample, sample_lp = dist.sample_and_log_prob(key)
    return dict(
        log_prob=jax.vmap(dist.log_prob)(values),
        prob=jax.vmap(dist.prob)(values),
        entropy=dist.entropy(),
        mean=dist.mean(),
        mode=dist.mode(),
        out_of_range=dist.log_prob(jnp.array([4, -1])),
        non_integer=dist.log_prob(jnp.array([1.5, 0.0])),
        samples=jax.vmap(dist.sample)(jax.random.split(key, N_SAMPLES)),
        sample=sample,
        sample_lp=sample_lp,
        sample_lp_again=dist.log_prob(sample),
        probs_probs=from_probs.probs,
        probs_logits=from_probs.logits,
        probs_entropy=from_probs.entropy(),
        logits_from_probs=Categorical(logits=jnp.log(probs)).logits,
        masked_log_prob=masked.log_prob(jnp.arange(4)),
        masked_entropy=masked.entropy(),
        masked_mode=masked.mode(),
        masked_grad=jax.grad(loss)(one_logits),
    )


@pytest.fixture(scope="module")
def summary():
    args = (LOGITS, PROBS, ONE_LOGITS, MASK)
    return jax.tree.map(np.asarray, _summary(*map(jnp.asarray, args), jax.random.key(0)))


def test_log_prob_entropy_mean_mode_match_closed_forms(summary):
    assert issubclass(Categorical, AbstractMaskableDistribution)
    ref_logp = scipy.special.log_softmax(LOGITS.astype(np.float64), axis=-1)
    np.testing.assert_allclose(summary["log_prob"], ref_logp.T, rtol=1e-5)
    np.testing.assert_allclose(summary["prob"], np.exp(ref_logp.T), rtol=1e-5)
    np.testing.assert_allclose(
        summary["entropy"], scipy.stats.entropy(np.exp(ref_logp), axis=-1), rtol=1e-5
    )
    np.testing.assert_allclose(summary["mean"], np.exp(ref_logp) @ np.arange(4), rtol=1e-5)
    np.testing.assert_array_equal(summary["mode"], [2, 0])
    assert summary["mode"].dtype == np.int32
    # Out-of-range and non-integer values have probability 0.
    np.testing.assert_array_equal(summary["out_of_range"], [-np.inf, -np.inf])
    assert summary["non_integer"][0] == -np.inf and np.isfinite(summary["non_integer"][1])


def test_probs_constructor_matches_logits(summary):
    np.testing.assert_allclose(summary["probs_probs"], PROBS, rtol=1e-6)
    np.testing.assert_allclose(summary["probs_logits"], summary["logits_from_probs"], rtol=1e-6)
    assert summary["probs_logits"][1] == -np.inf
    np.testing.assert_allclose(summary["probs_entropy"], scipy.stats.entropy(PROBS), rtol=1e-5)


def test_samples_follow_the_probabilities(summary):
    samples = summary["samples"]
    assert samples.shape == (N_SAMPLES, 2) and samples.dtype == np.int32
    freq = np.stack([(samples == v).mean(0) for v in range(4)], -1)
    np.testing.assert_allclose(freq, np.exp(summary["log_prob"].T), atol=0.015)
    np.testing.assert_allclose(samples.mean(0), summary["mean"], atol=0.03)
    np.testing.assert_allclose(summary["sample_lp"], summary["sample_lp_again"])


def test_mask_renormalises_and_stays_finite(summary):
    ref = scipy.special.log_softmax(ONE_LOGITS[MASK].astype(np.float64))
    np.testing.assert_allclose(summary["masked_log_prob"][MASK], ref, rtol=1e-5)
    assert (summary["masked_log_prob"][~MASK] == -np.inf).all()
    np.testing.assert_allclose(
        summary["masked_entropy"], scipy.stats.entropy(np.exp(ref)), rtol=1e-5
    )
    assert int(summary["masked_mode"]) == 0
    grad = summary["masked_grad"]
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad[~MASK], 0.0, atol=1e-6)
    assert np.abs(grad[MASK]).min() > 1e-3


def test_mask_errors():
    dist = Categorical(logits=jnp.zeros(3))
    with pytest.raises(ValueError, match="mask"):
        dist.mask(jnp.ones(4, bool))
    with pytest.raises(eqx.EquinoxRuntimeError, match="allows no category"):
        dist.mask(jnp.zeros(3, bool))
    with pytest.raises(eqx.EquinoxRuntimeError, match="allows no category"):
        eqx.filter_jit(lambda m: dist.mask(m).logits)(jnp.zeros(3, bool))


@eqx.filter_jit
def _masked_samples(logits, mask, key):
    dist = Categorical(logits=logits).mask(mask)
    samples = jax.vmap(dist.sample)(jax.random.split(key, 64))
    return samples, jax.vmap(dist.log_prob)(samples), dist.entropy(), dist.probs


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.booleans(), min_size=5, max_size=5).filter(any),
    st.lists(st.floats(-5, 5, width=32), min_size=5, max_size=5),
    st.integers(0, 2**31 - 1),
)
def test_masked_categorical_never_samples_a_masked_value(mask, logits, seed):
    mask = np.array(mask)
    samples, log_probs, entropy, probs = _masked_samples(
        jnp.array(logits, jnp.float32), jnp.array(mask), jax.random.key(seed)
    )
    assert mask[np.asarray(samples)].all()
    assert np.isfinite(log_probs).all() and np.isfinite(entropy)
    np.testing.assert_allclose(np.asarray(probs)[~mask], 0.0)
    np.testing.assert_allclose(np.asarray(probs).sum(), 1.0, rtol=1e-5)
    ref = scipy.stats.entropy(scipy.special.softmax(np.array(logits, np.float64)[mask]))
    np.testing.assert_allclose(entropy, ref, rtol=1e-4, atol=1e-5)
