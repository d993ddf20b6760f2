"""The documented name of the serialisation mixin."""

from __future__ import annotations

from ..serialization import AbstractSerializable

Serializable = AbstractSerializable
"""`lerax.serialization.AbstractSerializable` under its documented name.

Subclass it to give an Equinox module `serialize(path)` and `deserialize(path, *args,
**kwargs)`; see `lerax.serialization.AbstractSerializable`.
"""
