"""Environments: functional, jittable, vmappable."""

from .base import (
    AbstractEnv as AbstractEnv,
    AbstractEnvLike as AbstractEnvLike,
    AbstractEnvLikeState as AbstractEnvLikeState,
    AbstractEnvState as AbstractEnvState,
)
