"""Q-value policies."""

from ._mlp import MLPQPolicy as MLPQPolicy
from .base import AbstractQPolicy as AbstractQPolicy
