"""Abstract value targets and target-network updates."""

from __future__ import annotations

import abc
from typing import TypeVar

import equinox as eqx

from .._types import Array, ArrayLike, Bool, Float

T = TypeVar("T")


class AbstractReturnTarget(eqx.Module):
    """The regression target of a value function, bootstrapped from next-state values.

    Arrays are time-major: axis 0 is the step (or a batch of independent transitions for
    one-step targets); further axes are carried along elementwise.
    """

    @abc.abstractmethod
    def __call__(
        self,
        rewards: Float[ArrayLike, " steps *envs"],
        terminals: Bool[ArrayLike, " steps *envs"],
        next_values: Float[ArrayLike, " steps *envs"],
        *,
        truncations: Bool[ArrayLike, " steps *envs"] | None = None,
    ) -> Float[Array, " steps *envs"]:
        """Compute the targets.

        Args:
            rewards: Reward of each step.
            terminals: Whether the step reached a true terminal (no bootstrapping past it).
            next_values: Value estimate of the state each step led to (for a truncated
                step: of the final observation of the cut-off episode).
            truncations: Whether the episode was cut off after the step (an episode
                boundary that still bootstraps). `None` means no truncations.

        Returns:
            The targets, shaped like `rewards`.
        """


class AbstractTargetUpdate(eqx.Module):
    """A rule that moves a target network towards the online one."""

    @abc.abstractmethod
    def __call__(self, online: T, target: T) -> T:
        """Return the new target.

        Each rule says what it does with the leaves that are not floating-point arrays:
        `HardUpdate` takes them from `online` (it returns `online` whole), `SoftUpdate`
        keeps them from `target`.

        Args:
            online: The network being trained.
            target: The current target network (same structure).

        Returns:
            The updated target network.
        """
