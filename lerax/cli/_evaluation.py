"""Greedy evaluation shared by `train` and `evaluate`."""

from __future__ import annotations

from typing import Any

import jax

from ..benchmark import average_reward


def greedy_return(env: Any, policy: Any, *, episodes: int, seed: int) -> float:
    """Mean undiscounted return of the greedy policy (`key=None`) over `episodes` episodes."""
    value = average_reward(
        env, policy, num_episodes=episodes, deterministic=True, key=jax.random.key(seed)
    )
    return float(value)
