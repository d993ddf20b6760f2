"""Bootstrapped value targets and target-network update rules."""

from ._bootstrapped_return import BootstrappedReturn as BootstrappedReturn
from ._hard_update import HardUpdate as HardUpdate
from ._n_step_return import NStepReturn as NStepReturn
from ._soft_update import SoftUpdate as SoftUpdate
from .base import (
    AbstractReturnTarget as AbstractReturnTarget,
    AbstractTargetUpdate as AbstractTargetUpdate,
)
