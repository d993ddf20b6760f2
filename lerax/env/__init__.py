"""Environments: functional, jittable, vmappable."""

from . import classic_control as classic_control
from ._registry import make as make
from .base import (
    AbstractEnv as AbstractEnv,
    AbstractEnvLike as AbstractEnvLike,
    AbstractEnvLikeState as AbstractEnvLikeState,
    AbstractEnvState as AbstractEnvState,
)
