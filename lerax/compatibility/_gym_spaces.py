"""Spaces and their elements, converted between Gymnasium and lerax."""

from __future__ import annotations

from typing import Any

import gymnasium
import jax
import numpy as np
from gymnasium import spaces as gym_spaces

from ..space import AbstractSpace, Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple

_SUPPORTED = "Box, Discrete, MultiDiscrete, MultiBinary, Tuple and Dict"


def gym_space_to_lerax_space(space: gymnasium.Space) -> AbstractSpace:
    """The lerax space equal to a Gymnasium space.

    `Box` becomes a `float32` lerax `Box` with the same bounds, whatever the Gymnasium
    dtype (an integer box of images too: its elements are converted to `float32`). `Tuple`
    and `Dict` are converted space by space; a `Dict` keeps Gymnasium's key order.

    Args:
        space: A Gymnasium `Box`, `Discrete`, `MultiDiscrete`, `MultiBinary`, `Tuple` or
            `Dict`.

    Returns:
        The lerax space.

    Raises:
        TypeError: For a Gymnasium space lerax has no counterpart for (`Text`, `Graph`,
            `Sequence`, `OneOf`, ...), naming it.
        ValueError: For a `Discrete` or `MultiDiscrete` whose `start` is not 0, or a
            `MultiDiscrete` or `MultiBinary` that is not one-dimensional (lerax's are).

    Example:
        >>> gym_space_to_lerax_space(gymnasium.spaces.Discrete(2))
        Discrete(2)
    """
    if isinstance(space, gym_spaces.Box):
        return Box(space.low, space.high, shape=space.shape)
    if isinstance(space, gym_spaces.Discrete):
        if int(space.start) != 0:
            raise ValueError(
                f"gym_space_to_lerax_space: {space!r} starts at {int(space.start)}, but lerax's "
                f"Discrete(n) holds 0, ..., n - 1; only start=0 is supported (shift the "
                f"values with a Gymnasium wrapper first)"
            )
        return Discrete(int(space.n))
    if isinstance(space, gym_spaces.MultiDiscrete):
        if space.nvec.ndim != 1:
            raise ValueError(
                f"gym_space_to_lerax_space: {space!r} has nvec of shape {space.nvec.shape}; "
                "lerax's MultiDiscrete is one-dimensional (flatten nvec first)"
            )
        if np.any(space.start != 0):
            raise ValueError(
                f"gym_space_to_lerax_space: {space!r} has start={space.start.tolist()}; "
                "lerax's MultiDiscrete starts every dimension at 0, so only start=0 is supported"
            )
        return MultiDiscrete(space.nvec.tolist())
    if isinstance(space, gym_spaces.MultiBinary):
        if len(space.shape) != 1:
            raise ValueError(
                f"gym_space_to_lerax_space: {space!r} has shape {space.shape}; lerax's "
                "MultiBinary(n) is one-dimensional (flatten it first)"
            )
        return MultiBinary(int(space.shape[0]))
    if isinstance(space, gym_spaces.Tuple):
        return Tuple([gym_space_to_lerax_space(s) for s in space.spaces])
    if isinstance(space, gym_spaces.Dict):
        return Dict({k: gym_space_to_lerax_space(s) for k, s in space.spaces.items()})
    raise _unsupported_gym(space)


def lerax_to_gym_space(space: AbstractSpace) -> gymnasium.Space:
    """The Gymnasium space equal to a lerax space.

    A `Box` becomes a `float32` Gymnasium `Box`; `Discrete`, `MultiDiscrete` and
    `MultiBinary` keep their sizes (with Gymnasium's default dtypes); `Tuple` and `Dict`
    are converted space by space. Gymnasium sorts the keys of a `Dict`.

    Args:
        space: A lerax `Box`, `Discrete`, `MultiDiscrete`, `MultiBinary`, `Tuple` or `Dict`.

    Returns:
        The Gymnasium space.

    Raises:
        TypeError: For any other lerax space, naming it.

    Example:
        >>> lerax_to_gym_space(lerax.space.Box(-1.0, 1.0, shape=(3,)))
        Box(-1.0, 1.0, (3,), float32)
    """
    if isinstance(space, Box):
        low = np.asarray(space.low, np.float32)
        high = np.asarray(space.high, np.float32)
        return gym_spaces.Box(low, high, shape=space.shape, dtype=np.float32)
    if isinstance(space, Discrete):
        return gym_spaces.Discrete(space.n)
    if isinstance(space, MultiDiscrete):
        return gym_spaces.MultiDiscrete(np.asarray(space.nvec, np.int64))
    if isinstance(space, MultiBinary):
        return gym_spaces.MultiBinary(space.n)
    if isinstance(space, Tuple):
        return gym_spaces.Tuple([lerax_to_gym_space(s) for s in space.spaces])
    if isinstance(space, Dict):
        return gym_spaces.Dict({k: lerax_to_gym_space(s) for k, s in space.items()})
    raise TypeError(
        f"lerax_to_gym_space: the lerax space {space!r} ({type(space).__name__}) has no "
        f"Gymnasium counterpart; supported spaces are {_SUPPORTED}"
    )


