"""Property-based tests shared by every space."""

import jax
import jax.numpy as jnp
import numpy as np
from hypothesis import given, settings, strategies as st

from lerax.space import Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple

finite = st.floats(-100, 100, allow_nan=False, width=32)


@st.composite
def boxes(draw):
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)))
    lo = draw(finite)
    kind = draw(st.sampled_from(["bounded", "unbounded", "low", "high"]))
    hi = lo + draw(st.floats(0, 50, width=32))
    if kind == "unbounded":
        return Box(-np.inf, np.inf, shape)
    if kind == "low":
        return Box(lo, np.inf, shape)
    if kind == "high":
        return Box(-np.inf, hi, shape)
    return Box(lo, hi, shape)


simple = st.one_of(
    boxes(),
    st.integers(1, 10).map(Discrete),
    st.integers(1, 6).map(MultiBinary),
    st.lists(st.integers(1, 5), min_size=1, max_size=4).map(MultiDiscrete),
)
spaces = st.recursive(
    simple,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(Tuple),
        st.lists(inner, min_size=1, max_size=3).map(
            lambda ss: Dict({f"k{i}": s for i, s in enumerate(ss)})
        ),
    ),
    max_leaves=4,
)


@settings(max_examples=60, deadline=None)
@given(spaces, st.integers(0, 2**31 - 1))
def test_samples_are_contained_and_flatten_to_flat_size(space, seed):
    x = space.sample(key=jax.random.key(seed))
    assert bool(space.contains(x))
    assert x in space
    flat = space.flatten_sample(x)
    assert flat.shape == (space.flat_size,)
    assert flat.dtype == jnp.float32
    assert space.canonical() in space


def _rebuild(space):
    if isinstance(space, Box):
        return Box(np.asarray(space.low), np.asarray(space.high))
    if isinstance(space, Discrete):
        return Discrete(space.n)
    if isinstance(space, MultiBinary):
        return MultiBinary(space.n)
    if isinstance(space, MultiDiscrete):
        return MultiDiscrete(list(space.nvec))
    if isinstance(space, Tuple):
        return Tuple([_rebuild(s) for s in space])
    return Dict({k: _rebuild(s) for k, s in space.items()})


@settings(max_examples=60, deadline=None)
@given(spaces)
def test_equal_spaces_hash_equal(space):
    twin = _rebuild(space)
    assert twin is not space
    assert twin == space
    assert hash(twin) == hash(space)
    assert repr(twin) == repr(space)
    assert len({space, twin}) == 1


@settings(max_examples=40, deadline=None)
@given(spaces, spaces)
def test_different_spaces_compare_unequal(a, b):
    if repr(a) != repr(b):
        assert a != b
