"""Constructor validation of every distribution."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.distribution import (
    Bernoulli,
    Categorical,
    MultiCategorical,
    MultivariateNormalDiag,
    Normal,
    SquashedMultivariateNormalDiag,
    SquashedNormal,
)

BAD = [
    (lambda: Categorical(), "exactly one"),
    (lambda: Categorical(logits=jnp.zeros(2), probs=jnp.ones(2)), "exactly one"),
    (lambda: Categorical(logits=jnp.float32(0.0)), "last axis"),
    (lambda: Categorical(logits=jnp.zeros((2, 0))), "last axis"),
    (lambda: Categorical(logits=jnp.array([0.0, jnp.nan])), "NaN"),
    (lambda: Categorical(logits=jnp.array([-jnp.inf, -jnp.inf])), "probability 0"),
    (lambda: Categorical(probs=jnp.array([0.5, -0.1])), ">= 0"),
    (lambda: Categorical(probs=jnp.zeros(3)), "positive sum"),
    (lambda: Bernoulli(), "exactly one"),
    (lambda: Bernoulli(probs=jnp.array([0.5, 1.5])), r"\[0, 1\]"),
    (lambda: Bernoulli(logits=jnp.array([jnp.nan])), "NaN"),
    (lambda: Normal(0.0, 0.0), "scale"),
    (lambda: Normal(0.0, -1.0), "scale"),
    (lambda: Normal(jnp.zeros(3), jnp.ones(2)), "broadcast"),
    (lambda: Normal(jnp.nan, 1.0), "loc"),
    (lambda: MultivariateNormalDiag(), "neither"),
    (lambda: MultivariateNormalDiag(loc=jnp.float32(0.0)), "event"),
    (lambda: MultivariateNormalDiag(jnp.zeros(2), jnp.array([1.0, 0.0])), "scale_diag"),
    (lambda: SquashedNormal(0.0, 1.0, high=-1.0, low=1.0), "high must be > low"),
    (lambda: SquashedNormal(0.0, 1.0, high=jnp.inf), "finite"),
    (lambda: SquashedNormal(jnp.zeros(2), 1.0, high=jnp.ones(3)), "broadcast"),
    (lambda: SquashedMultivariateNormalDiag(jnp.zeros(2), jnp.zeros(2)), "scale_diag"),
    (lambda: SquashedMultivariateNormalDiag(jnp.zeros(2), high=0.0, low=0.0), "high must be > low"),
    (lambda: MultiCategorical(logits=jnp.zeros(5)), "action_dims is required"),
    (lambda: MultiCategorical(logits=jnp.zeros(5), action_dims=(2, 2)), "sum"),
    (lambda: MultiCategorical(logits=jnp.zeros(5), action_dims=(5, 0)), ">= 1"),
    (
        lambda: MultiCategorical(logits=jnp.zeros(5), probs=jnp.zeros(5), action_dims=(5,)),
        "exactly one",
    ),
    (
        lambda: MultiCategorical(logits=[jnp.zeros(2), jnp.zeros(3)], action_dims=(3, 2)),
        "do not match",
    ),
]


@pytest.mark.parametrize("make, message", BAD)
def test_bad_arguments_raise_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_traced_arguments_are_accepted_under_jit():
    @jax.jit
    def build(scale, logits):
        n = Normal(jnp.zeros(2), scale)
        c = Categorical(logits=logits)
        s = SquashedNormal(jnp.zeros(2), scale, high=2.0, low=-2.0)
        return n.entropy(), c.entropy(), s.entropy()

    out = build(jnp.ones(2), jnp.zeros(3))
    np.testing.assert_allclose(out[1], np.log(3), rtol=1e-6)
    assert all(np.isfinite(o).all() for o in out)


def test_integer_inputs_become_float32():
    assert Normal(0, 1).loc.dtype == jnp.float32
    assert Categorical(logits=np.array([0, 1])).logits.dtype == jnp.float32


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: Normal(jnp.zeros(3), jnp.ones(2)),
            r"Normal: loc of shape \(3,\) and scale of shape \(2,\)",
        ),
        (lambda: Normal(jnp.zeros((2, 3)), jnp.ones((3, 2))), r"\(2, 3\).*\(3, 2\)"),
        (
            lambda: MultivariateNormalDiag(jnp.zeros(4), jnp.ones(3)),
            r"loc of shape \(4,\) and scale_diag of shape \(3,\)",
        ),
    ],
)
def test_normal_shape_errors_name_the_shapes(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_normal_broadcasts_compatible_shapes():
    dist = Normal(jnp.zeros((4, 1)), jnp.ones(3))
    assert dist.loc.shape == dist.scale.shape == (4, 3)
