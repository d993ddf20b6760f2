"""The training states and statistics of DDPG and TD3."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax.numpy as jnp
import optax

from .._types import Array, Float, Int, Key
from ..buffer import ReplayBuffer
from ..policy import AbstractDeterministicPolicy
from ._collector import CollectorState
from ._off_policy import AbstractOffPolicyState
from ._soft_q_network import SoftQNetwork


@final
class DDPGStats(eqx.Module):
    """DDPG's and TD3's statistics of one iteration (its last gradient step).

    Attributes:
        critic_loss: Squared TD error (summed over TD3's twin critics).
        actor_loss: ``-E[Q1(s, mu(s))]`` at the last actor update.
        q_mean: Mean Q-value of the stored actions.
    """

    critic_loss: Float[Array, ""]
    actor_loss: Float[Array, ""]
    q_mean: Float[Array, ""]

    @staticmethod
    def zeros() -> DDPGStats:
        """Statistics before the first update."""
        zero = jnp.zeros((), jnp.float32)
        return DDPGStats(zero, zero, zero)


@final
class DDPGState(AbstractOffPolicyState):
    """Everything DDPG carries between iterations; serialisable as a checkpoint.

    Attributes:
        policy: The deterministic actor.
        opt_state: The actor's optimiser state.
        target_policy: The target actor.
        qf: The critic.
        qf_target: The target critic.
        q_opt_state: The critic's optimiser state.
        buffer: The replay buffer.
        collector: Where the environments stand.
        key: PRNG key data for the next iteration.
        global_step: Environment steps taken so far.
        updates: Gradient steps taken so far.
        stats: Statistics of the last gradient step.
    """

    policy: AbstractDeterministicPolicy
    opt_state: optax.OptState
    target_policy: AbstractDeterministicPolicy
    qf: SoftQNetwork
    qf_target: SoftQNetwork
    q_opt_state: optax.OptState
    buffer: ReplayBuffer
    collector: CollectorState
    key: Key
    global_step: Int[Array, ""]
    updates: Int[Array, ""]
    stats: DDPGStats


@final
class TD3State(AbstractOffPolicyState):
    """Everything TD3 carries between iterations; serialisable as a checkpoint.

    Attributes:
        policy: The deterministic actor.
        opt_state: The actor's optimiser state.
        target_policy: The target actor.
        qf1: First critic.
        qf2: Second critic.
        qf1_target: Target of the first critic.
        qf2_target: Target of the second critic.
        q_opt_state: The critics' optimiser state.
        buffer: The replay buffer.
        collector: Where the environments stand.
        key: PRNG key data for the next iteration.
        global_step: Environment steps taken so far.
        updates: Gradient steps taken so far.
        stats: Statistics of the last gradient step.
    """

    policy: AbstractDeterministicPolicy
    opt_state: optax.OptState
    target_policy: AbstractDeterministicPolicy
    qf1: SoftQNetwork
    qf2: SoftQNetwork
    qf1_target: SoftQNetwork
    qf2_target: SoftQNetwork
    q_opt_state: optax.OptState
    buffer: ReplayBuffer
    collector: CollectorState
    key: Key
    global_step: Int[Array, ""]
    updates: Int[Array, ""]
    stats: DDPGStats
