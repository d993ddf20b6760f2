import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.utils import filter_scan


class Acc(eqx.Module):
    total: jax.Array
    scale: float = eqx.field(static=True)
    fn: object = jnp.tanh  # non-array leaf in the carry


def test_matches_python_loop_and_keeps_static_parts():
    xs = jnp.arange(5.0)

    def f(carry, x):
        new = eqx.tree_at(lambda c: c.total, carry, carry.total + carry.scale * carry.fn(x))
        return new, (new.total, "tag")

    carry, (totals, tag) = eqx.filter_jit(lambda c, xs: filter_scan(f, c, xs))(
        Acc(jnp.array(0.0), 2.0), xs
    )
    expected = np.cumsum(2.0 * np.tanh(np.arange(5.0)))
    np.testing.assert_allclose(totals, expected, rtol=1e-6)
    np.testing.assert_allclose(carry.total, expected[-1], rtol=1e-6)
    assert carry.fn is jnp.tanh and carry.scale == 2.0 and tag == "tag"


def test_length_reverse_and_function_in_xs():
    # xs mixes a scanned array with a non-array leaf, passed to every step unchanged
    xs = {"value": jnp.arange(3.0), "fn": jnp.tanh}

    def f(c, x):
        return c + 1, (c, x["fn"](x["value"]))

    count, (order, ys) = filter_scan(f, jnp.array(0), xs, reverse=True)
    np.testing.assert_allclose(ys, np.tanh(np.arange(3.0)), rtol=1e-6)
    np.testing.assert_array_equal(order, [2, 1, 0])  # visited from the end
    assert int(count) == 3

    count, _ = filter_scan(lambda c, _: (c * 2, None), jnp.array(1), None, length=4)
    assert int(count) == 16


def test_changing_static_leaf_is_an_error():
    with pytest.raises(ValueError, match="non-array leaves of the carry"):
        filter_scan(lambda c, x: ((c[0] + x, c[1] + 1), None), (jnp.array(0.0), 0), jnp.arange(3.0))


def test_xs_defaults_to_none_and_split_transpose_is_forwarded():
    count, ys = filter_scan(lambda c, x: (c + 1, x), jnp.array(0), length=3)
    assert int(count) == 3 and ys is None

    def loss(w, split):
        def f(c, x):
            return c * w + x, c

        carry, ys = filter_scan(f, jnp.array(1.0), jnp.arange(4.0), _split_transpose=split)
        return carry + ys.sum()

    value, grad = jax.value_and_grad(loss)(jnp.array(0.5), False)
    value_split, grad_split = jax.value_and_grad(loss)(jnp.array(0.5), True)
    np.testing.assert_allclose(value_split, value, rtol=1e-6)
    np.testing.assert_allclose(grad_split, grad, rtol=1e-6)
