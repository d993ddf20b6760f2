"""The training state of DQN."""

from __future__ import annotations

from typing import Any, final

import optax

from .._types import Array, Float, Int, Key
from ..buffer import ReplayBuffer
from ..policy import AbstractQPolicy
from .base import AbstractTrainState


@final
class DQNState(AbstractTrainState):
    """Everything DQN carries between iterations; serialisable as a checkpoint.

    Attributes:
        policy: The online Q policy.
        target_policy: The target network.
        opt_state: The optimiser state of the trainable leaves.
        buffer: The replay buffer.
        env_state: Environment states, leading axis `num_envs`.
        observation: Current observations, leading axis `num_envs`.
        policy_state: Policy states, leading axis `num_envs`.
        key: PRNG key for the next iteration.
        global_step: Environment steps taken so far (all environments together).
        episode_return: Return of the episode in progress, per environment.
        episode_length: Length of the episode in progress, per environment.
        last_return: Return of the last finished episode, per environment.
        episodes: Finished episodes so far, per environment.
    """

    policy: AbstractQPolicy
    target_policy: AbstractQPolicy
    opt_state: optax.OptState
    buffer: ReplayBuffer
    env_state: Any
    observation: Any
    policy_state: Any
    key: Key
    global_step: Int[Array, ""]
    episode_return: Float[Array, " envs"]
    episode_length: Int[Array, " envs"]
    last_return: Float[Array, " envs"]
    episodes: Int[Array, " envs"]
