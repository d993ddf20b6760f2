"""SquashedSDENormal: gSDE's noise linear in the features, its marginal and its fixed draws."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.stats

from lerax.distribution import SquashedNormal, SquashedSDENormal

LOC = jnp.array([0.3, -0.2])
FEATURES = jnp.array([0.5, -1.0, 2.0])
STD = jnp.array([[0.1, 0.2], [0.3, 0.05], [0.2, 0.1]])
LOW, HIGH = jnp.array([-2.0, 0.0]), jnp.array([2.0, 1.0])
SCALE = np.sqrt((np.asarray(FEATURES) ** 2) @ (np.asarray(STD) ** 2) + 1e-6)


def _dist(exploration=None):
    return SquashedSDENormal(LOC, FEATURES, STD, high=HIGH, low=LOW, exploration=exploration)


def test_marginal_is_the_squashed_normal_of_the_summed_variance():
    dist = _dist()
    np.testing.assert_allclose(dist.scale, SCALE, rtol=1e-6)
    twin = SquashedNormal(LOC, SCALE, high=HIGH, low=LOW)
    value = jnp.array([0.7, 0.4])
    np.testing.assert_allclose(dist.log_prob(value), twin.log_prob(value), rtol=1e-5)
    np.testing.assert_allclose(dist.entropy(), twin.entropy(), rtol=1e-5)
    np.testing.assert_allclose(dist.mean(), twin.mean(), rtol=1e-5)
    np.testing.assert_allclose(dist.mode(), twin.mode(), rtol=1e-6)


def test_draws_with_the_key_follow_the_marginal():
    dist = _dist()
    keys = jax.random.split(jax.random.key(0), 20_000)
    values, log_probs = jax.vmap(dist.sample_and_log_prob)(keys)
    pre_squash = np.asarray(dist.bijector.inverse(values))
    for i in range(2):
        ks = scipy.stats.kstest(pre_squash[:, i], "norm", args=(float(LOC[i]), SCALE[i]))
        assert ks.pvalue > 1e-3
    np.testing.assert_allclose(log_probs, jax.vmap(dist.log_prob)(values), atol=2e-3)
    values = np.asarray(values)
    assert np.all((values >= np.asarray(LOW)) & (values <= np.asarray(HIGH)))


def test_a_fixed_exploration_matrix_gives_the_same_draw_for_every_key():
    eps = jax.random.normal(jax.random.key(3), STD.shape)
    dist = _dist(eps)
    a = dist.sample(jax.random.key(0))
    b, log_prob = dist.sample_and_log_prob(jax.random.key(1))
    np.testing.assert_array_equal(a, b)
    x = np.asarray(LOC) + np.asarray(FEATURES) @ (np.asarray(STD) * np.asarray(eps))
    expected = np.asarray(LOW) + (np.asarray(HIGH) - np.asarray(LOW)) * (np.tanh(x) + 1) / 2
    np.testing.assert_allclose(a, expected, rtol=1e-5)
    np.testing.assert_allclose(log_prob, dist.log_prob(a), atol=1e-3)


def test_gradients_reach_the_std_through_a_fixed_draw():
    eps = jax.random.normal(jax.random.key(3), STD.shape)

    def f(std):
        dist = SquashedSDENormal(LOC, FEATURES, std, exploration=eps)
        value, log_prob = dist.sample_and_log_prob(jax.random.key(0))
        return jnp.sum(value) + jnp.sum(log_prob)

    grad = jax.grad(f)(STD)
    assert np.all(np.isfinite(grad)) and np.any(np.abs(grad) > 1e-3)


@pytest.mark.parametrize(
    "features, std, exploration, match",
    [
        (jnp.ones((3, 1)), STD, None, "features must be a vector"),
        (FEATURES, jnp.ones((3, 3)), None, r"std of shape \(num_features, \*loc.shape\)"),
        (FEATURES, STD, jnp.ones((2, 2)), "exploration must be shaped as std"),
    ],
)
def test_shapes_that_do_not_fit_raise(features, std, exploration, match):
    with pytest.raises(ValueError, match=match):
        SquashedSDENormal(LOC, features, std, exploration=exploration)
