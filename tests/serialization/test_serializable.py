"""Any Equinox module can opt in to serialisation by subclassing AbstractSerializable."""

from collections.abc import Callable
from typing import final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jaxtyping import Array, Float, Int

from lerax.serialization import AbstractSerializable, fingerprint, load, save


@final
class Affine(AbstractSerializable):
    weight: Float[Array, "out inp"]
    bias: Float[Array, " out"]
    steps: Int[Array, ""]
    scale: float = eqx.field(static=True)
    activation: Callable = eqx.field(static=True)

    def __init__(self, inp: int, out: int, *, scale: float = 1.0, activation=jnp.tanh, key):
        self.weight = jax.random.normal(key, (out, inp))
        self.bias = jnp.zeros(out)
        self.steps = jnp.array(0, jnp.int32)
        self.scale = scale
        self.activation = activation

    def __call__(self, x):
        return self.activation(self.scale * (self.weight @ x + self.bias))


def test_custom_module_round_trip(tmp_path):
    module = eqx.tree_at(
        lambda m: m.steps, Affine(3, 2, scale=2.0, key=jax.random.key(0)), jnp.int32(7)
    )
    path = module.serialize(tmp_path / "sub" / "affine")
    assert path == tmp_path / "sub" / "affine.eqx"
    loaded = Affine.deserialize(path, 3, 2, scale=2.0, key=jax.random.key(1))
    assert type(loaded) is Affine and loaded.scale == 2.0 and loaded.activation is jnp.tanh
    np.testing.assert_array_equal(loaded.weight, module.weight)
    assert loaded.steps.dtype == jnp.int32 and int(loaded.steps) == 7
    x = jnp.array([0.1, -0.2, 0.3])
    np.testing.assert_array_equal(loaded(x), module(x))


@pytest.mark.parametrize(
    "args, kwargs",
    [((4, 2), {}), ((3, 3), {}), ((3, 2), {"scale": 3.0}), ((3, 2), {"activation": jax.nn.relu})],
    ids=["input-size", "output-size", "static-field", "activation"],
)
def test_custom_module_mismatch_is_a_value_error(tmp_path, args, kwargs):
    path = Affine(3, 2, key=jax.random.key(0)).serialize(tmp_path / "affine")
    with pytest.raises(ValueError, match="fingerprint mismatch"):
        Affine.deserialize(path, *args, **kwargs, key=jax.random.key(0))


def test_save_and_load_functions_work_on_any_module(tmp_path):
    mlp = eqx.nn.MLP(2, 3, 4, 1, key=jax.random.key(0))
    path = save(mlp, tmp_path / "mlp")
    skeleton = eqx.filter_eval_shape(eqx.nn.MLP, 2, 3, 4, 1, key=jax.random.key(1))
    loaded = load(path, skeleton)
    np.testing.assert_array_equal(loaded(jnp.ones(2)), mlp(jnp.ones(2)))
    with pytest.raises(ValueError, match="fingerprint mismatch"):
        load(path, eqx.filter_eval_shape(eqx.nn.MLP, 2, 3, 5, 1, key=jax.random.key(1)))


def test_fingerprint_covers_structure_but_not_values():
    a = Affine(3, 2, key=jax.random.key(0))
    fp = fingerprint(a)
    assert isinstance(fp, bytes) and len(fp) == 32
    # Values of array leaves do not matter; the skeleton matches the real module.
    assert fingerprint(Affine(3, 2, key=jax.random.key(5))) == fp
    assert fingerprint(eqx.filter_eval_shape(Affine, 3, 2, key=jax.random.key(0))) == fp
    # Dtypes, shapes, static values and functions do.
    assert fingerprint(eqx.tree_at(lambda m: m.bias, a, jnp.zeros(2, jnp.float16))) != fp
    assert fingerprint(eqx.tree_at(lambda m: m.bias, a, jnp.zeros(3))) != fp
    assert fingerprint(Affine(3, 2, scale=0.5, key=jax.random.key(0))) != fp
    assert fingerprint(Affine(3, 2, activation=jax.nn.sigmoid, key=jax.random.key(0))) != fp
