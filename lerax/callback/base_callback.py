"""The abstract callback interface and the contexts handed to its hooks.

Callbacks run inside the compiled training loop. Every hook is a pure function of a
context that returns the callback's new state; host output (progress bars, logs) goes
through ordered `jax.debug.callback`. Hooks:

- `reset(ctx, *, key)`: the callback state at the start of training;
- `step_reset(ctx, *, key)`: the per-environment step state (vmapped over environments);
- `on_step(ctx, *, key)`: after every environment step, returns the new step state;
- `on_iteration(ctx, *, key)`: after every training iteration, returns the new state;
- `on_training_start(ctx, *, key)` / `on_training_end(ctx, *, key)`: around the run;
- `continue_training(ctx)`: `False` stops training early (the remaining iterations
  become no-ops inside the same compiled call).
"""

from __future__ import annotations

import abc
from typing import Any, Generic, TypeVar

import equinox as eqx

from .._types import Array, Bool, Float, Int, Key
from ._metrics import IterationMetrics

StateType = TypeVar("StateType")
StepStateType = TypeVar("StepStateType")


class ResetContext(eqx.Module):
    """What `reset` and `step_reset` see.

    Attributes:
        env: The environment being trained on.
        policy: The initial policy.
        total_timesteps: Environment steps the run will take (static).
        num_envs: Number of parallel environments (static).
    """

    env: Any
    policy: Any
    total_timesteps: int = eqx.field(static=True)
    num_envs: int = eqx.field(static=True)


class StepContext(eqx.Module):
    """What `on_step` sees for one environment (hooks are vmapped over environments).

    Attributes:
        state: This environment's callback step state.
        observation: Observation the action was chosen on.
        action: Action taken.
        reward: Reward received.
        terminal: Whether the episode ended in a terminal state.
        truncate: Whether the episode was cut off.
        info: The environment's info dictionary.
        global_step: Environment steps taken so far, across all environments.
    """

    state: Any
    observation: Any
    action: Any
    reward: Float[Array, ""]
    terminal: Bool[Array, ""]
    truncate: Bool[Array, ""]
    info: dict[str, Any]
    global_step: Int[Array, ""]


class IterationContext(eqx.Module):
    """What `on_iteration` and `continue_training` see.

    Attributes:
        state: The callback state.
        step_state: The per-environment step states (leading axis `num_envs`).
        policy: The current policy.
        iteration: Index of the iteration just finished (0-based).
        num_iterations: Total iterations in this call (static).
        global_step: Environment steps taken so far.
        total_timesteps: Environment steps the run will take (static).
        metrics: What the algorithm reports (`IterationMetrics`: episode statistics and the
            algorithm's own statistics).
    """

    state: Any
    step_state: Any
    policy: Any
    iteration: Int[Array, ""]
    num_iterations: int = eqx.field(static=True)
    global_step: Int[Array, ""] = eqx.field()
    total_timesteps: int = eqx.field(static=True)
    metrics: IterationMetrics | None = None


class TrainingContext(eqx.Module):
    """What `on_training_start` and `on_training_end` see.

    Attributes:
        state: The callback state.
        policy: The current policy.
        global_step: Environment steps taken so far.
        total_timesteps: Environment steps the run will take (static).
    """

    state: Any
    policy: Any
    global_step: Int[Array, ""]
    total_timesteps: int = eqx.field(static=True)


class AbstractCallback(eqx.Module, Generic[StateType, StepStateType]):
    """Hooks called from inside the compiled training loop."""

    @abc.abstractmethod
    def reset(self, ctx: ResetContext, *, key: Key) -> StateType:
        """The callback state at the start of training."""

    @abc.abstractmethod
    def step_reset(self, ctx: ResetContext, *, key: Key) -> StepStateType:
        """The step state of one environment at the start of training."""

    @abc.abstractmethod
    def on_step(self, ctx: StepContext, *, key: Key) -> StepStateType:
        """Called after every environment step; returns the new step state."""

    @abc.abstractmethod
    def on_iteration(self, ctx: IterationContext, *, key: Key) -> StateType:
        """Called after every iteration; returns the new callback state."""

    @abc.abstractmethod
    def on_training_start(self, ctx: TrainingContext, *, key: Key) -> StateType:
        """Called once before the first iteration; returns the new callback state."""

    @abc.abstractmethod
    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> StateType:
        """Called once after the last iteration; returns the new callback state."""

    @abc.abstractmethod
    def continue_training(self, ctx: IterationContext) -> Bool[Array, ""]:
        """Whether training should go on after this iteration."""


class AbstractStatelessCallback(AbstractCallback[None, None]):
    """A callback that keeps no state of its own and ignores single environment steps.

    Implements `reset`, `step_reset` and `on_step` as no-ops; subclasses implement the
    training and iteration hooks (returning `ctx.state`, i.e. `None`).
    """

    def reset(self, ctx: ResetContext, *, key: Key) -> None:
        return None

    def step_reset(self, ctx: ResetContext, *, key: Key) -> None:
        return None

    def on_step(self, ctx: StepContext, *, key: Key) -> None:
        return None
