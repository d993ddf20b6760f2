"""Serialisation: a structural fingerprint followed by Equinox leaves."""

from ._fingerprint import FINGERPRINT_SIZE as FINGERPRINT_SIZE, fingerprint as fingerprint
from ._serializable import (
    AbstractSerializable as AbstractSerializable,
    load as load,
    save as save,
)
