"""MultiCategorical from a sequence of per-dimension logits or from one flat array."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.distribution import Categorical, MultiCategorical

PARTS = [
    jnp.array([0.1, 2.0, -1.0], jnp.float32),
    jnp.array([5.0], jnp.float32),
    jnp.array([0.0, 0.5, -0.5, 1.0], jnp.float32),
]
DIMS = (3, 1, 4)
VALUE = jnp.array([2, 0, 3])


def _same(a, b):
    np.testing.assert_allclose(a.logits, b.logits, rtol=1e-6)
    assert a.action_dims == b.action_dims


def test_sequence_of_logits_equals_the_flat_array():
    flat = MultiCategorical(logits=jnp.concatenate(PARTS), action_dims=DIMS)
    _same(MultiCategorical(logits=PARTS), flat)
    _same(MultiCategorical(logits=tuple(PARTS)), flat)
    _same(MultiCategorical(logits=PARTS, action_dims=DIMS), flat)
    _same(MultiCategorical(logits=[np.asarray(p) for p in PARTS]), flat)
    # A plain list of numbers is one flat array, split by action_dims.
    numbers = [float(x) for x in np.concatenate([np.asarray(p) for p in PARTS])]
    _same(MultiCategorical(logits=numbers, action_dims=DIMS), flat)


def test_sequence_matches_independent_categoricals():
    dist = MultiCategorical(logits=PARTS)
    singles = [Categorical(logits=p) for p in PARTS]
    expected = sum(c.log_prob(v) for c, v in zip(singles, VALUE, strict=True))
    np.testing.assert_allclose(dist.log_prob(VALUE), expected, rtol=1e-6)
    np.testing.assert_allclose(dist.entropy(), sum(c.entropy() for c in singles), rtol=1e-6)
    np.testing.assert_array_equal(dist.mode(), [c.mode() for c in singles])


def test_sequence_of_probs_and_batched_logits():
    probs = [jax.nn.softmax(p) for p in PARTS]
    _same(MultiCategorical(probs=probs), MultiCategorical(logits=PARTS))
    batched = [jnp.broadcast_to(p, (5, p.shape[0])) for p in PARTS]
    dist = MultiCategorical(logits=batched)
    assert dist.logits.shape == (5, 8) and dist.sample(jax.random.key(0)).shape == (5, 3)


def test_sequence_under_jit_and_grad():
    def loss(a, b, c):
        return MultiCategorical(logits=[a, b, c]).log_prob(VALUE)

    grads = jax.jit(jax.grad(loss, argnums=(0, 1, 2)))(*PARTS)
    assert all(np.isfinite(g).all() for g in grads)
    np.testing.assert_allclose(jnp.sum(grads[0]), 0.0, atol=1e-6)  # softmax invariance


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(logits=[]), "non-empty sequence"),
        (dict(logits=[PARTS[0], jnp.array(1.0)]), "non-empty sequence of 1-D"),
        (dict(logits=PARTS, action_dims=(3, 1, 3)), "do not match"),
        (dict(logits=jnp.concatenate(PARTS)), "action_dims is required"),
    ],
)
def test_bad_sequences(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MultiCategorical(**kwargs)
