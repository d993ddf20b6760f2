"""Twin delayed deep deterministic policy gradient."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import optax

from .._types import FloatScalarLike
from ._checks import check_nonnegative, check_positive_ints
from ._ddpg_state import TD3State
from ._deterministic_actor_critic import AbstractDeterministicActorCritic


@final
class TD3(AbstractDeterministicActorCritic[TD3State]):
    """TD3 (Fujimoto et al., 2018): DDPG with twin critics, delayed actor updates and
    target-policy smoothing, for `Box` actions.

    Twin `SoftQNetwork` critics regress on
    ``r + gamma * (1 - terminal) * min(Q1', Q2')(s', clip(mu'(s') + eps, low, high))`` with
    ``eps = clip(N(0, policy_noise), -noise_clip, noise_clip) * (high - low) / 2``. Every
    `policy_frequency` gradient steps the actor ascends ``Q1(s, mu(s))`` and the target
    actor and critics are Polyak-averaged at rate `tau`. Exploration noise lives on the
    policy (`MLPDeterministicPolicy(exploration_noise=0.1)`).

    Args:
        buffer_size: Replay buffer capacity.
        gamma: Discount factor.
        learning_starts: Environment steps of uniformly random actions before learning.
        num_envs: Parallel environments.
        num_steps: Steps per environment per iteration.
        batch_size: Minibatch size.
        tau: Target Polyak rate in (0, 1].
        policy_frequency: Gradient steps between actor (and target) updates.
        policy_noise: Standard deviation of the target-policy smoothing noise, relative to
            the half-width of the bounds.
        noise_clip: Clip of that noise (same units).
        actor_lr: Actor learning rate (a float or optax schedule).
        q_lr: Critic learning rate (a float or optax schedule).
        q_width_size: Hidden width of the critics.
        q_depth: Hidden layers of the critics.
        gradient_steps: Gradient steps per iteration.

    Example:
        >>> env = lerax.env.make("Pendulum-v1")
        >>> policy = MLPDeterministicPolicy(env, key=jax.random.key(0))
        >>> policy = TD3(learning_starts=1_000).learn(env, policy, 20_000, key=jax.random.key(1))
    """

    buffer_size: int = eqx.field(static=True, default=1_000_000, kw_only=True)
    gamma: FloatScalarLike = eqx.field(default=0.99, kw_only=True)
    learning_starts: int = eqx.field(static=True, default=25_000, kw_only=True)
    num_envs: int = eqx.field(static=True, default=1, kw_only=True)
    num_steps: int = eqx.field(static=True, default=1, kw_only=True)
    batch_size: int = eqx.field(static=True, default=256, kw_only=True)
    tau: FloatScalarLike = eqx.field(default=0.005, kw_only=True)
    policy_frequency: int = eqx.field(static=True, default=2, kw_only=True)
    policy_noise: FloatScalarLike = eqx.field(default=0.2, kw_only=True)
    noise_clip: FloatScalarLike = eqx.field(default=0.5, kw_only=True)
    actor_lr: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)
    q_lr: FloatScalarLike | optax.Schedule = eqx.field(default=3e-4, kw_only=True)
    q_width_size: int = eqx.field(static=True, default=256, kw_only=True)
    q_depth: int = eqx.field(static=True, default=2, kw_only=True)
    gradient_steps: int = eqx.field(static=True, default=1, kw_only=True)

    def __check_init__(self):
        check_positive_ints("TD3", policy_frequency=self.policy_frequency)
        check_nonnegative("TD3", policy_noise=self.policy_noise, noise_clip=self.noise_clip)

    def num_critics(self) -> int:
        return 2

    def policy_delay(self) -> int:
        return self.policy_frequency

    def smoothing(self) -> tuple[Any, Any]:
        return self.policy_noise, self.noise_clip

    def make_state(self, **fields: Any) -> TD3State:
        (qf1, qf2), (qf1_target, qf2_target) = fields.pop("critics"), fields.pop("targets")
        return TD3State(qf1=qf1, qf2=qf2, qf1_target=qf1_target, qf2_target=qf2_target, **fields)

    def critics(self, state: TD3State) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        return (state.qf1, state.qf2), (state.qf1_target, state.qf2_target)

    def with_critics(self, state: TD3State, critics: tuple, targets: tuple) -> TD3State:
        return eqx.tree_at(
            lambda s: (s.qf1, s.qf2, s.qf1_target, s.qf2_target), state, (*critics, *targets)
        )
