"""Soft actor-critic policies (SAC, discrete SAC)."""

from ._mlp import MLPSACPolicy as MLPSACPolicy, SDEState as SDEState
from .base import (
    AbstractDiscreteSACPolicy as AbstractDiscreteSACPolicy,
    AbstractSACPolicy as AbstractSACPolicy,
)
from .discrete import MLPDiscreteSACPolicy as MLPDiscreteSACPolicy
