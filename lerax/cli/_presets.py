"""Tuned default hyperparameters, per algorithm and environment (kept in one place)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from ..algorithm.presets import (
    ACROBOT_PPO_POLICY,
    CARTPOLE_A2C_POLICY,
    CARTPOLE_DQN_POLICY,
    CARTPOLE_PPO_POLICY,
    CARTPOLE_REINFORCE_POLICY,
    CARTPOLE_SAC_DISCRETE_POLICY,
    MOUNTAIN_CAR_SAC_POLICY,
    PENDULUM_DETERMINISTIC_POLICY,
    PENDULUM_SAC_POLICY,
    a2c_cartpole_kwargs,
    ddpg_pendulum_kwargs,
    dqn_cartpole_kwargs,
    ppo_acrobot_kwargs,
    ppo_cartpole_kwargs,
    reinforce_cartpole_kwargs,
    sac_discrete_cartpole_kwargs,
    sac_mountain_car_kwargs,
    sac_pendulum_kwargs,
    td3_pendulum_kwargs,
)

_Kwargs = Mapping[str, Any]

PRESETS: Mapping[tuple[str, str], tuple[Callable[[int], dict[str, Any]], _Kwargs]] = (
    MappingProxyType(
        {
            ("dqn", "CartPole-v1"): (
                dqn_cartpole_kwargs,
                MappingProxyType(dict(CARTPOLE_DQN_POLICY)),
            ),
            ("ppo", "CartPole-v1"): (
                ppo_cartpole_kwargs,
                MappingProxyType(dict(CARTPOLE_PPO_POLICY)),
            ),
            ("a2c", "CartPole-v1"): (
                a2c_cartpole_kwargs,
                MappingProxyType(dict(CARTPOLE_A2C_POLICY)),
            ),
            ("reinforce", "CartPole-v1"): (
                reinforce_cartpole_kwargs,
                MappingProxyType(dict(CARTPOLE_REINFORCE_POLICY)),
            ),
            ("ppo", "Acrobot-v1"): (
                ppo_acrobot_kwargs,
                MappingProxyType(dict(ACROBOT_PPO_POLICY)),
            ),
            ("sac", "Pendulum-v1"): (
                sac_pendulum_kwargs,
                MappingProxyType(dict(PENDULUM_SAC_POLICY)),
            ),
            ("sac", "MountainCarContinuous-v0"): (
                sac_mountain_car_kwargs,
                MappingProxyType(dict(MOUNTAIN_CAR_SAC_POLICY)),
            ),
            ("td3", "Pendulum-v1"): (
                td3_pendulum_kwargs,
                MappingProxyType(dict(PENDULUM_DETERMINISTIC_POLICY)),
            ),
            ("ddpg", "Pendulum-v1"): (
                ddpg_pendulum_kwargs,
                MappingProxyType(dict(PENDULUM_DETERMINISTIC_POLICY)),
            ),
            ("sac-discrete", "CartPole-v1"): (
                sac_discrete_cartpole_kwargs,
                MappingProxyType(dict(CARTPOLE_SAC_DISCRETE_POLICY)),
            ),
        }
    )
)
"""`(algorithm, env id) -> (algorithm kwargs as a function of timesteps, policy kwargs)`."""

# `MLPActorCriticPolicy`'s own defaults, written out so that sidecars record them.
_ACTOR_CRITIC_DEFAULTS: _Kwargs = MappingProxyType(
    dict(
        feature_size=16,
        feature_width=64,
        feature_depth=2,
        value_width=64,
        value_depth=2,
        action_width=64,
        action_depth=2,
    )
)

DEFAULT_POLICY_KWARGS: Mapping[str, _Kwargs] = MappingProxyType(
    {
        "dqn": MappingProxyType(dict(width_size=64, depth=2)),
        "ppo": _ACTOR_CRITIC_DEFAULTS,
        "a2c": _ACTOR_CRITIC_DEFAULTS,
        "reinforce": _ACTOR_CRITIC_DEFAULTS,
        "sac": MappingProxyType(dict(feature_size=256, width_size=256, depth=2)),
        "sac-discrete": MappingProxyType(dict(width_size=256, depth=2)),
        "ddpg": MappingProxyType(dict(width_size=256, depth=2, exploration_noise=0.1)),
        "td3": MappingProxyType(dict(width_size=256, depth=2, exploration_noise=0.1)),
    }
)
"""Policy kwargs for an algorithm on an environment without a preset; read-only."""


def preset(algo: str, env_id: str, timesteps: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fresh copies of the tuned `(algorithm kwargs, policy kwargs)` for `algo` on `env_id`.

    Pairs without a preset get the algorithm's own defaults (`{}`) and
    `DEFAULT_POLICY_KWARGS`.

    Example:
        >>> algo_kwargs, policy_kwargs = preset("dqn", "CartPole-v1", 50_000)
        >>> algo = DQN(**algo_kwargs)
    """
    if (algo, env_id) in PRESETS:
        algo_kwargs, policy_kwargs = PRESETS[algo, env_id]
        return algo_kwargs(timesteps), dict(policy_kwargs)
    return {}, dict(DEFAULT_POLICY_KWARGS.get(algo, {}))


def has_preset(algo: str, env_id: str) -> bool:
    """Whether `algo` has tuned hyperparameters for `env_id`."""
    return (algo, env_id) in PRESETS
