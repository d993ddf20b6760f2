"""Evaluating Equinox MLPs in the operand order that suits batching."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Float

_NARROW = 16
"""Layers with at most this many inputs take the narrow path of `linear`."""


def linear(layer: eqx.nn.Linear, x: Float[Array, "..."]) -> Float[Array, "..."]:
    """`layer(x)` computed as ``x . W^T + b``.

    `eqx.nn.Linear` computes ``W @ x``; under `vmap` that puts the batch on the right of the
    product, and XLA's CPU kernels then transpose the result at every call. Contracting with
    the batched operand first gives the same numbers without the transpose (profiled on
    the PPO benchmark: the rollout's matrix products took about three times longer).

    A layer with few inputs (at most `_NARROW`, as the first layer on a classic-control
    observation) multiplies by a transposed copy of its weight held behind an optimisation
    barrier. Its weight gradient is then computed input-major and transposed, which XLA on
    CPU would otherwise fold into a batched product with the few inputs as the minor axis of
    the result: under `vmap` over 16 seeds that product took about three times longer.
    """
    if layer.in_features == "scalar":
        x = jnp.broadcast_to(x, (1,))
    if x.shape[-1] <= _NARROW:
        y = x @ jax.lax.optimization_barrier(layer.weight.T)
    else:
        y = jnp.einsum("i,oi->o", x, layer.weight)
    if layer.bias is not None:
        y = y + layer.bias
    if layer.out_features == "scalar":
        y = jnp.squeeze(y)
    return y


def forward(mlp: eqx.nn.MLP, x: Float[Array, "..."]) -> Float[Array, "..."]:
    """Evaluate `mlp` on one input with `linear` layers.

    Gives what `mlp(x)` gives: the hidden activation after every hidden layer, the final
    activation after the output layer, except that a depth-0 network is its one layer alone
    (Equinox skips the final activation there). Activations are applied elementwise, as
    `eqx.nn.MLP` does.
    """
    if any(eqx.is_array(leaf) for leaf in jax.tree.leaves((mlp.activation, mlp.final_activation))):
        return mlp(x)  # learnable per-neuron activations: Equinox's own evaluation
    if len(mlp.layers) == 1:
        return linear(mlp.layers[0], x)
    for layer in mlp.layers[:-1]:
        x = _elementwise(mlp.activation, linear(layer, x))
    return _elementwise(mlp.final_activation, linear(mlp.layers[-1], x))


def _elementwise(function, x: Array) -> Array:
    if jnp.ndim(x) == 0:
        return function(x)
    return jax.vmap(function)(x)
