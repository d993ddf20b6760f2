"""JAX arrays to NumPy, for libraries that expect NumPy values."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .._types import PyTree


def jax_to_numpy(x: Any) -> Any:
    """A JAX array as a NumPy array; anything else (Python scalars, NumPy values) unchanged.

    Args:
        x: A JAX array or any other value.

    Returns:
        `np.asarray(x)` for a JAX array (a typed PRNG key becomes its key data), else `x`.

    Example:
        >>> jax_to_numpy(jnp.arange(3))
        array([0, 1, 2], dtype=int32)
        >>> jax_to_numpy(1.5)
        1.5
    """
    if isinstance(x, jax.Array):
        if jnp.issubdtype(x.dtype, jax.dtypes.prng_key):
            x = jax.random.key_data(x)
        return np.asarray(x)
    return x


def to_numpy_tree(x: PyTree) -> PyTree:
    """`jax_to_numpy` applied to every leaf of a pytree.

    The tree's structure (tuples, lists, dicts, `None`s, Equinox modules) is kept.

    Args:
        x: A pytree.

    Returns:
        The same pytree with NumPy arrays in place of JAX arrays.

    Example:
        >>> to_numpy_tree({"obs": jnp.zeros(2), "done": False})
        {'done': False, 'obs': array([0., 0.], dtype=float32)}
    """
    return jax.tree.map(jax_to_numpy, x)
