"""Per-environment glue for comparing lerax's classic-control environments with Gymnasium.

Each case knows how to build both environments, how to draw actions (wider than the action
space for the continuous ones, so clipping is exercised), how to draw arbitrary physical states
(beyond the termination thresholds and velocity bounds, so every branch is exercised), and how
to step Gymnasium from a given state.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import gymnasium
import jax
import jax.numpy as jnp
import numpy as np
from gymnasium.envs.classic_control import CartPoleEnv

from lerax.env.classic_control import (
    Acrobot,
    CartPole,
    ContinuousMountainCar,
    MountainCar,
    Pendulum,
)


@dataclasses.dataclass(frozen=True)
class Case:
    env: Any
    state_low: tuple[float, ...]
    state_high: tuple[float, ...]
    reset_low: tuple[float, ...]
    reset_high: tuple[float, ...]
    sample_action: Callable[[jax.Array], jax.Array]
    to_gym_action: Callable[[np.ndarray], Any]
    atol: float = 2e-5  # float32 (lerax) against float64 (Gymnasium)

    @property
    def id(self) -> str:
        return self.env.name

    def sample_states(self, key: jax.Array, n: int) -> jax.Array:
        low = jnp.array(self.state_low, jnp.float32)
        high = jnp.array(self.state_high, jnp.float32)
        return jax.random.uniform(key, (n, low.shape[0]), jnp.float32, low, high)

    def gym_env(self) -> Any:
        return gymnasium.make(self.id).unwrapped

    def gym_step(self, gym_env: Any, y: np.ndarray, action: np.ndarray) -> tuple:
        """Put `y` into `gym_env`, step it with `action`: `(obs, reward, terminated)`."""
        gym_env.state = np.array(y, dtype=np.float64)
        if isinstance(gym_env, CartPoleEnv):  # reset its stepped-past-terminal bookkeeping
            gym_env.steps_beyond_terminated = None
        obs, reward, terminated, truncated, _ = gym_env.step(self.to_gym_action(action))
        assert not truncated
        return obs, reward, terminated


def _discrete(n: int) -> Callable[[jax.Array], jax.Array]:
    return lambda key: jax.random.randint(key, (), 0, n, jnp.int32)


def _box(bound: float) -> Callable[[jax.Array], jax.Array]:
    return lambda key: jax.random.uniform(key, (1,), jnp.float32, -bound, bound)


def _gym_int(a: np.ndarray) -> int:
    return int(a)


def _gym_box(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, np.float32).reshape(1)


CASES = [
    Case(
        env=CartPole(),
        state_low=(-2.6, -3.0, -0.25, -3.0),
        state_high=(2.6, 3.0, 0.25, 3.0),
        reset_low=(-0.05,) * 4,
        reset_high=(0.05,) * 4,
        sample_action=_discrete(2),
        to_gym_action=_gym_int,
    ),
    Case(
        env=Acrobot(),
        state_low=(-math.pi, -math.pi, -4 * math.pi, -9 * math.pi),
        state_high=(math.pi, math.pi, 4 * math.pi, 9 * math.pi),
        reset_low=(-0.1,) * 4,
        reset_high=(0.1,) * 4,
        sample_action=_discrete(3),
        to_gym_action=_gym_int,
        atol=5e-4,  # fast spins (|theta2_dot| up to 9 pi) amplify float32 rounding in RK4
    ),
    Case(
        env=MountainCar(),
        state_low=(-1.2, -0.07),
        state_high=(0.6, 0.07),
        reset_low=(-0.6, 0.0),
        reset_high=(-0.4, 0.0),
        sample_action=_discrete(3),
        to_gym_action=_gym_int,
    ),
    Case(
        env=ContinuousMountainCar(),
        state_low=(-1.2, -0.07),
        state_high=(0.6, 0.07),
        reset_low=(-0.6, 0.0),
        reset_high=(-0.4, 0.0),
        sample_action=_box(1.5),
        to_gym_action=_gym_box,
    ),
    Case(
        env=Pendulum(),
        state_low=(-3 * math.pi, -8.0),
        state_high=(3 * math.pi, 8.0),
        reset_low=(-math.pi, -1.0),
        reset_high=(math.pi, 1.0),
        sample_action=_box(3.0),
        to_gym_action=_gym_box,
    ),
]

CASE_IDS = [case.id for case in CASES]
