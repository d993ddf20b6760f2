"""Tuned hyperparameters of the off-policy actor-critic algorithms (see `presets`)."""

from typing import Any

from ._ddpg import DDPG
from ._sac import SAC
from ._sac_discrete import SACDiscrete
from ._td3 import TD3

PENDULUM_SAC_POLICY: dict[str, Any] = {"feature_size": 64, "width_size": 64, "depth": 1}
"""`MLPSACPolicy` keyword arguments that go with `sac_pendulum`."""

PENDULUM_DETERMINISTIC_POLICY: dict[str, Any] = {
    "width_size": 64,
    "depth": 2,
    "exploration_noise": 0.1,
}
"""`MLPDeterministicPolicy` keyword arguments that go with `td3_pendulum` and `ddpg_pendulum`."""


def _pendulum_common(total_timesteps: int) -> dict[str, Any]:
    return dict(
        buffer_size=max(total_timesteps, 1_000),
        gamma=0.99,
        learning_starts=1_000,
        num_envs=1,
        num_steps=1,
        batch_size=256,
        q_width_size=64,
        q_depth=2,
    )


def sac_pendulum_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `SAC` tuned for `Pendulum-v1`; see `sac_pendulum`."""
    return dict(
        **_pendulum_common(total_timesteps),
        tau=0.005,
        policy_frequency=2,
        policy_lr=1e-3,
        q_lr=1e-3,
    )


def sac_pendulum(total_timesteps: int) -> SAC:
    """SAC tuned for `Pendulum-v1` (with `MLPSACPolicy(**PENDULUM_SAC_POLICY)`).

    One environment, one gradient step (batch 256) per environment step after 1,000
    uniformly random steps, 64-wide networks, learning rates 1e-3, entropy autotuned.
    """
    return SAC(**sac_pendulum_kwargs(total_timesteps))


MOUNTAIN_CAR_SAC_POLICY: dict[str, Any] = {
    "feature_size": 64,
    "width_size": 64,
    "depth": 1,
    "use_sde": True,
    "log_std_init": -3.67,
    "sde_sample_freq": 32,
}
"""`MLPSACPolicy` keyword arguments that go with `sac_mountain_car`: gSDE exploration."""


def sac_mountain_car_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `SAC` for `MountainCarContinuous-v0`; see `sac_mountain_car`."""
    return dict(
        buffer_size=max(total_timesteps, 1_000),
        gamma=0.9999,
        learning_starts=0,
        num_envs=1,
        num_steps=32,
        batch_size=512,
        tau=0.01,
        policy_frequency=1,
        autotune=False,
        initial_alpha=0.1,
        policy_lr=3e-4,
        q_lr=3e-4,
        q_width_size=64,
        q_depth=2,
        gradient_steps=32,
    )


def sac_mountain_car(total_timesteps: int) -> SAC:
    """SAC for `MountainCarContinuous-v0` (with `MLPSACPolicy(**MOUNTAIN_CAR_SAC_POLICY)`).

    The RL Zoo's settings: one environment, 32 gradient steps (batch 512) every 32 steps
    from the start, fixed temperature 0.1, discount 0.9999, tau 0.01, 64-wide networks, and
    gSDE exploration (log-std -3.67, exploration redrawn every 32 steps), without which no
    episode reaches the flag.
    """
    return SAC(**sac_mountain_car_kwargs(total_timesteps))


def td3_pendulum_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `TD3` tuned for `Pendulum-v1`; see `td3_pendulum`."""
    return dict(**_pendulum_common(total_timesteps), tau=0.005, actor_lr=1e-3, q_lr=1e-3)


def td3_pendulum(total_timesteps: int) -> TD3:
    """TD3 tuned for `Pendulum-v1` (policy: `PENDULUM_DETERMINISTIC_POLICY`).

    One environment, one critic step per environment step after 1,000 uniformly random
    steps, the actor every second step, 64-wide networks, learning rates 1e-3.
    """
    return TD3(**td3_pendulum_kwargs(total_timesteps))


def ddpg_pendulum_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `DDPG` tuned for `Pendulum-v1`; see `ddpg_pendulum`."""
    return dict(**_pendulum_common(total_timesteps), tau=0.005, actor_lr=1e-3, q_lr=1e-3)


def ddpg_pendulum(total_timesteps: int) -> DDPG:
    """DDPG tuned for `Pendulum-v1` (policy: `PENDULUM_DETERMINISTIC_POLICY`).

    One environment, one critic and actor step per environment step after 1,000 uniformly
    random steps, 64-wide networks, learning rates 1e-3.
    """
    return DDPG(**ddpg_pendulum_kwargs(total_timesteps))


CARTPOLE_SAC_DISCRETE_POLICY: dict[str, Any] = {"width_size": 64, "depth": 2}
"""`MLPDiscreteSACPolicy` keyword arguments that go with `sac_discrete_cartpole`."""


def sac_discrete_cartpole_kwargs(total_timesteps: int) -> dict[str, Any]:
    """Keyword arguments of `SACDiscrete` tuned for `CartPole-v1`; see `sac_discrete_cartpole`."""
    return dict(
        buffer_size=max(total_timesteps, 1_000),
        gamma=0.99,
        learning_starts=1_000,
        num_envs=1,
        num_steps=1,
        batch_size=128,
        tau=0.005,
        target_entropy_scale=0.3,
        policy_lr=3e-4,
        q_lr=1e-3,
        q_width_size=64,
        q_depth=2,
    )


def sac_discrete_cartpole(total_timesteps: int) -> SACDiscrete:
    """SACDiscrete tuned for `CartPole-v1` (policy: `CARTPOLE_SAC_DISCRETE_POLICY`)."""
    return SACDiscrete(**sac_discrete_cartpole_kwargs(total_timesteps))
