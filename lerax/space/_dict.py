"""Ordered mapping of named spaces."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Bool, Float, Key
from .base import AbstractSpace, false_


@final
class Dict(AbstractSpace[dict[str, Any], dict[str, Any]]):
    """A dictionary of elements, one from each named sub-space, in insertion order.

    Indexable by key. A mask is a dictionary with a mask (or `None`) per key.

    Args:
        spaces: Mapping from names to sub-spaces, at least one.
    """

    keys: tuple[str, ...] = eqx.field(static=True)
    spaces: tuple[AbstractSpace, ...]

    def __init__(self, spaces: Mapping[str, AbstractSpace]):
        if not isinstance(spaces, Mapping) or not spaces:
            raise ValueError(
                f"Dict(spaces): needs a non-empty mapping of names to spaces, got {spaces!r}"
            )
        for k, s in spaces.items():
            if not isinstance(k, str):
                raise TypeError(f"Dict(spaces): keys must be str, got {k!r}")
            if not isinstance(s, AbstractSpace):
                raise TypeError(f"Dict(spaces): value for {k!r} must be a space, got {s!r}")
        self.keys = tuple(spaces.keys())
        self.spaces = tuple(spaces.values())

    @property
    def shape(self) -> None:
        return None

    def __getitem__(self, key: str) -> AbstractSpace:
        try:
            return self.spaces[self.keys.index(key)]
        except ValueError:
            raise KeyError(f"Dict space has no key {key!r}; keys are {list(self.keys)}") from None

    def __len__(self) -> int:
        return len(self.keys)

    def items(self):
        return zip(self.keys, self.spaces)

    def sample(self, *, key: Key, mask: dict[str, Any] | None = None) -> dict[str, Any]:
        keys = jax.random.split(key, len(self.spaces))
        mask = {} if mask is None else dict(mask)
        unknown = set(mask) - set(self.keys)
        if unknown:
            raise ValueError(f"Dict.sample: mask has unknown keys {sorted(unknown)}")
        return {
            name: s.sample(key=k, mask=mask.get(name))
            for name, s, k in zip(self.keys, self.spaces, keys)
        }

    def contains(self, x: Any) -> Bool[Array, ""]:
        if not isinstance(x, Mapping) or set(x.keys()) != set(self.keys):
            return false_()
        result = jnp.array(True)
        for name, s in self.items():
            result = result & s.contains(x[name])
        return result

    def flatten_sample(self, x: dict[str, Any]) -> Float[Array, " size"]:
        return jnp.concatenate([s.flatten_sample(x[name]) for name, s in self.items()])

    @property
    def flat_size(self) -> int:
        return sum(s.flat_size for s in self.spaces)

    def canonical(self) -> dict[str, Any]:
        return {name: s.canonical() for name, s in self.items()}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Dict) and other.keys == self.keys and other.spaces == self.spaces

    def __hash__(self) -> int:
        return hash(("Dict", self.keys, self.spaces))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k!r}: {s!r}" for k, s in self.items())
        return f"Dict({{{inner}}})"
