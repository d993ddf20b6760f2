"""The batch-friendly MLP evaluation gives what Equinox's own call gives."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.policy._network import forward


@pytest.mark.parametrize("depth", [0, 1, 2])
@pytest.mark.parametrize("out", [3, "scalar"])
def test_forward_equals_equinox(depth, out):
    mlp = eqx.nn.MLP(
        4, out, 8, depth, activation=jnp.tanh, final_activation=jax.nn.relu, key=jax.random.key(0)
    )
    x = jax.random.normal(jax.random.key(1), (5, 4))
    np.testing.assert_allclose(jax.vmap(lambda v: forward(mlp, v))(x), jax.vmap(mlp)(x), atol=1e-6)
    grads = eqx.filter_grad(lambda m: jnp.sum(jax.vmap(lambda v: forward(m, v))(x)))(mlp)
    expected = eqx.filter_grad(lambda m: jnp.sum(jax.vmap(m)(x)))(mlp)
    for a, b in zip(
        jax.tree.leaves(eqx.filter(grads, eqx.is_array)),
        jax.tree.leaves(eqx.filter(expected, eqx.is_array)),
        strict=True,
    ):
        np.testing.assert_allclose(a, b, atol=1e-5)
