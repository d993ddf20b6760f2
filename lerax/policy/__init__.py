"""Policies: mappings from observations to actions, serialisable."""

from .base import AbstractPolicy as AbstractPolicy, AbstractPolicyState as AbstractPolicyState
from .q import AbstractQPolicy as AbstractQPolicy, MLPQPolicy as MLPQPolicy
