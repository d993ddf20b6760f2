"""Tuned hyperparameters shipped with lerax.

Presets are functions of the run's length, because their schedules are. The returns they
reach are recorded in `bench/README.md`.
"""

from typing import Any

import optax

from ._a2c import A2C
from ._dqn import DQN
from ._ppo import PPO
from ._reinforce import REINFORCE

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
        gamma=0.995,
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
    CartPole. The discount is 0.995: with 0.99 about a quarter of the seeds settled on
    policies that drift off the track after 250-400 steps (see bench/README.md).

    Args:
        total_timesteps: Length of the run in environment steps.

    Returns:
        The configured algorithm.
    """
    return DQN(**dqn_cartpole_kwargs(total_timesteps))


# ----------------------------------------------------------------------------- on-policy


def _anneal(initial: float, total_updates: int) -> optax.Schedule:
    """`initial` decayed linearly to zero over `total_updates` gradient steps."""
    return optax.linear_schedule(initial, 0.0, max(total_updates, 1))


CARTPOLE_PPO_POLICY: dict[str, Any] = dict(
    feature_size=64,
    feature_depth=0,
    value_width=64,
    value_depth=1,
    action_width=64,
    action_depth=1,
)
"""`MLPActorCriticPolicy` keyword arguments that go with `ppo_cartpole`."""


def ppo_cartpole_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `PPO` tuned for `CartPole-v1`; see `ppo_cartpole`."""
    num_envs, num_steps, num_epochs, num_batches = 8, 32, 20, 1
    updates = total_timesteps // (num_envs * num_steps) * num_epochs * num_batches
    return dict(
        num_envs=num_envs,
        num_steps=num_steps,
        num_epochs=num_epochs,
        num_batches=num_batches,
        gae_lambda=0.8,
        gamma=0.98,
        clip_coefficient=_anneal(0.2, updates),
        entropy_loss_coefficient=0.0,
        value_loss_coefficient=0.5,
        max_grad_norm=0.5,
        learning_rate=_anneal(1e-3, updates),
    )


def ppo_cartpole(total_timesteps: int) -> PPO:
    """PPO tuned for `CartPole-v1` (with `MLPActorCriticPolicy(**CARTPOLE_PPO_POLICY)`).

    The RL Zoo's CartPole-v1 settings: 8 environments x 32 steps per iteration, 20 epochs
    over the whole rollout as one minibatch, GAE lambda 0.8, gamma 0.98, no entropy bonus,
    and both the learning rate (from 1e-3) and the clipping range (from 0.2) annealed
    linearly to zero over the run's gradient steps. The policy has one shared layer of 64
    ReLU units and heads of one 64-unit hidden layer. Meant for 100,000 steps.

    Args:
        total_timesteps: Length of the run in environment steps.

    Returns:
        The configured algorithm.
    """
    return PPO(**ppo_cartpole_kwargs(total_timesteps))


CARTPOLE_A2C_POLICY: dict[str, Any] = dict(CARTPOLE_PPO_POLICY)
"""`MLPActorCriticPolicy` keyword arguments that go with `a2c_cartpole`."""


def a2c_cartpole_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `A2C` tuned for `CartPole-v1`; see `a2c_cartpole`."""
    num_envs, num_steps = 8, 5
    updates = total_timesteps // (num_envs * num_steps)
    return dict(
        num_envs=num_envs,
        num_steps=num_steps,
        gae_lambda=1.0,
        gamma=0.98,
        entropy_loss_coefficient=0.0,
        value_loss_coefficient=0.5,
        max_grad_norm=0.5,
        normalize_advantages=False,
        learning_rate=_anneal(7e-4, updates),
    )


def a2c_cartpole(total_timesteps: int) -> A2C:
    """A2C tuned for `CartPole-v1` (with `MLPActorCriticPolicy(**CARTPOLE_A2C_POLICY)`).

    The RL Zoo's CartPole-v1 layout (8 environments x 5 steps, n-step returns, no entropy
    bonus, learning rate 7e-4) with Adam, gamma 0.98 instead of 0.99 (which left 3 of 10
    tuning seeds unsolved) and the learning rate annealed linearly to zero over the run.
    Meant for 500,000 steps.

    Args:
        total_timesteps: Length of the run in environment steps.

    Returns:
        The configured algorithm.
    """
    return A2C(**a2c_cartpole_kwargs(total_timesteps))


CARTPOLE_REINFORCE_POLICY: dict[str, Any] = dict(CARTPOLE_PPO_POLICY)
"""`MLPActorCriticPolicy` keyword arguments that go with `reinforce_cartpole`."""


def reinforce_cartpole_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `REINFORCE` tuned for `CartPole-v1`; see `reinforce_cartpole`."""
    num_envs, num_steps = 8, 128
    updates = total_timesteps // (num_envs * num_steps)
    return dict(
        num_envs=num_envs,
        num_steps=num_steps,
        gamma=0.99,
        normalize_advantages=True,
        value_loss_coefficient=0.5,
        max_grad_norm=0.5,
        learning_rate=_anneal(2e-3, updates),
    )