def gym_value_to_lerax(space: gymnasium.Space, value: Any) -> Any:
    """An element of the Gymnasium `space` as the NumPy value of its lerax counterpart.

    Box elements become `float32` arrays, discrete and binary ones `int32` arrays, tuples
    and dicts are converted element by element (a dict in the order of `space`'s keys).
    """
    if isinstance(space, gym_spaces.Box):
        return np.array(value, np.float32).reshape(space.shape)
    if isinstance(space, gym_spaces.Discrete):
        return np.array(value, np.int32).reshape(())
    if isinstance(space, gym_spaces.MultiDiscrete | gym_spaces.MultiBinary):
        return np.array(value, np.int32).reshape(space.shape)
    if isinstance(space, gym_spaces.Tuple):
        return tuple(gym_value_to_lerax(s, v) for s, v in zip(space.spaces, value, strict=True))
    if isinstance(space, gym_spaces.Dict):
        return {k: gym_value_to_lerax(s, value[k]) for k, s in space.spaces.items()}
    raise _unsupported_gym(space)


def gym_value_shapes(space: gymnasium.Space) -> Any:
    """The shapes and dtypes of `gym_value_to_lerax`'s values: `jax.ShapeDtypeStruct`s."""
    if isinstance(space, gym_spaces.Box):
        return jax.ShapeDtypeStruct(space.shape, np.float32)
    if isinstance(space, gym_spaces.Discrete):
        return jax.ShapeDtypeStruct((), np.int32)
    if isinstance(space, gym_spaces.MultiDiscrete | gym_spaces.MultiBinary):
        return jax.ShapeDtypeStruct(space.shape, np.int32)
    if isinstance(space, gym_spaces.Tuple):
        return tuple(gym_value_shapes(s) for s in space.spaces)
    if isinstance(space, gym_spaces.Dict):
        return {k: gym_value_shapes(s) for k, s in space.spaces.items()}
    raise _unsupported_gym(space)


def lerax_value_to_gym(space: gymnasium.Space, value: Any) -> Any:
    """An element of a lerax space as an element of the Gymnasium `space`.

    Arrays take the dtype of `space` (new, writable NumPy arrays); a `Discrete` element
    becomes an `np.int64`, as Gymnasium's are. Floats bound for an integer `Box` are
    rounded.
    """
    if isinstance(space, gym_spaces.Discrete):
        return np.int64(np.asarray(value).item())
    if isinstance(space, gym_spaces.Box | gym_spaces.MultiDiscrete | gym_spaces.MultiBinary):
        array = np.asarray(value)
        dtype = np.dtype(space.dtype)
        if np.issubdtype(dtype, np.integer) and np.issubdtype(array.dtype, np.floating):
            array = np.rint(array)
        return np.array(array, dtype=dtype).reshape(space.shape)
    if isinstance(space, gym_spaces.Tuple):
        return tuple(lerax_value_to_gym(s, v) for s, v in zip(space.spaces, value, strict=True))
    if isinstance(space, gym_spaces.Dict):
        return {k: lerax_value_to_gym(s, value[k]) for k, s in space.spaces.items()}
    raise _unsupported_gym(space)


def _unsupported_gym(space: Any) -> TypeError:
    return TypeError(
        f"gym_space_to_lerax_space: the Gymnasium space {space!r} ({type(space).__name__}) "
        f"has no lerax counterpart; supported spaces are {_SUPPORTED}"
    )
