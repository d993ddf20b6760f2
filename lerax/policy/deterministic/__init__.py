"""Deterministic policies (DDPG, TD3)."""

from ._mlp import MLPDeterministicPolicy as MLPDeterministicPolicy
from .base import (
    AbstractDeterministicPolicy as AbstractDeterministicPolicy,
    AbstractNoisyDeterministicPolicy as AbstractNoisyDeterministicPolicy,
)
