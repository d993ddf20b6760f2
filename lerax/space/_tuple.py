"""Cartesian product of spaces, as a tuple."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, final

import jax
import jax.numpy as jnp

from .._types import Array, Bool, Float, Key
from .base import AbstractSpace, false_


@final
class Tuple(AbstractSpace[tuple[Any, ...], tuple[Any, ...]]):
    """A tuple of elements, one from each sub-space.

    Indexable and sized like a tuple. A mask is a tuple with one mask (or `None`) per
    sub-space.

    Args:
        spaces: The sub-spaces, at least one.
    """

    spaces: tuple[AbstractSpace, ...]

    def __init__(self, spaces: Iterable[AbstractSpace]):
        spaces = tuple(spaces)
        if not spaces:
            raise ValueError("Tuple(spaces): needs at least one sub-space")
        for s in spaces:
            if not isinstance(s, AbstractSpace):
                raise TypeError(f"Tuple(spaces): every entry must be a space, got {s!r}")
        self.spaces = spaces

    @property
    def shape(self) -> None:
        return None

    def __getitem__(self, index: int) -> AbstractSpace:
        return self.spaces[index]

    def __len__(self) -> int:
        return len(self.spaces)

    def __iter__(self):
        return iter(self.spaces)

    def sample(self, *, key: Key, mask: tuple[Any, ...] | None = None) -> tuple[Any, ...]:
        keys = jax.random.split(key, len(self.spaces))
        masks = (None,) * len(self.spaces) if mask is None else tuple(mask)
        if len(masks) != len(self.spaces):
            raise ValueError(
                f"Tuple.sample: mask needs {len(self.spaces)} entries, got {len(masks)}"
            )
        return tuple(s.sample(key=k, mask=m) for s, k, m in zip(self.spaces, keys, masks))

    def contains(self, x: Any) -> Bool[Array, ""]:
        if not isinstance(x, tuple | list) or len(x) != len(self.spaces):
            return false_()
        result = jnp.array(True)
        for s, xi in zip(self.spaces, x):
            result = result & s.contains(xi)
        return result

    def flatten_sample(self, x: tuple[Any, ...]) -> Float[Array, " size"]:
        return jnp.concatenate([s.flatten_sample(xi) for s, xi in zip(self.spaces, x)])

    @property
    def flat_size(self) -> int:
        return sum(s.flat_size for s in self.spaces)

    def canonical(self) -> tuple[Any, ...]:
        return tuple(s.canonical() for s in self.spaces)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tuple) and other.spaces == self.spaces

    def __hash__(self) -> int:
        return hash(("Tuple", self.spaces))

    def __repr__(self) -> str:
        return f"Tuple({', '.join(repr(s) for s in self.spaces)})"
