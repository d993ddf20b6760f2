"""Split a batched pytree into a list of unbatched ones."""

from __future__ import annotations

from typing import TypeVar

import equinox as eqx
import jax

T = TypeVar("T")


def unstack_pytree(tree: T, *, axis: int = 0) -> list[T]:
    """Split every array leaf of `tree` along `axis`: the inverse of stacking pytrees.

    Array leaves (JAX or NumPy) are indexed along `axis`; every other leaf (activation
    functions, static fields, Python values) is copied into each piece unchanged, as in the
    `eqx.filter_*` transformations. So ``jax.tree.map(lambda *x: jnp.stack(x, axis),
    *unstack_pytree(tree, axis=axis))`` gives `tree` back.

    Args:
        tree: A pytree, e.g. an Equinox module built with `eqx.filter_vmap`.
        axis: The axis to split along (negative counts from the end of each leaf).

    Returns:
        A list of pytrees shaped like `tree` without `axis`, one per index along `axis`.

    Raises:
        ValueError: If `tree` has no array leaf, a leaf has no axis `axis`, or the leaves
            disagree on the size of `axis`.

    Example:
        >>> policies = eqx.filter_vmap(lambda k: MLPQPolicy(env, key=k))(keys)
        >>> first, second = unstack_pytree(policies)
    """
    dynamic, static = eqx.partition(tree, eqx.is_array)
    leaves, treedef = jax.tree.flatten(dynamic)
    if not leaves:
        raise ValueError("unstack_pytree: tree has no array leaf to split")
    axes: list[int] = []
    for leaf in leaves:
        if not -leaf.ndim <= axis < leaf.ndim:
            raise ValueError(
                f"unstack_pytree: axis {axis} is out of range for a leaf of shape {leaf.shape}"
            )
        axes.append(axis % leaf.ndim)
    sizes = {leaf.shape[ax] for leaf, ax in zip(leaves, axes)}
    if len(sizes) != 1:
        raise ValueError(
            f"unstack_pytree: the array leaves must have the same size along axis {axis}, got "
            f"shapes {[leaf.shape for leaf in leaves]}"
        )
    (size,) = sizes

    def piece(index: int) -> T:
        parts = [leaf[(slice(None),) * ax + (index,)] for leaf, ax in zip(leaves, axes)]
        return eqx.combine(jax.tree.unflatten(treedef, parts), static)

    return [piece(i) for i in range(size)]
