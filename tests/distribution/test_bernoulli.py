"""Bernoulli: closed forms, sampling, masking with MultiBinary-style masks."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.stats

from lerax.distribution import Bernoulli

LOGITS = np.array([-2.0, 0.0, 0.7, 3.0], np.float32)
P = 1 / (1 + np.exp(-LOGITS.astype(np.float64)))
MASK = np.array([[True, False], [False, True], [True, True], [True, True]])


@jax.jit
def _summary(logits, probs, mask, key):
    dist = Bernoulli(logits=logits)
    masked = dist.mask(mask)
    keys = jax.random.split(key, 20_000)

    def loss(x):
        d = Bernoulli(logits=x).mask(mask)
        return jnp.sum(d.entropy() + d.log_prob(jnp.array([0, 1, 1, 0])))

    certain = Bernoulli(probs=jnp.array([0.0, 1.0]))
    return dict(
        log_prob0=dist.log_prob(jnp.zeros(4, jnp.int32)),
        log_prob1=dist.log_prob(jnp.ones(4, jnp.int32)),
        log_prob_bad=dist.log_prob(jnp.array([2, 0, 1, -1])),
        entropy=dist.entropy(),
        mean=dist.mean(),
        mode=dist.mode(),
        from_probs=Bernoulli(probs=probs).logits,
        samples=jax.vmap(dist.sample)(keys),
        masked_samples=jax.vmap(masked.sample)(keys[:2000]),
        masked_log_prob=masked.log_prob(jnp.array([0, 1, 1, 1])),
        masked_entropy=masked.entropy(),
        masked_grad=jax.grad(loss)(logits),
        certain_right=certain.log_prob(jnp.array([0, 1])),
        certain_wrong=certain.log_prob(jnp.array([1, 0])),
        certain_entropy=certain.entropy(),
    )


@pytest.fixture(scope="module")
def summary():
    out = _summary(
        jnp.asarray(LOGITS), jnp.asarray(P, jnp.float32), jnp.asarray(MASK), jax.random.key(0)
    )
    return jax.tree.map(np.asarray, out)


def test_log_prob_entropy_mean_mode_match_scipy(summary):
    np.testing.assert_allclose(summary["log_prob0"], scipy.stats.bernoulli.logpmf(0, P), rtol=1e-5)
    np.testing.assert_allclose(summary["log_prob1"], scipy.stats.bernoulli.logpmf(1, P), rtol=1e-5)
    np.testing.assert_allclose(summary["entropy"], scipy.stats.bernoulli.entropy(P), rtol=1e-5)
    np.testing.assert_allclose(summary["mean"], P, rtol=1e-6)
    np.testing.assert_array_equal(summary["mode"], [0, 0, 1, 1])
    assert summary["log_prob_bad"][0] == -np.inf and summary["log_prob_bad"][3] == -np.inf
    np.testing.assert_allclose(summary["from_probs"], LOGITS, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(Bernoulli(probs=0.25).prob(1), 0.25, rtol=1e-6)


def test_samples_follow_the_probabilities(summary):
    samples = summary["samples"]
    assert samples.dtype == np.int32 and samples.shape == (20_000, 4)
    assert set(np.unique(samples)) <= {0, 1}
    np.testing.assert_allclose(samples.mean(0), P, atol=0.015)


def test_certain_outcomes_are_finite(summary):
    np.testing.assert_array_equal(summary["certain_right"], [0.0, 0.0])
    np.testing.assert_array_equal(summary["certain_wrong"], [-np.inf, -np.inf])
    np.testing.assert_array_equal(summary["certain_entropy"], [0.0, 0.0])


def test_mask_forces_the_allowed_value(summary):
    samples = summary["masked_samples"]
    assert (samples[:, 0] == 0).all() and (samples[:, 1] == 1).all()
    assert 0 < samples[:, 2].mean() < 1
    np.testing.assert_allclose(
        summary["masked_log_prob"], [0.0, 0.0, np.log(P[2]), np.log(P[3])], rtol=1e-5
    )
    np.testing.assert_allclose(
        summary["masked_entropy"], [0, 0, *scipy.stats.bernoulli.entropy(P[2:])], rtol=1e-5
    )
    grad = summary["masked_grad"]
    assert np.isfinite(grad).all() and np.abs(grad[2:]).min() > 1e-3
    np.testing.assert_array_equal(grad[:2], 0.0)


def test_mask_errors():
    dist = Bernoulli(logits=jnp.zeros(2))
    with pytest.raises(ValueError, match="mask"):
        dist.mask(jnp.ones((3, 2), bool))
    with pytest.raises(eqx.EquinoxRuntimeError, match="neither"):
        dist.mask(jnp.array([[True, True], [False, False]]))
