"""Tuned hyperparameters shipped with lerax.

Each preset is a function of the run's length, because some settings (the learning-rate
annealing) depend on it. The figures they reach are recorded in `bench/README.md`.
"""

from typing import Any

import optax

from ._dqn import DQN

CARTPOLE_DQN_POLICY: dict[str, Any] = {"width_size": 256, "depth": 2}
"""`MLPQPolicy` keyword arguments that go with `dqn_cartpole`."""


def dqn_cartpole(total_timesteps: int) -> DQN:
    """DQN tuned for `CartPole-v1` (with `MLPQPolicy(**CARTPOLE_DQN_POLICY)`).

    One gradient step every 4 environment steps, a hard target update every 256 steps, a
    high initial learning rate annealed linearly to zero over the run (so the final policy
    is stable: DQN's late forgetting is what makes its CartPole returns collapse), and the
    RL-Zoo exploration schedule.

    Args:
        total_timesteps: Length of the run in environment steps.

    Returns:
        The configured algorithm.
    """
    num_steps = 4
    gradient_steps = max(total_timesteps // num_steps, 1)
    return DQN(
        buffer_size=100_000,
        gamma=0.99,
        learning_starts=1_000,
        num_envs=1,
        num_steps=num_steps,
        batch_size=64,
        target_update_interval=256,
        max_grad_norm=10.0,
        learning_rate=optax.linear_schedule(2.3e-3, 0.0, gradient_steps),
        gradient_steps=1,
        exploration_fraction=0.16,
        exploration_initial_eps=1.0,
        exploration_final_eps=0.04,
    )
