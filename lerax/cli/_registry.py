"""What the command line can build: algorithms and the policy classes they train."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, NamedTuple

from ..algorithm import DQN
from ..policy import MLPQPolicy


class AlgorithmSpec(NamedTuple):
    """An algorithm the CLI trains, its policy class and the policy kwargs `--set` may change."""

    algorithm: type[Any]
    policy: type[Any]
    policy_kwargs: MappingProxyType[str, type]


ALGORITHMS: MappingProxyType[str, AlgorithmSpec] = MappingProxyType(
    {"dqn": AlgorithmSpec(DQN, MLPQPolicy, MappingProxyType({"width_size": int, "depth": int}))}
)
"""`--algo` name -> spec (read-only)."""

POLICIES: MappingProxyType[str, type[Any]] = MappingProxyType(
    {spec.policy.__name__: spec.policy for spec in ALGORITHMS.values()}
)
"""Policy class name (as stored in sidecars) -> class (read-only)."""
