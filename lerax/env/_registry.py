"""`make`: build a registered environment by its Gymnasium id."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from .base import AbstractEnv, AbstractEnvLike
from .classic_control import Acrobot, CartPole, ContinuousMountainCar, MountainCar, Pendulum


class _Spec(NamedTuple):
    constructor: Callable[..., AbstractEnv]
    max_episode_steps: int


def _lazy(module: str, class_name: str) -> Callable[..., AbstractEnv]:
    """A constructor of `lerax.env.<module>.<class_name>`, imported only when called (the
    MuJoCo and G1 tasks need the optional extra `lerax[mujoco]`)."""

    def build(**kwargs: Any) -> AbstractEnv:
        return getattr(importlib.import_module(f"lerax.env.{module}"), class_name)(**kwargs)

    return build


def _mujoco(class_name: str) -> Callable[..., AbstractEnv]:
    return _lazy("mujoco", class_name)


REGISTRY: Mapping[str, _Spec] = MappingProxyType(
    {
        **{
            cls.name: _Spec(cls, max_episode_steps)
            for cls, max_episode_steps in [
                (CartPole, 500),
                (Acrobot, 500),
                (MountainCar, 200),
                (ContinuousMountainCar, 999),
                (Pendulum, 200),
            ]
        },
        "InvertedPendulum-v5": _Spec(_mujoco("InvertedPendulum"), 1000),
        "InvertedDoublePendulum-v5": _Spec(_mujoco("InvertedDoublePendulum"), 1000),
        "Swimmer-v5": _Spec(_mujoco("Swimmer"), 1000),
        "HalfCheetah-v5": _Spec(_mujoco("HalfCheetah"), 1000),
        "Hopper-v5": _Spec(_mujoco("Hopper"), 1000),
        "Walker2d-v5": _Spec(_mujoco("Walker2d"), 1000),
        "Ant-v5": _Spec(_mujoco("Ant"), 1000),
        "Humanoid-v5": _Spec(_mujoco("Humanoid"), 1000),
        "HumanoidStandup-v5": _Spec(_mujoco("HumanoidStandup"), 1000),
        "Reacher-v5": _Spec(_mujoco("Reacher"), 50),
        "Pusher-v5": _Spec(_mujoco("Pusher"), 100),
        # Not Gymnasium's: 1,000 steps of 0.02 s, MuJoCo Playground's episode length.
        **{
            name: _Spec(_lazy("unitree.g1", name), 1000)
            for name in ("G1Locomotion", "G1Standing", "G1Standup")
        },
    }
)
"""Registered ids, each with its constructor and Gymnasium's time limit (read-only)."""


def make(id: str, **kwargs: Any) -> AbstractEnvLike:
    """Build a registered environment, capped at Gymnasium's registered episode length.

    Args:
        id: A registered Gymnasium id: `"CartPole-v1"`, `"Acrobot-v1"`, `"MountainCar-v0"`,
            `"MountainCarContinuous-v0"`, `"Pendulum-v1"`, or a MuJoCo task such as
            `"InvertedPendulum-v5"` (optional extra `lerax[mujoco]`).
        **kwargs: Keyword arguments for the environment's constructor.

    Returns:
        The environment wrapped in `lerax.wrapper.TimeLimit(env, max_episode_steps)`.

    Raises:
        ValueError: If `id` is not registered.

    Example:
        >>> env = make("CartPole-v1")  # TimeLimit(CartPole(), max_episode_steps=500)
    """
    try:
        spec = REGISTRY[id]
    except (KeyError, TypeError):
        raise ValueError(
            f"make: unknown environment id {id!r}; known ids: {', '.join(REGISTRY)}"
        ) from None
    from ..wrapper import TimeLimit  # lazily: lerax.wrapper imports lerax.env

    return TimeLimit(spec.constructor(**kwargs), spec.max_episode_steps)  # pyright: ignore[reportCallIssue]
