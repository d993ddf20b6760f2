"""The training states and statistics of SAC and SACDiscrete."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax.numpy as jnp
import optax

from .._types import Array, Float, Int, Key
from ..buffer import ReplayBuffer
from ..policy import AbstractDiscreteSACPolicy, AbstractSACPolicy
from ._collector import CollectorState
from ._discrete_q_network import DiscreteQNetwork
from ._off_policy import AbstractOffPolicyState
from ._soft_q_network import SoftQNetwork


@final
class SACStats(eqx.Module):
    """SAC's statistics of one iteration (its last gradient step).

    Attributes:
        critic_loss: Summed squared TD errors of the twin critics.
        actor_loss: ``E[alpha log pi - min Q]`` of the last actor update.
        alpha: The entropy temperature.
        entropy: The policy's entropy estimate at the last actor update.
        q_mean: Mean Q-value of the stored actions.
    """

    critic_loss: Float[Array, ""]
    actor_loss: Float[Array, ""]
    alpha: Float[Array, ""]
    entropy: Float[Array, ""]
    q_mean: Float[Array, ""]

    @staticmethod
    def zeros(alpha: Float[Array, ""]) -> SACStats:
        """Statistics before the first update (with the initial temperature)."""
        zero = jnp.zeros((), jnp.float32)
        return SACStats(zero, zero, jnp.asarray(alpha, jnp.float32), zero, zero)


@final
class SACState(AbstractOffPolicyState):
    """Everything SAC carries between iterations; serialisable as a checkpoint.

    Attributes:
        policy: The actor.
        opt_state: The actor's optimiser state.
        qf1: First critic.
        qf2: Second critic.
        qf1_target: Target of the first critic.
        qf2_target: Target of the second critic.
        q_opt_state: The critics' optimiser state.
        log_alpha: Log of the entropy temperature.
        alpha_opt_state: The temperature's optimiser state.
        target_entropy: The entropy the temperature steers towards.
        buffer: The replay buffer.
        collector: Where the environments stand.
        key: PRNG key data for the next iteration.
        global_step: Environment steps taken so far.
        updates: Gradient steps taken so far.
        stats: Statistics of the last gradient step.
    """

    policy: AbstractSACPolicy
    opt_state: optax.OptState
    qf1: SoftQNetwork
    qf2: SoftQNetwork
    qf1_target: SoftQNetwork
    qf2_target: SoftQNetwork
    q_opt_state: optax.OptState
    log_alpha: Float[Array, ""]
    alpha_opt_state: optax.OptState
    target_entropy: Float[Array, ""]
    buffer: ReplayBuffer
    collector: CollectorState
    key: Key
    global_step: Int[Array, ""]
    updates: Int[Array, ""]
    stats: SACStats


@final
class SACDiscreteState(AbstractOffPolicyState):
    """Everything SACDiscrete carries between iterations; serialisable as a checkpoint.

    Attributes:
        policy: The categorical actor.
        opt_state: The actor's optimiser state.
        qf1: First critic (a Q-value per action).
        qf2: Second critic.
        qf1_target: Target of the first critic.
        qf2_target: Target of the second critic.
        q_opt_state: The critics' optimiser state.
        log_alpha: Log of the entropy temperature.
        alpha_opt_state: The temperature's optimiser state.
        target_entropy: The entropy the temperature steers towards.
        buffer: The replay buffer.
        collector: Where the environments stand.
        key: PRNG key data for the next iteration.
        global_step: Environment steps taken so far.
        updates: Gradient steps taken so far.
        stats: Statistics of the last gradient step.
    """

    policy: AbstractDiscreteSACPolicy
    opt_state: optax.OptState
    qf1: DiscreteQNetwork
    qf2: DiscreteQNetwork
    qf1_target: DiscreteQNetwork
    qf2_target: DiscreteQNetwork
    q_opt_state: optax.OptState
    log_alpha: Float[Array, ""]
    alpha_opt_state: optax.OptState
    target_entropy: Float[Array, ""]
    buffer: ReplayBuffer
    collector: CollectorState
    key: Key
    global_step: Int[Array, ""]
    updates: Int[Array, ""]
    stats: SACStats
