"""The abstract advantage estimator."""

from __future__ import annotations

import abc

import equinox as eqx

from .._types import Array, ArrayLike, Bool, Float


class AbstractAdvantageEstimator(eqx.Module):
    """Turns a rollout into advantages and value targets.

    All arrays are time-major: axis 0 is the step, any further axes (e.g. parallel
    environments) are carried along elementwise.
    """

    @abc.abstractmethod
    def __call__(
        self,
        rewards: Float[ArrayLike, " steps *envs"],
        values: Float[ArrayLike, " steps *envs"],
        dones: Bool[ArrayLike, " steps *envs"],
        last_value: Float[ArrayLike, "*envs"],
        *,
        truncations: Bool[ArrayLike, " steps *envs"] | None = None,
        bootstrap_values: Float[ArrayLike, " steps *envs"] | None = None,
    ) -> tuple[Float[Array, " steps *envs"], Float[Array, " steps *envs"]]:
        """Compute `(advantages, returns)`.

        Args:
            rewards: Reward of each step.
            values: Value estimate of the state each step started from.
            dones: Whether the episode ended with the step (terminated or truncated).
            last_value: Value estimate of the state after the last step.
            truncations: Which of the `dones` were cut off (time limits) rather than
                terminated. Give it together with `bootstrap_values`.
            bootstrap_values: Value estimate of the final observation at truncated steps
                (other entries are ignored). Without it a truncation bootstraps from zero,
                like a terminal.

        Returns:
            `(advantages, returns)`, both shaped like `rewards`.
        """
