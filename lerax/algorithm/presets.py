"""Tuned hyperparameters shipped with lerax.

Presets are functions of the run's length, because their schedules are. The returns they
reach are recorded in `bench/README.md`.
"""

from typing import Any

import optax

from ._dqn import DQN

CARTPOLE_DQN_POLICY: dict[str, Any] = {"width_size": 256, "depth": 2}
"""`MLPQPolicy` keyword arguments that go with `dqn_cartpole`."""

CARTPOLE_DQN_LEARNING_STEPS = 50_000
"""Environment steps over which the CartPole preset anneals its learning rate to zero."""


def dqn_cartpole_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `DQN` tuned for `CartPole-v1`; see `dqn_cartpole`."""
    num_steps = 4
    learning_steps = min(total_timesteps, CARTPOLE_DQN_LEARNING_STEPS)
    return dict(
        buffer_size=100_000,
        gamma=0.99,
        learning_starts=1_000,
        num_envs=1,
        num_steps=num_steps,
        batch_size=64,
        target_update_interval=256,
        max_grad_norm=10.0,
        learning_rate=optax.linear_schedule(2.3e-3, 0.0, max(learning_steps // num_steps, 1)),
        gradient_steps=1,
        exploration_fraction=min(8_000 / max(total_timesteps, 1), 1.0),
        exploration_initial_eps=1.0,
        exploration_final_eps=0.04,
    )


def dqn_cartpole(total_timesteps: int) -> DQN:
    """DQN tuned for `CartPole-v1` (with `MLPQPolicy(**CARTPOLE_DQN_POLICY)`).

    One gradient step (batch 64) every 4 environment steps, Double DQN with a Huber loss, a
    hard target update every 256 steps, epsilon decayed from 1 to 0.04 over the first 8,000
    steps, and a learning rate of 2.3e-3 annealed linearly to zero over the first 50,000
    steps (or the whole run, if shorter). The learning rate stays zero after that, so a
    longer run keeps the policy it has learned: this is what stops DQN's late forgetting on
    CartPole.

    Args:
        total_timesteps: Length of the run in environment steps.

    Returns:
        The configured algorithm.
    """
    return DQN(**dqn_cartpole_kwargs(total_timesteps))