def reinforce_cartpole(total_timesteps: int) -> REINFORCE:
    """REINFORCE tuned for `CartPole-v1` (with `MLPActorCriticPolicy(**CARTPOLE_REINFORCE_POLICY)`).

    8 environments x 128 steps per gradient step (about 490 steps in 500,000), Monte-Carlo
    returns with gamma 0.99 (an episode still running at the end of a rollout bootstraps
    from the baseline), normalised advantages, and a learning rate of 2e-3 annealed
    linearly to zero over the run. Meant for 500,000 steps.

    Args:
        total_timesteps: Length of the run in environment steps.

    Returns:
        The configured algorithm.
    """
    return REINFORCE(**reinforce_cartpole_kwargs(total_timesteps))


ACROBOT_PPO_POLICY: dict[str, Any] = dict(CARTPOLE_PPO_POLICY)
"""`MLPActorCriticPolicy` keyword arguments that go with `ppo_acrobot`."""


def ppo_acrobot_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `PPO` tuned for `Acrobot-v1`; see `ppo_acrobot`."""
    num_envs, num_steps, num_epochs, num_batches = 16, 256, 4, 64
    updates = total_timesteps // (num_envs * num_steps) * num_epochs * num_batches
    return dict(
        num_envs=num_envs,
        num_steps=num_steps,
        num_epochs=num_epochs,
        num_batches=num_batches,
        gae_lambda=0.94,
        gamma=0.99,
        clip_coefficient=0.2,
        entropy_loss_coefficient=0.0,
        value_loss_coefficient=0.5,
        max_grad_norm=0.5,
        learning_rate=_anneal(3e-4, updates),
    )


def ppo_acrobot(total_timesteps: int) -> PPO:
    """PPO tuned for `Acrobot-v1` (with `MLPActorCriticPolicy(**ACROBOT_PPO_POLICY)`).

    The RL Zoo's Acrobot-v1 settings without observation normalisation: 16 environments x
    256 steps per iteration, 4 epochs of 64 minibatches (of 64), GAE lambda 0.94, gamma
    0.99, clipping range 0.2, no entropy bonus, and a learning rate of 3e-4 annealed
    linearly to zero over the run. Meant for 500,000 steps.

    Args:
        total_timesteps: Length of the run in environment steps.

    Returns:
        The configured algorithm.
    """
    return PPO(**ppo_acrobot_kwargs(total_timesteps))


# ----------------------------------------------------------------------------- off-policy

from ._off_policy_presets import (  # noqa: E402
    CARTPOLE_SAC_DISCRETE_POLICY as CARTPOLE_SAC_DISCRETE_POLICY,
    MOUNTAIN_CAR_SAC_POLICY as MOUNTAIN_CAR_SAC_POLICY,
    PENDULUM_DETERMINISTIC_POLICY as PENDULUM_DETERMINISTIC_POLICY,
    PENDULUM_SAC_POLICY as PENDULUM_SAC_POLICY,
    ddpg_pendulum as ddpg_pendulum,
    ddpg_pendulum_kwargs as ddpg_pendulum_kwargs,
    sac_discrete_cartpole as sac_discrete_cartpole,
    sac_discrete_cartpole_kwargs as sac_discrete_cartpole_kwargs,
    sac_mountain_car as sac_mountain_car,
    sac_mountain_car_kwargs as sac_mountain_car_kwargs,
    sac_pendulum as sac_pendulum,
    sac_pendulum_kwargs as sac_pendulum_kwargs,
    td3_pendulum as td3_pendulum,
    td3_pendulum_kwargs as td3_pendulum_kwargs,
)
