"""What the command line can build: algorithms and the policy classes they train."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, NamedTuple

from ..algorithm import A2C, DDPG, DQN, PPO, REINFORCE, SAC, TD3, SACDiscrete
from ..policy import (
    MLPActorCriticPolicy,
    MLPDeterministicPolicy,
    MLPDiscreteSACPolicy,
    MLPQPolicy,
    MLPSACPolicy,
)


class AlgorithmSpec(NamedTuple):
    """An algorithm the CLI trains, its policy class and the policy kwargs `--set` may change."""

    algorithm: type[Any]
    policy: type[Any]
    policy_kwargs: MappingProxyType[str, type]


_ACTOR_CRITIC_KWARGS: MappingProxyType[str, type] = MappingProxyType(
    {
        "feature_size": int,
        "feature_width": int,
        "feature_depth": int,
        "value_width": int,
        "value_depth": int,
        "action_width": int,
        "action_depth": int,
        "log_std_init": float,
    }
)

_DETERMINISTIC_KWARGS: MappingProxyType[str, type] = MappingProxyType(
    {"width_size": int, "depth": int, "exploration_noise": float}
)

ALGORITHMS: MappingProxyType[str, AlgorithmSpec] = MappingProxyType(
    {
        "dqn": AlgorithmSpec(DQN, MLPQPolicy, MappingProxyType({"width_size": int, "depth": int})),
        "ppo": AlgorithmSpec(PPO, MLPActorCriticPolicy, _ACTOR_CRITIC_KWARGS),
        "a2c": AlgorithmSpec(A2C, MLPActorCriticPolicy, _ACTOR_CRITIC_KWARGS),
        "reinforce": AlgorithmSpec(REINFORCE, MLPActorCriticPolicy, _ACTOR_CRITIC_KWARGS),
        "sac": AlgorithmSpec(
            SAC,
            MLPSACPolicy,
            MappingProxyType({"feature_size": int, "width_size": int, "depth": int}),
        ),
        "sac-discrete": AlgorithmSpec(
            SACDiscrete, MLPDiscreteSACPolicy, MappingProxyType({"width_size": int, "depth": int})
        ),
        "ddpg": AlgorithmSpec(DDPG, MLPDeterministicPolicy, _DETERMINISTIC_KWARGS),
        "td3": AlgorithmSpec(TD3, MLPDeterministicPolicy, _DETERMINISTIC_KWARGS),
    }
)
"""`--algo` name -> spec (read-only)."""

POLICIES: MappingProxyType[str, type[Any]] = MappingProxyType(
    {spec.policy.__name__: spec.policy for spec in ALGORITHMS.values()}
)
"""Policy class name (as stored in sidecars) -> class (read-only)."""
