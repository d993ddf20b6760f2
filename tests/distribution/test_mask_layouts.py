"""Mask layouts: Bernoulli per value or per entry, MultiCategorical flat or per dimension."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.distribution import Bernoulli, MultiCategorical

LOGITS = jnp.array([0.5, -1.0, 2.0], jnp.float32)
DIMS = (3, 1, 2)
FLAT = jnp.array([0.1, 2.0, -1.0, 5.0, 0.0, 0.5], jnp.float32)
PER_DIM = [
    jnp.array([True, False, True]),
    jnp.array([True]),
    jnp.array([False, True]),
]


def test_bernoulli_per_entry_mask_forbids_a_one():
    masked = Bernoulli(logits=LOGITS).mask(jnp.array([True, False, True]))
    np.testing.assert_array_equal(masked.logits[jnp.array([0, 2])], LOGITS[jnp.array([0, 2])])
    assert masked.logits[1] == -jnp.inf
    np.testing.assert_allclose(masked.log_prob(jnp.array([1, 0, 1]))[1], 0.0)
    assert masked.log_prob(jnp.array([1, 1, 1]))[1] == -jnp.inf
    samples = jax.vmap(masked.sample)(jax.random.split(jax.random.key(0), 500))
    assert (samples[:, 1] == 0).all() and samples[:, 0].any() and samples[:, 2].any()
    assert np.isfinite(masked.entropy()).all() and masked.entropy()[1] == 0.0


def test_bernoulli_per_entry_mask_broadcasts():
    batch = Bernoulli(logits=jnp.zeros((4, 3)))
    by_column = batch.mask(jnp.array([True, False, True]))  # broadcast over the batch
    assert (by_column.logits[:, 1] == -jnp.inf).all()
    assert (by_column.logits[:, jnp.array([0, 2])] == 0.0).all()
    by_scalar = batch.mask(jnp.array(False))
    assert (by_scalar.logits == -jnp.inf).all()
    np.testing.assert_array_equal(batch.mask(True).logits, batch.logits)


def test_bernoulli_per_value_mask_is_unchanged():
    # One more axis than the logits, of size 2: `mask[..., v]` allows value v.
    mask = jnp.array([[True, True], [False, True], [True, False]])
    masked = Bernoulli(logits=LOGITS).mask(mask)
    np.testing.assert_array_equal(masked.logits, [0.5, jnp.inf, -jnp.inf])
    shared = Bernoulli(logits=jnp.zeros((4, 3))).mask(jnp.array([[[False, True]]]))
    assert (shared.logits == jnp.inf).all()
    # A scalar Bernoulli takes a per-value mask of shape (2,).
    assert Bernoulli(logits=0.3).mask(jnp.array([True, False])).logits == -jnp.inf


def test_bernoulli_mask_errors_name_both_layouts():
    with pytest.raises(ValueError, match="mask"):
        Bernoulli(logits=LOGITS).mask(jnp.ones(4, bool))
    with pytest.raises(ValueError, match=r"neither a per-value .*\(3, 2\).* per-entry .*\(3,\)"):
        Bernoulli(logits=LOGITS).mask(jnp.ones((1, 3, 2), bool))
    with pytest.raises(eqx.EquinoxRuntimeError, match="neither"):
        Bernoulli(logits=LOGITS).mask(jnp.array([[True, True], [False, False], [True, True]]))


def test_bernoulli_masks_under_jit_and_grad():
    @jax.jit
    def loss(logits, mask):
        return jnp.sum(Bernoulli(logits=logits).mask(mask).log_prob(jnp.array([1, 0, 0])))

    grad = jax.grad(loss)(LOGITS, jnp.array([True, False, True]))
    assert np.isfinite(grad).all() and grad[1] == 0.0 and grad[0] != 0.0


def test_multi_categorical_per_dimension_masks_equal_the_flat_mask():
    dist = MultiCategorical(logits=FLAT, action_dims=DIMS)
    flat = dist.mask(jnp.concatenate(PER_DIM))
    per_dim = dist.mask(PER_DIM)
    as_tuple = dist.mask(tuple(np.asarray(m) for m in PER_DIM))
    python_list = dist.mask([True, False, True, True, False, True])  # one flat mask
    for other in (per_dim, as_tuple, python_list):
        np.testing.assert_array_equal(other.logits, flat.logits)
    samples = jax.vmap(per_dim.sample)(jax.random.split(jax.random.key(1), 500))
    assert set(np.unique(samples[:, 0])) == {0, 2} and (samples[:, 2] == 1).all()


def test_multi_categorical_per_dimension_masks_broadcast_over_the_batch():
    dist = MultiCategorical(logits=jnp.zeros((4, 6)), action_dims=DIMS)
    per_row = jnp.array([[True, False]] * 2 + [[False, True]] * 2)
    masked = dist.mask([jnp.array([True, True, False]), jnp.array([True]), per_row])
    logits = np.asarray(masked.logits)
    assert np.isneginf(logits[:, 2]).all()
    assert np.isneginf(logits[:2, 5]).all() and np.isneginf(logits[2:, 4]).all()
    assert np.isfinite(logits[:2, 4]).all() and np.isfinite(logits[2:, 5]).all()


def test_multi_categorical_masks_under_jit():
    @jax.jit
    def masked_logits(logits, a, b, c):
        return MultiCategorical(logits=logits, action_dims=DIMS).mask([a, b, c]).logits

    out = masked_logits(FLAT, *PER_DIM)
    expected = MultiCategorical(logits=FLAT, action_dims=DIMS).mask(jnp.concatenate(PER_DIM))
    np.testing.assert_allclose(out, expected.logits)


@pytest.mark.parametrize(
    "mask, message",
    [
        (PER_DIM[:2], r"expected 3 per-dimension masks .*\(3, 1, 2\).* got 2"),
        ([PER_DIM[0], jnp.array([True, True]), PER_DIM[2]], r"mask 1 .*action_dims\[1\] = 1"),
        ([PER_DIM[0], jnp.array(True), PER_DIM[2]], r"mask 1 .*action_dims\[1\] = 1"),
        ([PER_DIM[0], PER_DIM[1], jnp.ones((5, 2), bool)], r"mask 2.*\(5, 2\)"),
        (jnp.ones(5, bool), "mask"),
    ],
)
def test_multi_categorical_mask_errors(mask, message):
    with pytest.raises(ValueError, match=message):
        MultiCategorical(logits=FLAT, action_dims=DIMS).mask(mask)


def test_multi_categorical_per_dimension_mask_allowing_nothing():
    dist = MultiCategorical(logits=FLAT, action_dims=DIMS)
    with pytest.raises(eqx.EquinoxRuntimeError, match="no value for some dimension"):
        dist.mask([PER_DIM[0], jnp.array([False]), PER_DIM[2]])
