"""Tuned default hyperparameters, per algorithm and environment (kept in one place)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from ..algorithm.presets import CARTPOLE_DQN_POLICY, dqn_cartpole_kwargs

_Kwargs = Mapping[str, Any]

PRESETS: Mapping[tuple[str, str], tuple[Callable[[int], dict[str, Any]], _Kwargs]] = (
    MappingProxyType(
        {
            ("dqn", "CartPole-v1"): (
                dqn_cartpole_kwargs,
                MappingProxyType(dict(CARTPOLE_DQN_POLICY)),
            ),
        }
    )
)
"""`(algorithm, env id) -> (algorithm kwargs as a function of timesteps, policy kwargs)`."""

DEFAULT_POLICY_KWARGS: Mapping[str, _Kwargs] = MappingProxyType(
    {"dqn": MappingProxyType(dict(width_size=64, depth=2))}
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
