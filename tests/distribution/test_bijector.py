"""The squashed distributions are transformed distributions with a tanh-then-affine bijector."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.distribution import (
    AbstractBijector,
    AbstractDistribution,
    AbstractTransformedDistribution,
    MultivariateNormalDiag,
    Normal,
    SquashBijector,
    SquashedMultivariateNormalDiag,
    SquashedNormal,
)

LOW = jnp.array([-2.0, 0.0, -1.0], jnp.float32)
HIGH = jnp.array([3.0, 1.0, 1.0], jnp.float32)
X = jnp.array([0.4, -1.3, 2.5], jnp.float32)


def test_abstract_transformed_distribution_declares_its_parts():
    assert issubclass(AbstractTransformedDistribution, AbstractDistribution)
    for cls in (SquashedNormal, SquashedMultivariateNormalDiag):
        assert issubclass(cls, AbstractTransformedDistribution)

    class Incomplete(AbstractTransformedDistribution):
        def log_prob(self, value):
            return value

        sample = sample_and_log_prob = entropy = mean = mode = log_prob

    with pytest.raises(TypeError):
        Incomplete()  # neither `distribution` nor `bijector` provided


def test_squashed_normal_parts():
    dist = SquashedNormal(jnp.zeros(3), jnp.array([1.0, 0.5, 2.0]), high=HIGH, low=LOW)
    assert isinstance(dist.distribution, Normal) and isinstance(dist.bijector, SquashBijector)
    assert isinstance(dist.bijector, AbstractBijector)
    np.testing.assert_array_equal(dist.distribution.loc, dist.loc)
    np.testing.assert_array_equal(dist.distribution.scale, dist.scale)
    np.testing.assert_array_equal(dist.bijector.low, LOW)
    np.testing.assert_array_equal(dist.bijector.high, HIGH)


def test_bijector_forward_inverse_and_log_det():
    bijector = SquashBijector(low=LOW, high=HIGH)
    y = bijector.forward(X)
    expected = np.asarray(LOW) + np.asarray(HIGH - LOW) * (np.tanh(np.asarray(X)) + 1) / 2
    np.testing.assert_allclose(y, expected, rtol=1e-6)
    np.testing.assert_allclose(bijector.inverse(y), X, rtol=1e-4)
    autodiff = jax.vmap(jax.grad(lambda x, lo, hi: SquashBijector(lo, hi).forward(x)))(X, LOW, HIGH)
    np.testing.assert_allclose(
        bijector.forward_log_det_jacobian(X), np.log(np.asarray(autodiff)), rtol=1e-5, atol=1e-6
    )
    # Stable where tanh saturates; the bounds invert to finite values.
    far = SquashBijector().forward_log_det_jacobian(jnp.array([30.0, -30.0]))
    np.testing.assert_allclose(far, 2 * (np.log(2) - 30.0), rtol=1e-6)
    assert np.isfinite(SquashBijector(LOW, HIGH).inverse(LOW)).all()
    assert np.isfinite(SquashBijector(LOW, HIGH).inverse(HIGH)).all()


def test_bijector_broadcasts_against_a_batch():
    bijector = SquashBijector(low=LOW, high=HIGH)
    batch = jnp.stack([X, -X])
    assert bijector.forward(batch).shape == (2, 3)
    assert bijector.forward_log_det_jacobian(batch).shape == (2, 3)
    assert SquashBijector().forward(batch).shape == (2, 3)


@pytest.mark.parametrize("make", [SquashedNormal, SquashedMultivariateNormalDiag])
def test_log_prob_is_the_change_of_variables_through_the_bijector(make):
    loc, scale = jnp.array([0.3, -0.2, 1.0]), jnp.array([0.8, 0.4, 1.5])
    dist = make(loc, scale, high=HIGH, low=LOW)
    y = dist.bijector.forward(X)
    through = dist.distribution.log_prob(X) - dist.bijector.forward_log_det_jacobian(X).sum(
        axis=-1 if make is SquashedMultivariateNormalDiag else ()
    )
    np.testing.assert_allclose(dist.log_prob(y), through, rtol=1e-4, atol=1e-5)
    sample, log_prob = dist.sample_and_log_prob(jax.random.key(0))
    base = dist.distribution.sample(jax.random.key(0))
    np.testing.assert_allclose(sample, dist.bijector.forward(base), rtol=1e-6)
    np.testing.assert_allclose(dist.mode(), dist.bijector.forward(loc), rtol=1e-6)
    assert log_prob.shape == dist.log_prob(sample).shape


def test_multivariate_parts():
    dist = SquashedMultivariateNormalDiag(jnp.zeros(3), high=HIGH, low=LOW)
    assert isinstance(dist.distribution, MultivariateNormalDiag)
    np.testing.assert_array_equal(dist.distribution.scale_diag, jnp.ones(3))
    assert isinstance(dist.bijector, SquashBijector)


def test_parts_under_jit():
    @eqx.filter_jit
    def parts(loc, scale):
        dist = SquashedNormal(loc, scale, high=HIGH, low=LOW)
        return dist.distribution, dist.bijector, dist.bijector.forward(loc)

    normal, bijector, y = parts(jnp.zeros(3), jnp.ones(3))
    assert isinstance(normal, Normal) and isinstance(bijector, SquashBijector)
    np.testing.assert_allclose(y, (LOW + HIGH) / 2, atol=1e-6)


def test_bijector_validation():
    with pytest.raises(ValueError, match="high must be > low"):
        SquashBijector(low=1.0, high=1.0)
    with pytest.raises(ValueError, match="finite"):
        SquashBijector(low=-jnp.inf)
    with pytest.raises(ValueError, match="broadcast"):
        SquashBijector(low=jnp.zeros(2), high=jnp.ones(3))
