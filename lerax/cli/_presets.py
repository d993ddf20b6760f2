"""Tuned default hyperparameters, per algorithm and environment (kept in one place)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

_Kwargs = Mapping[str, Any]

PRESETS: Mapping[tuple[str, str], tuple[_Kwargs, _Kwargs]] = MappingProxyType(
    {
        ("dqn", "CartPole-v1"): (
            MappingProxyType(
                dict(
                    buffer_size=100_000,
                    learning_rate=1e-4,
                    target_update_interval=1_000,
                    num_steps=4,
                    gradient_steps=1,
                    exploration_fraction=0.1,
                    exploration_final_eps=0.05,
                    learning_starts=1_000,
                )
            ),
            MappingProxyType(dict(width_size=64, depth=2)),
        ),
    }
)
"""`(algorithm, env id) -> (algorithm kwargs, policy kwargs)`; read-only."""

DEFAULT_POLICY_KWARGS: Mapping[str, _Kwargs] = MappingProxyType(
    {"dqn": MappingProxyType(dict(width_size=64, depth=2))}
)
"""Policy kwargs for an algorithm on an environment without a preset; read-only."""


def preset(algo: str, env_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fresh copies of the tuned `(algorithm kwargs, policy kwargs)` for `algo` on `env_id`.

    Pairs without a preset get the algorithm's own defaults (`{}`) and
    `DEFAULT_POLICY_KWARGS`.

    Example:
        >>> algo_kwargs, policy_kwargs = preset("dqn", "CartPole-v1")
        >>> algo = DQN(**algo_kwargs)
    """
    if (algo, env_id) in PRESETS:
        algo_kwargs, policy_kwargs = PRESETS[algo, env_id]
        return dict(algo_kwargs), dict(policy_kwargs)
    return {}, dict(DEFAULT_POLICY_KWARGS.get(algo, {}))


def has_preset(algo: str, env_id: str) -> bool:
    """Whether `algo` has tuned hyperparameters for `env_id`."""
    return (algo, env_id) in PRESETS
