"""Behaviour of each concrete space."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.space import Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple


def test_discrete_contains_rejects_out_of_range_negative_and_bad_shape():
    d = Discrete(3)
    assert 0 in d and 2 in d
    assert 3 not in d
    assert -1 not in d
    assert jnp.array([1]) not in d
    assert 1.5 not in d


def test_discrete_mask_sampling_only_allowed_values():
    d = Discrete(5)
    mask = jnp.array([False, True, False, True, False])
    keys = jax.random.split(jax.random.key(0), 2000)
    xs = jax.vmap(lambda k: d.sample(key=k, mask=mask))(keys)
    values, counts = np.unique(np.asarray(xs), return_counts=True)
    assert values.tolist() == [1, 3]
    assert abs(counts[0] / 2000 - 0.5) < 0.06


def test_discrete_sample_is_uniform_and_jittable():
    d = Discrete(4)
    xs = jax.jit(jax.vmap(lambda k: d.sample(key=k)))(jax.random.split(jax.random.key(1), 4000))
    counts = np.bincount(np.asarray(xs), minlength=4) / 4000
    np.testing.assert_allclose(counts, 0.25, atol=0.04)
    assert xs.dtype == jnp.int32


def test_discrete_flatten_is_length_one_float():
    out = Discrete(7).flatten_sample(jnp.array(5))
    assert out.shape == (1,) and out.dtype == jnp.float32 and float(out[0]) == 5.0


def test_box_bounds_broadcast_and_contains():
    b = Box(np.array([-1.0, 0.0]), 2.0)
    assert b.shape == (2,)
    assert jnp.array([-1.0, 2.0]) in b
    assert jnp.array([-1.1, 0.0]) not in b
    assert jnp.array([0.0, 0.0, 0.0]) not in b
    assert jnp.array(0.0) not in b


def test_box_sampling_respects_kind_of_bound():
    keys = jax.random.split(jax.random.key(2), 3000)
    lower = jax.vmap(lambda k: Box(1.0, np.inf, (1,)).sample(key=k))(keys)
    upper = jax.vmap(lambda k: Box(-np.inf, -1.0, (1,)).sample(key=k))(keys)
    both = jax.vmap(lambda k: Box(-2.0, 3.0, (1,)).sample(key=k))(keys)
    free = jax.vmap(lambda k: Box(-np.inf, np.inf, (1,)).sample(key=k))(keys)
    assert float(lower.min()) >= 1.0 and abs(float(lower.mean()) - 2.0) < 0.1
    assert float(upper.max()) <= -1.0 and abs(float(upper.mean()) + 2.0) < 0.1
    assert float(both.min()) >= -2.0 and float(both.max()) <= 3.0
    assert abs(float(both.mean()) - 0.5) < 0.1
    assert abs(float(free.mean())) < 0.1 and abs(float(free.std()) - 1.0) < 0.1


def test_box_samples_alike_with_concrete_and_traced_bounds():
    # Bounds may be constants, traced (a Box passed into `filter_jit`, as environments are
    # inside `learn`) or batched (a vmap over boxes of different kinds). An optimisation
    # that picks the sampler from the bounds must give the same samples from one key in all
    # three cases.
    boxes = [Box(-2.0, 3.0, (3,)), Box(np.array([0.0, -np.inf]), np.array([1.0, 5.0]))]
    key = jax.random.key(4)
    for box in boxes:
        concrete = box.sample(key=key)
        traced = eqx.filter_jit(lambda b, k: b.sample(key=k))(box, key)
        np.testing.assert_array_equal(traced, concrete)
        assert traced.dtype == jnp.float32 and traced in box
    bounded, mixed = Box(-1.0, 1.0, (2,)), Box(np.array([-1.0, 0.0]), np.array([1.0, np.inf]))
    stacked = jax.tree.map(lambda a, b: jnp.stack([a, b]), bounded, mixed)
    both = eqx.filter_vmap(lambda b: b.sample(key=key))(stacked)
    np.testing.assert_array_equal(both[0], bounded.sample(key=key))
    np.testing.assert_array_equal(both[1], mixed.sample(key=key))


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: Box(1.0, 0.0), "low must be <= high"),
        (lambda: Box(np.zeros(2), np.ones(3)), "broadcast"),
        (lambda: Box(np.nan, 1.0), "NaN"),
        (lambda: Discrete(0), "n must be >= 1"),
        (lambda: MultiBinary(0), "n must be >= 1"),
        (lambda: MultiDiscrete([]), "non-empty"),
        (lambda: MultiDiscrete([2, 0]), ">= 1"),
        (lambda: Tuple([]), "at least one"),
        (lambda: Dict({}), "non-empty"),
    ],
)
def test_invalid_constructor_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_discrete_rejects_non_int():
    # Ours names the expectation; in the test session jaxtyping's check of the annotation
    # (int) may name the parameter first.
    with pytest.raises(TypeError, match=r"positive int|parameter 'n'"):
        Discrete(2.5)  # type: ignore[arg-type]


def test_multi_discrete_contains_and_masked_sample():
    s = MultiDiscrete([2, 3])
    assert jnp.array([1, 2]) in s
    assert jnp.array([2, 0]) not in s
    assert jnp.array([0, -1]) not in s
    assert jnp.array([0]) not in s
    mask = jnp.array([False, True, True, False, False])
    xs = jax.vmap(lambda k: s.sample(key=k, mask=mask))(jax.random.split(jax.random.key(3), 200))
    assert set(np.asarray(xs[:, 0]).tolist()) == {1}
    assert set(np.asarray(xs[:, 1]).tolist()) == {0}


def test_multi_binary_contains_and_mask():
    s = MultiBinary(3)
    assert jnp.array([0, 1, 1]) in s
    assert jnp.array([0, 2, 1]) not in s
    mask = jnp.array([[True, False], [False, True], [True, True]])
    xs = jax.vmap(lambda k: s.sample(key=k, mask=mask))(jax.random.split(jax.random.key(4), 300))
    assert (np.asarray(xs[:, 0]) == 0).all() and (np.asarray(xs[:, 1]) == 1).all()
    assert 0.3 < float(xs[:, 2].mean()) < 0.7


def test_composites_index_and_reject_wrong_structure():
    t = Tuple([Discrete(2), Box(0.0, 1.0, (2,))])
    assert len(t) == 2 and t[0] == Discrete(2)
    assert (jnp.array(1), jnp.array([0.5, 0.5])) in t
    assert (jnp.array(1),) not in t
    assert (jnp.array(2), jnp.array([0.5, 0.5])) not in t
    d = Dict({"a": Discrete(2), "b": MultiBinary(2)})
    assert d["a"] == Discrete(2) and list(d.keys) == ["a", "b"]
    assert {"a": jnp.array(1), "b": jnp.array([1, 0])} in d
    assert {"a": jnp.array(1)} not in d
    with pytest.raises(KeyError, match="no key 'c'"):
        d["c"]
    assert d != Dict({"b": MultiBinary(2), "a": Discrete(2)})


def test_contains_is_jittable():
    b = Box(-1.0, 1.0, (2,))
    f = jax.jit(lambda x: b.contains(x))
    assert bool(f(jnp.zeros(2))) and not bool(f(jnp.full(2, 3.0)))
