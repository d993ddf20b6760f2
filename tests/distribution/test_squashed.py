"""SquashedNormal and SquashedMultivariateNormalDiag: change of variables, bounds, entropy."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.integrate
import scipy.stats

from lerax.distribution import SquashedMultivariateNormalDiag, SquashedNormal

LOC = np.array([0.0, 0.8, -1.5, 3.0, 0.2], np.float32)
SCALE = np.array([1.0, 0.05, 0.6, 2.0, 10.0], np.float32)
LOW, HIGH = -2.0, 3.0
Y = np.array([0.3, 1.9, -1.2, 2.9, -1.99], np.float32)
N = 20_000


def ref_log_prob(y, loc, scale, low, high):
    y, loc, scale = (np.asarray(a, np.float64) for a in (y, loc, scale))
    u = 2 * (y - low) / (high - low) - 1
    x = np.arctanh(u)
    return scipy.stats.norm.logpdf(x, loc, scale) - np.log1p(-u * u) - np.log((high - low) / 2)


def squash_np(x, low, high):
    return low + (high - low) * (np.tanh(x) + 1) / 2


def ref_expectation(f, loc, scale):
    pdf = lambda x: scipy.stats.norm.pdf(x, loc, scale) * f(x)
    lo, hi = loc - 12 * scale, loc + 12 * scale
    return scipy.integrate.quad(pdf, lo, hi, points=[0.0] if lo < 0 < hi else None, limit=500)[0]


@jax.jit
def _summary(loc, scale, y, edges, outside, key):
    """Everything the tests look at, in one compiled call."""
    dist = SquashedNormal(loc, scale, high=HIGH, low=LOW)
    samples, log_probs = jax.vmap(dist.sample_and_log_prob)(jax.random.split(key, N))

    def loss(loc, log_scale):
        d = SquashedNormal(loc, jnp.exp(log_scale), high=HIGH, low=LOW)
        s, lp = d.sample_and_log_prob(key)
        return jnp.sum(d.log_prob(edges) + lp + d.entropy() + d.mean() + s)

    return dict(
        log_prob=dist.log_prob(y),
        prob=dist.prob(y),
        entropy=dist.entropy(),
        mean=dist.mean(),
        mode=dist.mode(),
        samples=samples,
        sample_log_probs=log_probs,
        log_prob_again=jax.vmap(dist.log_prob)(samples),
        at_edges=dist.log_prob(edges),
        outside=dist.log_prob(outside),
        grads=jax.grad(loss, argnums=(0, 1))(loc, jnp.log(scale)),
    )


@pytest.fixture(scope="module")
def summary():
    edges = jnp.array([LOW, HIGH, LOW, HIGH, LOW])
    outside = jnp.array([LOW - 0.1, HIGH + 0.1, 10.0, -10.0, 3.01])
    out = _summary(
        jnp.asarray(LOC), jnp.asarray(SCALE), jnp.asarray(Y), edges, outside, jax.random.key(0)
    )
    return jax.tree.map(np.asarray, out)


def test_log_prob_matches_change_of_variables(summary):
    ref = ref_log_prob(Y, LOC, SCALE, LOW, HIGH)
    np.testing.assert_allclose(summary["log_prob"], ref, rtol=1e-4)
    np.testing.assert_allclose(summary["prob"], np.exp(ref), rtol=1e-4)


def test_density_integrates_to_one():
    grid = np.linspace(LOW, HIGH, 200_001, dtype=np.float64)[1:-1]
    density = jax.jit(lambda y: SquashedNormal(0.4, 0.7, high=HIGH, low=LOW).prob(y))(
        grid.astype(np.float32)
    )
    np.testing.assert_allclose(
        scipy.integrate.trapezoid(np.asarray(density, np.float64), grid), 1.0, atol=1e-3
    )


def test_entropy_and_mean_match_quadrature_for_narrow_and_wide_scales(summary):
    half = (HIGH - LOW) / 2
    log_det = lambda x: np.log(half) + np.log(4.0) - 2 * np.logaddexp(x, -x)  # log|dy/dx|
    for i, (m, s) in enumerate(zip(LOC.astype(float), SCALE.astype(float))):
        ref_h = scipy.stats.norm.entropy(m, s) + ref_expectation(log_det, m, s)
        ref_mean = ref_expectation(lambda x: squash_np(x, LOW, HIGH), m, s)
        np.testing.assert_allclose(summary["entropy"][i], ref_h, atol=2e-4, err_msg=f"scale {s}")
        np.testing.assert_allclose(summary["mean"][i], ref_mean, atol=2e-4, err_msg=f"scale {s}")


def test_samples_are_inside_the_bounds_and_match_the_mean(summary):
    samples, log_probs = summary["samples"], summary["sample_log_probs"]
    assert samples.dtype == np.float32 and samples.shape == (N, 5)
    assert (samples >= LOW).all() and (samples <= HIGH).all()
    assert np.isfinite(log_probs).all()
    np.testing.assert_allclose(samples.mean(0), summary["mean"], atol=0.04)
    # Monte Carlo entropy estimate agrees with the quadrature.
    np.testing.assert_allclose(-log_probs.mean(0), summary["entropy"], atol=0.06)
    # Away from the bounds, log_prob of the sample equals the pre-squash log-probability.
    inside = (samples > LOW + 0.05) & (samples < HIGH - 0.05)
    np.testing.assert_allclose(
        summary["log_prob_again"][inside], log_probs[inside], rtol=2e-3, atol=2e-3
    )


def test_mode_and_bounds_behaviour(summary):
    np.testing.assert_allclose(
        summary["mode"], squash_np(LOC.astype(np.float64), LOW, HIGH), rtol=1e-5
    )
    assert np.isfinite(summary["at_edges"]).all()
    assert (summary["outside"] == -np.inf).all()
    assert all(np.isfinite(g).all() for g in summary["grads"])


def test_squashed_multivariate_sums_over_the_event_axis():
    low = np.array([-1.0, 0.0, -5.0], np.float32)
    high = np.array([1.0, 2.0, 5.0], np.float32)
    loc, scale = LOC[:3], SCALE[:3]
    y = np.array([0.5, 1.5, -4.0], np.float32)

    @jax.jit
    def both(key):
        mv = SquashedMultivariateNormalDiag(loc, scale, high=high, low=low)
        el = SquashedNormal(loc, scale, high=high, low=low)
        d = SquashedMultivariateNormalDiag(loc=jnp.zeros(2))
        return (
            (mv.log_prob(y), mv.entropy(), mv.mean(), mv.mode(), mv.sample_and_log_prob(key)),
            (el.log_prob(y), el.entropy(), el.mean(), el.mode()),
            (d.high, d.scale_diag),
        )

    (lp, h, mean, mode, (s, slp)), (el_lp, el_h, el_mean, el_mode), (d_high, d_scale) = both(
        jax.random.key(0)
    )
    np.testing.assert_allclose(lp, ref_log_prob(y, loc, scale, low, high).sum(), rtol=1e-5)
    np.testing.assert_allclose(lp, el_lp.sum(), rtol=1e-6)
    np.testing.assert_allclose(h, el_h.sum(), rtol=1e-6)
    np.testing.assert_allclose(mean, el_mean, rtol=1e-6)
    np.testing.assert_allclose(mode, el_mode, rtol=1e-6)
    assert s.shape == (3,) and slp.shape == ()
    assert ((s >= low) & (s <= high)).all()
    np.testing.assert_array_equal(d_high, [1.0, 1.0])
    np.testing.assert_array_equal(d_scale, [1.0, 1.0])
