"""Deep deterministic policy gradient."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import optax

from .._types import FloatScalarLike
from ._ddpg_state import DDPGState
from ._deterministic_actor_critic import AbstractDeterministicActorCritic


@final
class DDPG(AbstractDeterministicActorCritic[DDPGState]):
    """Deep deterministic policy gradient (Lillicrap et al., 2016) for `Box` actions.

    One `SoftQNetwork` critic regresses on ``r + gamma * (1 - terminal) * Q'(s', mu'(s'))``;
    after every critic step the actor ascends ``Q(s, mu(s))`` and the target actor and
    critic are Polyak-averaged at rate `tau`. Exploration noise lives on the policy
    (`MLPDeterministicPolicy(exploration_noise=0.1)`).

    Args:
        buffer_size: Replay buffer capacity.
        gamma: Discount factor.
        learning_starts: Environment steps of uniformly random actions before learning.
        num_envs: Parallel environments.
        num_steps: Steps per environment per iteration.
        batch_size: Minibatch size.
        tau: Target Polyak rate in (0, 1].
        actor_lr: Actor learning rate (a float or optax schedule).
        q_lr: Critic learning rate (a float or optax schedule).
        q_width_size: Hidden width of the critic.
        q_depth: Hidden layers of the critic.
        gradient_steps: Gradient steps per iteration.

    Example:
        >>> env = lerax.env.make("Pendulum-v1")
        >>> policy = MLPDeterministicPolicy(env, key=jax.random.key(0))
        >>> policy = DDPG(learning_starts=1_000).learn(env, policy, 20_000, key=jax.random.key(1))
    """

    buffer_size: int = eqx.field(static=True, default=1_000_000, kw_only=True)
    gamma: FloatScalarLike = eqx.field(default=0.99, kw_only=True)
    learning_starts: int = eqx.field(static=True, default=25_000, kw_only=True)
    num_envs: int = eqx.field(static=True, default=1, kw_only=True)
    num_steps: int = eqx.field(static=True, default=1, kw_only=True)
    batch_size: int = eqx.field(static=True, default=256, kw_only=True)
    tau: FloatScalarLike = eqx.field(default=0.005, kw_only=True)
    actor_lr: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)
    q_lr: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)
    q_width_size: int = eqx.field(static=True, default=256, kw_only=True)
    q_depth: int = eqx.field(static=True, default=2, kw_only=True)
    gradient_steps: int = eqx.field(static=True, default=1, kw_only=True)

    def num_critics(self) -> int:
        return 1

    def policy_delay(self) -> int:
        return 1

    def smoothing(self) -> None:
        return None

    def make_state(self, **fields: Any) -> DDPGState:
        (qf,), (qf_target,) = fields.pop("critics"), fields.pop("targets")
        return DDPGState(qf=qf, qf_target=qf_target, **fields)

    def critics(self, state: DDPGState) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        return (state.qf,), (state.qf_target,)

    def with_critics(self, state: DDPGState, critics: tuple, targets: tuple) -> DDPGState:
        return eqx.tree_at(lambda s: (s.qf, s.qf_target), state, (*critics, *targets))
