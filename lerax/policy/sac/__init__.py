"""Soft actor-critic policies (SAC, discrete SAC)."""

from ._mlp import MLPSACPolicy as MLPSACPolicy
from .base import (
    AbstractDiscreteSACPolicy as AbstractDiscreteSACPolicy,
    AbstractSACPolicy as AbstractSACPolicy,
)
from .discrete import MLPDiscreteSACPolicy as MLPDiscreteSACPolicy
