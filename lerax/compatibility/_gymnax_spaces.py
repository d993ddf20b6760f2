"""Spaces and their elements, converted between gymnax and lerax."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from gymnax.environments import spaces as gymnax_spaces

from ..space import AbstractSpace, Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple

_SUPPORTED = "Box, Discrete, Tuple and Dict"


def gymnax_space_to_lerax_space(space: gymnax_spaces.Space) -> AbstractSpace:
    """The lerax space equal to a gymnax space.

    A `Box` becomes a `float32` lerax `Box` with the same bounds and shape, whatever its
    gymnax dtype (the elements of an integer box are converted to `float32`). A `Discrete`
    keeps its size (its elements become `int32`). `Tuple` and `Dict` are converted space by
    space; a `Dict` keeps gymnax's key order.

    Args:
        space: A gymnax `Box`, `Discrete`, `Tuple` or `Dict`
            (`gymnax.environments.spaces`).

    Returns:
        The lerax space.

    Raises:
        TypeError: For any other gymnax space, naming it.
        ValueError: For a `Discrete` with no elements (lerax's `Discrete(n)` needs
            `n >= 1`).

    Example:
        >>> gymnax_space_to_lerax_space(gymnax.environments.spaces.Discrete(3))
        Discrete(3)
    """
    if isinstance(space, gymnax_spaces.Box):
        return Box(np.asarray(space.low), np.asarray(space.high), shape=tuple(space.shape))
    if isinstance(space, gymnax_spaces.Discrete):
        if int(space.n) < 1:
            raise ValueError(
                f"gymnax_space_to_lerax_space: {space!r} has no elements, but lerax's "
                "Discrete(n) needs n >= 1"
            )
        return Discrete(int(space.n))
    if isinstance(space, gymnax_spaces.Tuple):
        return Tuple([gymnax_space_to_lerax_space(s) for s in space.spaces])
    if isinstance(space, gymnax_spaces.Dict):
        return Dict({k: gymnax_space_to_lerax_space(s) for k, s in space.spaces.items()})
    raise TypeError(
        f"gymnax_space_to_lerax_space: the gymnax space {space!r} ({type(space).__name__}) "
        f"has no lerax counterpart; supported spaces are {_SUPPORTED}"
    )


def lerax_to_gymnax_space(space: AbstractSpace) -> gymnax_spaces.Space:
    """The gymnax space equal to a lerax space.

    A `Box` becomes a `float32` gymnax `Box` with the same bounds and shape, a `Discrete` an
    `int32` gymnax `Discrete` of the same size; `Tuple` and `Dict` are converted space by
    space, in order.

    Args:
        space: A lerax `Box`, `Discrete`, `Tuple` or `Dict`.

    Returns:
        The gymnax space.

    Raises:
        TypeError: For any other lerax space (gymnax has no `MultiDiscrete` or
            `MultiBinary`), naming it.

    Example:
        >>> lerax_to_gymnax_space(lerax.space.Box(-1.0, 1.0, shape=(3,)))
        Box(low=-1.0, high=1.0, shape=(3,), dtype=float32)
    """
    if isinstance(space, Box):
        low = jnp.asarray(space.low, jnp.float32)
        high = jnp.asarray(space.high, jnp.float32)
        return gymnax_spaces.Box(low, high, space.shape, jnp.float32)
    if isinstance(space, Discrete):
        return gymnax_spaces.Discrete(space.n)
    if isinstance(space, Tuple):
        return gymnax_spaces.Tuple([lerax_to_gymnax_space(s) for s in space.spaces])
    if isinstance(space, Dict):
        return gymnax_spaces.Dict({k: lerax_to_gymnax_space(s) for k, s in space.items()})
    hint = ""
    if isinstance(space, MultiDiscrete | MultiBinary):
        hint = (
            f"; gymnax has no {type(space).__name__}: describe the values with a Tuple of "
            "Discrete spaces instead"
        )
    raise TypeError(
        f"lerax_to_gymnax_space: the lerax space {space!r} ({type(space).__name__}) has no "
        f"gymnax counterpart; supported spaces are {_SUPPORTED}{hint}"
    )


def as_lerax_value(space: AbstractSpace, value: Any) -> Any:
    """`value` as an element of the lerax `space`, with its dtypes.

    Box elements become `float32` arrays, discrete (and binary) ones `int32` arrays, tuples
    and dicts are converted element by element (a dict in the order of `space`'s keys).
    Jittable; shapes are left as they are, so the conversion also works under `jax.vmap`.
    """
    if isinstance(space, Box):
        return jnp.asarray(value, jnp.float32)
    if isinstance(space, Discrete | MultiDiscrete | MultiBinary):
        return jnp.asarray(value, jnp.int32)
    if isinstance(space, Tuple):
        return tuple(as_lerax_value(s, v) for s, v in zip(space.spaces, value, strict=True))
    if isinstance(space, Dict):
        return {k: as_lerax_value(s, value[k]) for k, s in space.items()}
    raise TypeError(
        f"the lerax space {space!r} ({type(space).__name__}) has no gymnax counterpart; "
        f"supported spaces are {_SUPPORTED}"
    )


def as_types_of(shapes: Any, value: Any) -> Any:
    """`value`, a pytree of `shapes`' structure, with the dtypes of `shapes`.

    `shapes` holds `jax.ShapeDtypeStruct`s (from `jax.eval_shape`). Every leaf of the result
    is an array (Python scalars too), so values built in different places share one type.
    """
    return jax.tree.map(lambda s, v: jnp.asarray(v, s.dtype), shapes, value)
