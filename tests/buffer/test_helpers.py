"""The helpers every buffer shares (`AbstractBuffer`): shape, axes, indices, gather, batches."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.buffer import AbstractBuffer, ReplayBuffer, RolloutBuffer
from lerax.space import Box, Discrete

T, N = 6, 4
IDS = np.arange(T * N, dtype=np.float32).reshape(T, N)  # item id = t * N + n


@pytest.fixture(scope="module")
def buffer():
    z = jnp.zeros((T, N))
    return RolloutBuffer(
        {"x": jnp.asarray(np.stack([IDS, -IDS], axis=-1))},
        jnp.asarray(IDS, jnp.int32),
        jnp.asarray(IDS),
        z > 0,
        jnp.asarray(2 * IDS),
        z,
        None,
    )


def test_every_buffer_is_an_abstract_buffer(buffer):
    replay = ReplayBuffer(3, Box(-1.0, 1.0, shape=(2,)), Discrete(2), None)
    assert isinstance(buffer, AbstractBuffer) and isinstance(replay, AbstractBuffer)
    assert buffer.shape == (T, N) and replay.shape == (3,)
    one_axis = RolloutBuffer(jnp.zeros(5), jnp.zeros(5), jnp.zeros(5), jnp.zeros(5, bool),
                             jnp.zeros(5), jnp.zeros(5), None)  # fmt: skip
    assert one_axis.shape == (5,)


def test_resolve_axes(buffer):
    assert buffer.resolve_axes(None) == (0, 1)
    assert buffer.resolve_axes(1) == (1,)
    assert buffer.resolve_axes(-1) == (1,)
    assert buffer.resolve_axes(-2) == (0,)
    assert buffer.resolve_axes((1, 0)) == (0, 1)  # sorted
    assert buffer.resolve_axes([-1]) == (1,)


@pytest.mark.parametrize(
    ("axes", "error", "message"),
    [
        (2, ValueError, r"batch axis 2 is out of range .* batch shape \(6, 4\); use an axis in "
         r"\[-2, 2\)"),
        (-3, ValueError, r"batch axis -3 is out of range"),
        ((0, 2), ValueError, r"batch axis 2 is out of range"),
        ((1, -1), ValueError, "repeat"),
        ((), ValueError, "at least one batch axis"),
        (True, TypeError, "must be ints"),
    ],
)  # fmt: skip
def test_resolve_axes_errors(buffer, axes, error, message):
    with pytest.raises(error, match=r"RolloutBuffer\.resolve_axes: .*" + message):
        buffer.resolve_axes(axes)
    with pytest.raises(error, match=message):  # every helper that takes axes checks them
        buffer.batches(2, key=jax.random.key(0), batch_axes=axes)


def test_resolve_axes_rejects_floats(buffer):
    # Our own check, or jaxtyping's when run with --jaxtyping-packages (both TypeErrors).
    with pytest.raises(TypeError, match="must be ints|axes"):
        buffer.resolve_axes(1.0)


def test_flatten_axes(buffer):
    flat = buffer.flatten_axes(None)
    assert isinstance(flat, RolloutBuffer) and flat.shape == (T * N,)
    np.testing.assert_array_equal(flat.rewards, np.arange(T * N))  # row-major: step, then env
    assert flat.observations["x"].shape == (T * N, 2)
    np.testing.assert_array_equal(flat.observations["x"][:, 1], -flat.rewards)
    assert flat.states is None
    by_env = buffer.flatten_axes(-1)  # environments lead, each keeps its sequence of steps
    assert by_env.shape == (N, T) and by_env.observations["x"].shape == (N, T, 2)
    np.testing.assert_array_equal(by_env.rewards, IDS.T)
    np.testing.assert_array_equal(buffer.flatten_axes(0).rewards, IDS)  # nothing to merge
    np.testing.assert_array_equal(buffer.flatten().rewards, flat.rewards)


def test_batch_indices_are_a_permutation(buffer):
    flat = buffer.flatten_axes(None)
    indices = eqx.filter_jit(lambda b, k: b.batch_indices(6, key=k))(flat, jax.random.key(0))
    assert indices.shape == (4, 6) and indices.dtype == jnp.int32
    assert sorted(np.asarray(indices).ravel().tolist()) == list(range(T * N))
    assert not np.array_equal(np.asarray(indices).ravel(), np.arange(T * N))  # shuffled
    other = flat.batch_indices(6, key=jax.random.key(1))
    assert not np.array_equal(indices, other)
    steps = buffer.batch_indices(3, key=jax.random.key(2))  # over the leading axis only
    assert steps.shape == (2, 3) and sorted(np.asarray(steps).ravel().tolist()) == list(range(T))
    dropped = flat.batch_indices(5, key=jax.random.key(3), drop_remainder=True)
    assert dropped.shape == (4, 5) and len(set(np.asarray(dropped).ravel().tolist())) == 20


def test_batch_indices_errors(buffer):
    flat = buffer.flatten_axes(None)
    with pytest.raises(ValueError, match="batch_size 5 does not divide the 24 items"):
        flat.batch_indices(5, key=jax.random.key(0))
    with pytest.raises(ValueError, match=r"batch_size must be between 1 and .* \(24\), got 25"):
        flat.batch_indices(25, key=jax.random.key(0))
    with pytest.raises(ValueError, match="batch_size must be between 1"):
        flat.batch_indices(0, key=jax.random.key(0))
    with pytest.raises(TypeError, match="batch_size"):  # ours, or jaxtyping's
        flat.batch_indices(2.0, key=jax.random.key(0))


def test_gather_picks_rows(buffer):
    flat = buffer.flatten_axes(None)
    rows = flat.gather(jnp.array([3, 0, 23]))
    np.testing.assert_array_equal(rows.rewards, [3, 0, 23])
    np.testing.assert_array_equal(rows.actions, [3, 0, 23])
    np.testing.assert_array_equal(rows.log_probs, [6, 0, 46])
    np.testing.assert_array_equal(rows.observations["x"], [[3, -3], [0, 0], [23, -23]])
    grid = flat.gather(jnp.array([[1, 2], [4, 8]]))
    assert grid.shape == (2, 2) and grid.observations["x"].shape == (2, 2, 2)
    np.testing.assert_array_equal(grid.rewards, [[1, 2], [4, 8]])
    steps = buffer.gather(jnp.array([5, 1]))  # whole steps of an unflattened buffer
    assert steps.shape == (2, N)
    np.testing.assert_array_equal(steps.rewards, IDS[[5, 1]])


def test_batches_are_flatten_gather_of_batch_indices(buffer):
    key = jax.random.key(7)
    for axes, size in ((None, 8), (None, 5), (1, 2), (0, 3)):
        batches = buffer.batches(size, key=key, batch_axes=axes)
        flat = buffer.flatten_axes(axes)
        expected = flat.gather(flat.batch_indices(size, key=key, drop_remainder=True))
        for a, b in zip(jax.tree.leaves(batches), jax.tree.leaves(expected), strict=True):
            np.testing.assert_array_equal(a, b)
    assert buffer.batches(2, key=key, batch_axes=1).rewards.shape == (2, 2, T)


def test_batches_compile_once(buffer):
    @eqx.filter_jit
    @eqx.debug.assert_max_traces(max_traces=1)
    def make(b, k):
        return b.batches(4, key=k)

    for seed in range(3):
        batches = make(buffer, jax.random.key(seed))
        assert sorted(np.asarray(batches.rewards).ravel().tolist()) == list(range(T * N))
