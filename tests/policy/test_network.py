"""The batch-friendly MLP evaluation gives what Equinox's own call gives."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.policy._network import _NARROW, forward


def _leaves(tree):
    return jax.tree.leaves(eqx.filter(tree, eqx.is_array))


# Inputs of 4 take the narrow layers' path (a transposed weight behind a barrier), of 20 the
# wide one; the hidden width of 24 is wide.
@pytest.mark.parametrize("in_size", [4, 20])
@pytest.mark.parametrize("depth", [0, 1, 2])
@pytest.mark.parametrize("out", [3, "scalar"])
def test_forward_equals_equinox(in_size, depth, out):
    assert 4 <= _NARROW < 20 < 24
    mlp = eqx.nn.MLP(
        in_size,
        out,
        24,
        depth,
        activation=jnp.tanh,
        final_activation=jax.nn.relu,
        key=jax.random.key(0),
    )
    x = jax.random.normal(jax.random.key(1), (5, in_size))
    np.testing.assert_allclose(jax.vmap(lambda v: forward(mlp, v))(x), jax.vmap(mlp)(x), atol=1e-6)
    grads = eqx.filter_grad(lambda m: jnp.sum(jax.vmap(lambda v: forward(m, v))(x)))(mlp)
    expected = eqx.filter_grad(lambda m: jnp.sum(jax.vmap(m)(x)))(mlp)
    for a, b in zip(_leaves(grads), _leaves(expected), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


@pytest.mark.parametrize("in_size", [4, 20])
def test_forward_mode_and_seed_batches_agree_with_equinox(in_size):
    """Forward-mode derivatives pass the barrier, and a weight gradient vmapped over a stack
    of networks (as over seeds) equals Equinox's."""
    keys = jax.random.split(jax.random.key(2), 3)
    mlps = eqx.filter_vmap(lambda k: eqx.nn.MLP(in_size, 2, 24, 1, key=k))(keys)
    mlp = jax.tree.map(lambda x: x[0] if eqx.is_array(x) else x, mlps)
    v = jax.random.normal(jax.random.key(3), (in_size,))
    dv = jnp.ones(in_size)
    out, tangent = jax.jvp(lambda y: forward(mlp, y), (v,), (dv,))
    want, want_tangent = jax.jvp(mlp, (v,), (dv,))
    np.testing.assert_allclose(out, want, atol=1e-6)
    np.testing.assert_allclose(tangent, want_tangent, atol=1e-5)
    x = jax.random.normal(jax.random.key(4), (8, in_size))

    def grad(call):
        return eqx.filter_vmap(
            eqx.filter_grad(lambda m: jnp.sum(jnp.tanh(jax.vmap(lambda y: call(m, y))(x))))
        )(mlps)

    for a, b in zip(_leaves(grad(forward)), _leaves(grad(lambda m, y: m(y))), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
