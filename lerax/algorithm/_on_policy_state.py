"""The training state of the on-policy algorithms."""

from __future__ import annotations

from typing import final

import optax

from .._types import Array, Int, Key
from ..policy import AbstractActorCriticPolicy
from ._collector import CollectorState
from .base import AbstractTrainState


@final
class OnPolicyState(AbstractTrainState):
    """Everything PPO, A2C and REINFORCE carry between iterations; a checkpoint.

    Attributes:
        policy: The actor-critic policy being trained.
        opt_state: The optimiser state of its trainable leaves.
        collector: Where the environments stand.
        key: PRNG key data for the next iteration.
        global_step: Environment steps taken so far (all environments together).
        updates: Gradient steps taken so far (the count schedules are evaluated at).
    """

    policy: AbstractActorCriticPolicy
    opt_state: optax.OptState
    collector: CollectorState
    key: Key
    global_step: Int[Array, ""]
    updates: Int[Array, ""]
