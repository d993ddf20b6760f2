import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.utils import polyak_average


class Net(eqx.Module):
    weight: jax.Array
    bias: jax.Array
    steps: jax.Array  # integer leaf: must be kept from the target
    activation: object = jax.nn.relu  # non-array leaf


def make(seed):
    rng = np.random.default_rng(seed)
    return Net(
        jnp.asarray(rng.normal(size=(3, 2)), jnp.float32),
        jnp.asarray(rng.normal(size=(2,)), jnp.float32),
        jnp.array(seed),
    )


average = eqx.filter_jit(polyak_average)  # tau passed as an array: one compile


def test_matches_reference_formula():
    online, target = make(1), make(2)
    out = average(online, target, jnp.array(0.3))
    for name in ("weight", "bias"):
        expected = 0.3 * np.asarray(getattr(online, name)) + 0.7 * np.asarray(getattr(target, name))
        np.testing.assert_allclose(getattr(out, name), expected, rtol=1e-6)
    assert int(out.steps) == 2  # integer leaf comes from target
    assert out.activation is jax.nn.relu
    assert out.weight.dtype == target.weight.dtype


def test_extremes():
    online, target = make(1), make(2)
    one = average(online, target, jnp.array(1.0))
    zero = average(online, target, jnp.array(0.0))
    np.testing.assert_allclose(one.weight, online.weight, rtol=1e-6)
    assert eqx.tree_equal(zero, target)


def test_traced_tau_under_vmap():
    online, target = make(1), make(2)
    taus = jnp.array([0.0, 0.5, 1.0])
    out = eqx.filter_vmap(lambda t: polyak_average(online, target, t))(taus)
    for i, tau in enumerate([0.0, 0.5, 1.0]):
        np.testing.assert_allclose(
            out.bias[i], tau * online.bias + (1 - tau) * target.bias, rtol=1e-6
        )


def test_structure_mismatch_is_an_error():
    with pytest.raises(ValueError, match="same pytree structure"):
        polyak_average({"a": jnp.ones(2)}, {"b": jnp.ones(2)}, 0.5)
