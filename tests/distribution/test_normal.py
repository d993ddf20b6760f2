"""Normal and MultivariateNormalDiag against scipy."""

import jax
import jax.numpy as jnp
import numpy as np
import scipy.stats

from lerax.distribution import MultivariateNormalDiag, Normal

LOC = np.array([0.5, -1.0, 2.0], np.float32)
SCALE = np.array([0.3, 1.0, 2.5], np.float32)
X = np.array([0.1, -3.0, 2.2], np.float32)


def test_normal_matches_scipy():
    dist = Normal(LOC, SCALE)
    np.testing.assert_allclose(dist.log_prob(X), scipy.stats.norm.logpdf(X, LOC, SCALE), rtol=1e-5)
    np.testing.assert_allclose(dist.prob(X), scipy.stats.norm.pdf(X, LOC, SCALE), rtol=1e-5)
    np.testing.assert_allclose(dist.entropy(), scipy.stats.norm.entropy(LOC, SCALE), rtol=1e-5)
    np.testing.assert_array_equal(dist.mean(), LOC)
    np.testing.assert_array_equal(dist.mode(), LOC)


def test_normal_broadcasts_scalar_scale_and_samples_match_moments():
    dist = Normal(jnp.asarray(LOC), 2.0)
    assert dist.scale.shape == (3,)
    samples = jax.vmap(dist.sample)(jax.random.split(jax.random.key(0), 20_000))
    assert samples.shape == (20_000, 3) and samples.dtype == jnp.float32
    np.testing.assert_allclose(samples.mean(0), LOC, atol=5 * 2.0 / np.sqrt(20_000))
    np.testing.assert_allclose(samples.std(0), 2.0, rtol=0.03)
    s, lp = dist.sample_and_log_prob(jax.random.key(1))
    np.testing.assert_allclose(lp, dist.log_prob(s), rtol=1e-5)


def test_multivariate_normal_diag_matches_scipy():
    dist = MultivariateNormalDiag(LOC, SCALE)
    ref = scipy.stats.multivariate_normal(LOC, np.diag(SCALE.astype(np.float64) ** 2))
    np.testing.assert_allclose(dist.log_prob(X), ref.logpdf(X), rtol=1e-5)
    np.testing.assert_allclose(dist.entropy(), ref.entropy(), rtol=1e-5)
    batch = MultivariateNormalDiag(jnp.stack([LOC, LOC]), SCALE)
    assert batch.log_prob(jnp.stack([X, LOC])).shape == (2,)
    np.testing.assert_allclose(batch.log_prob(jnp.stack([X, LOC]))[1], ref.logpdf(LOC), rtol=1e-5)
    samples = jax.vmap(dist.sample)(jax.random.split(jax.random.key(2), 20_000))
    np.testing.assert_allclose(samples.mean(0), dist.mean(), atol=5 * 2.5 / np.sqrt(20_000))
    s, lp = dist.sample_and_log_prob(jax.random.key(3))
    np.testing.assert_allclose(lp, dist.log_prob(s), rtol=1e-5)


def test_multivariate_normal_diag_defaults():
    only_loc = MultivariateNormalDiag(loc=LOC)
    np.testing.assert_array_equal(only_loc.scale_diag, np.ones(3))
    only_scale = MultivariateNormalDiag(scale_diag=SCALE)
    np.testing.assert_array_equal(only_scale.loc, np.zeros(3))
    ref = scipy.stats.multivariate_normal(np.zeros(3), np.diag(SCALE.astype(np.float64) ** 2))
    np.testing.assert_allclose(only_scale.log_prob(X), ref.logpdf(X), rtol=1e-5)


def test_gradients_are_finite():
    def loss(loc, log_scale):
        d = MultivariateNormalDiag(loc, jnp.exp(log_scale))
        s, lp = d.sample_and_log_prob(jax.random.key(0))
        return lp + d.entropy() + jnp.sum(s)

    grads = jax.grad(loss, argnums=(0, 1))(jnp.asarray(LOC), jnp.log(SCALE))
    assert all(np.isfinite(g).all() for g in grads)
