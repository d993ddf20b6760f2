import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.utils import unstack_pytree


class Pair(eqx.Module):
    weight: jax.Array
    bias: np.ndarray
    size: int = eqx.field(static=True)
    activation: object = jnp.tanh  # non-array leaf, copied into every piece


def make(seed):
    rng = np.random.default_rng(seed)
    return Pair(jnp.asarray(rng.normal(size=(2, 3)), jnp.float32), rng.normal(size=(3,)), 3)


def stack(trees, axis):
    def one(*xs):
        return np.stack(xs, axis) if isinstance(xs[0], np.ndarray) else jnp.stack(xs, axis)

    return jax.tree.map(one, *trees)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_round_trips_with_stack(axis):
    trees = [make(i) for i in range(4)]
    # Stack only the array leaves; the non-array ones are shared.
    dynamic = [eqx.filter(t, eqx.is_array) for t in trees]
    batched = eqx.combine(stack(dynamic, axis), eqx.filter(trees[0], eqx.is_array, inverse=True))
    pieces = unstack_pytree(batched, axis=axis)
    assert len(pieces) == 4
    for piece, tree in zip(pieces, trees):
        assert piece.activation is jnp.tanh and piece.size == 3
        np.testing.assert_array_equal(piece.weight, tree.weight)
        assert type(piece.bias) is np.ndarray  # NumPy leaves stay NumPy
        np.testing.assert_array_equal(piece.bias, tree.bias)
    restacked = eqx.combine(
        stack([eqx.filter(p, eqx.is_array) for p in pieces], axis),
        eqx.filter(pieces[0], eqx.is_array, inverse=True),
    )
    assert eqx.tree_equal(restacked, batched)


def test_splits_a_filter_vmap_batch_like_a_loop():
    keys = jax.random.split(jax.random.key(0), 3)
    batched = eqx.filter_vmap(lambda k: eqx.nn.Linear(2, 2, key=k))(keys)
    for piece, k in zip(unstack_pytree(batched), keys):
        assert eqx.tree_equal(piece, eqx.nn.Linear(2, 2, key=k))


def test_works_under_jit():
    tree = {"a": jnp.arange(6.0).reshape(3, 2), "b": jnp.arange(3), "name": "x"}
    first, second, third = eqx.filter_jit(unstack_pytree)(tree)
    np.testing.assert_array_equal(third["a"], [4.0, 5.0])
    assert int(second["b"]) == 1 and first["name"] == "x"


def test_clear_errors():
    with pytest.raises(ValueError, match="no array leaf"):
        unstack_pytree({"name": "x"})
    with pytest.raises(ValueError, match="same size along axis 0"):
        unstack_pytree((jnp.zeros(2), jnp.zeros(3)))
    with pytest.raises(ValueError, match="out of range"):
        unstack_pytree(jnp.zeros(2), axis=1)
