"""The training state of DQN."""

from __future__ import annotations

from typing import final

import equinox as eqx
import optax

from .._types import Array, Float, Int, Key
from ..buffer import ReplayBuffer
from ..policy import AbstractQPolicy
from ._collector import CollectorState
from .base import AbstractTrainState


@final
class DQNState(AbstractTrainState):
    """Everything DQN carries between iterations; serialisable as a checkpoint.

    Attributes:
        policy: The online Q policy.
        target_policy: The target network.
        opt_state: The optimiser state of the trainable leaves.
        buffer: The replay buffer.
        collector: Where the environments stand.
        key: PRNG key for the next iteration.
        global_step: Environment steps taken so far (all environments together).
    """

    policy: AbstractQPolicy
    target_policy: AbstractQPolicy
    opt_state: optax.OptState
    buffer: ReplayBuffer
    collector: CollectorState
    key: Key
    global_step: Int[Array, ""]


@final
class DQNStats(eqx.Module):
    """DQN's statistics of one iteration.

    Attributes:
        loss: Mean TD loss of the iteration's gradient steps (zero during warm-up).
        epsilon: The exploration rate after the iteration.
    """

    loss: Float[Array, ""]
    epsilon: Float[Array, ""]
