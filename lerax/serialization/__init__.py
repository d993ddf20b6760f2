"""Serialisation: a structural fingerprint, the Equinox leaves, an integrity digest."""

from ._fingerprint import FINGERPRINT_SIZE as FINGERPRINT_SIZE, fingerprint as fingerprint
from ._serializable import (
    DIGEST_SIZE as DIGEST_SIZE,
    AbstractSerializable as AbstractSerializable,
    describe as describe,
    load as load,
    read_metadata as read_metadata,
    save as save,
)
