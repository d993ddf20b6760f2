from typing import final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import lerax.utils
from lerax.serialization import AbstractSerializable


@final
class Scaler(lerax.utils.Serializable):
    weight: jax.Array
    size: int = eqx.field(static=True)

    def __init__(self, size, *, key):
        self.size = size
        self.weight = jax.random.normal(key, (size,))


def test_serializable_is_the_documented_name_of_the_mixin():
    assert lerax.utils.Serializable is AbstractSerializable
    assert isinstance(Scaler(2, key=jax.random.key(0)), AbstractSerializable)


def test_a_subclass_round_trips(tmp_path):
    module = Scaler(3, key=jax.random.key(0))
    path = module.serialize(tmp_path / "scaler")
    assert path.name == "scaler.eqx"
    loaded = Scaler.deserialize(path, 3, key=jax.random.key(1))
    assert isinstance(loaded, Scaler) and loaded.size == 3
    np.testing.assert_array_equal(loaded.weight, module.weight)
    assert not jnp.array_equal(Scaler(3, key=jax.random.key(1)).weight, module.weight)
    with pytest.raises(ValueError, match="fingerprint mismatch"):
        Scaler.deserialize(path, 4, key=jax.random.key(1))
