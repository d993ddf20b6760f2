"""The abstract callback interface, its state classes and the contexts handed to its hooks.

Callbacks run inside the compiled training loop. Every hook is a pure function of a
context that returns the callback's new state; host output (progress bars, logs) goes
through ordered `jax.debug.callback`. Hooks:

- `reset(ctx, *, key)`: the callback state at the start of training;
- `step_reset(ctx, *, key)`: the per-environment step state (vmapped over environments);
- `on_step(ctx, *, key)`: after every environment step, returns the new step state;
- `on_iteration(ctx, *, key)`: after every training iteration, returns the new state;
- `on_training_start(ctx, *, key)` / `on_training_end(ctx, *, key)`: around the run;
- `continue_training(ctx, *, key)`: `False` stops training early (the remaining
  iterations become no-ops inside the same compiled call);
- `apply_curriculum(state, callback_state)`: once per iteration, before it, may change the
  environment the iteration trains on (see `lerax.curriculum`).

`AbstractCallback` gives every hook a neutral default, so a callback implements only the
hooks it needs. The intermediate classes `AbstractStepCallback`,
`AbstractIterationCallback`, `AbstractTrainingCallback` and
`AbstractContinueTrainingCallback` declare their hooks abstract again: a callback that
subclasses them must implement those (and pyright checks that it does).
"""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import Any, Generic, TypeVar, final

import equinox as eqx
import jax.numpy as jnp

from .._types import Array, Bool, Float, Int, Key
from ._metrics import IterationMetrics

StateType = TypeVar("StateType")
StepStateType = TypeVar("StepStateType")
LoopStateType = TypeVar("LoopStateType")


class AbstractCallbackState(eqx.Module):
    """Base class of the state a callback carries from one iteration to the next."""


class AbstractCallbackStepState(eqx.Module):
    """Base class of the state a callback keeps for each environment between steps."""


@final
class EmptyCallbackState(AbstractCallbackState):
    """The state of a callback that keeps none."""


@final
class EmptyCallbackStepState(AbstractCallbackStepState):
    """The step state of a callback that keeps none."""


@final
class ResetContext(eqx.Module):
    """What `reset` and `step_reset` see.

    Attributes:
        env: The environment being trained on.
        policy: The initial policy.
        total_timesteps: Environment steps the run will take (static).
        num_envs: Number of parallel environments (static).
        locals: The same values by name (the documented way to reach them).
    """

    locals: dict[str, Any] = eqx.field(default_factory=dict)
    env: Any = None
    policy: Any = None
    total_timesteps: int = eqx.field(static=True, default=0)
    num_envs: int = eqx.field(static=True, default=1)


@final
class StepContext(eqx.Module):
    """What `on_step` sees for one environment (hooks are vmapped over environments).

    Attributes:
        state: This environment's callback step state.
        env: The environment.
        policy: The policy acting.
        done: Whether the episode ended (terminal or truncated).
        reward: Reward received.
        observation: Observation the action was chosen on.
        action: Action taken.
        terminal: Whether the episode ended in a terminal state.
        truncate: Whether the episode was cut off.
        info: The environment's info dictionary.
        global_step: Environment steps taken so far, across all environments.
        locals: Further values by name (`observation`, `action`, `terminal`,
            `truncate`, `info`, `global_step`).
    """

    state: Any
    env: Any
    policy: Any
    done: Bool[Array, ""]
    reward: Float[Array, ""]
    locals: dict[str, Any] = eqx.field(default_factory=dict)
    observation: Any = None
    action: Any = None
    terminal: Bool[Array, ""] | None = None
    truncate: Bool[Array, ""] | None = None
    info: dict[str, Any] = eqx.field(default_factory=dict)
    global_step: Int[Array, ""] | None = None


@final
class IterationContext(eqx.Module):
    """What `on_iteration` and `continue_training` see.

    Attributes:
        state: The callback state.
        step_state: The per-environment step states (leading axis `num_envs`).
        env: The environment (as the curriculum left it for this iteration).
        policy: The current policy.
        iteration_count: Index of the iteration just finished, counted from the start of
            the run (it continues across `train` calls; `iteration` restarts at 0 in each).
        opt_state: The algorithm's (actor's) optimiser state.
        training_log: The metrics by name (`metrics.scalars()`).
        algorithm: The algorithm.
        iteration: Index of the iteration just finished (0-based).
        num_iterations: Total iterations in this call (static).
        global_step: Environment steps taken so far.
        total_timesteps: Environment steps the run will take (static).
        metrics: What the algorithm reports (`IterationMetrics`: episode statistics and the
            algorithm's own statistics).
        locals: Further values by name (`train_state`: the algorithm's training state).
    """

    state: Any
    step_state: Any
    env: Any
    policy: Any
    iteration_count: Int[Array, ""]
    opt_state: Any
    training_log: dict[str, Float[Array, ""]]
    algorithm: Any
    locals: dict[str, Any] = eqx.field(default_factory=dict)
    iteration: Int[Array, ""] | None = None
    num_iterations: int = eqx.field(static=True, default=1)
    global_step: Int[Array, ""] | None = None
    total_timesteps: int = eqx.field(static=True, default=0)
    metrics: IterationMetrics | None = None


@final
class TrainingContext(eqx.Module):
    """What `on_training_start` and `on_training_end` see.

    Attributes:
        state: The callback state.
        step_state: The per-environment step states.
        env: The environment.
        policy: The current policy.
        total_timesteps: Environment steps the run will take (static).
        iteration_count: Iterations done so far (in this call).
        opt_state: The algorithm's (actor's) optimiser state.
        algorithm: The algorithm.
        global_step: Environment steps taken so far.
        locals: Further values by name (`train_state`).
    """

    state: Any
    step_state: Any
    env: Any
    policy: Any
    total_timesteps: int = eqx.field(static=True)
    iteration_count: Int[Array, ""] = eqx.field()
    opt_state: Any
    algorithm: Any
    locals: dict[str, Any] = eqx.field(default_factory=dict)
    global_step: Int[Array, ""] | None = None


class AbstractCallback(eqx.Module, Generic[StateType, StepStateType]):
    """Hooks called from inside the compiled training loop.

    Every hook has a neutral default (no state, no effect), so a subclass implements only
    what it needs; see the module docstring for the classes that make hooks abstract.
    """

    def reset(self, ctx: ResetContext, *, key: Key) -> StateType:
        """The callback state at the start of training (default: `EmptyCallbackState()`)."""
        return EmptyCallbackState()  # type: ignore[return-value]

    def step_reset(self, ctx: ResetContext, *, key: Key) -> StepStateType:
        """The step state of one environment at the start of training (default: empty)."""
        return EmptyCallbackStepState()  # type: ignore[return-value]

    def on_step(self, ctx: StepContext, *, key: Key) -> StepStateType:
        """Called after every environment step; returns the new step state."""
        return ctx.state

    def on_iteration(self, ctx: IterationContext, *, key: Key) -> StateType:
        """Called after every iteration; returns the new callback state."""
        return ctx.state

    def on_training_start(self, ctx: TrainingContext, *, key: Key) -> StateType:
        """Called once before the first iteration; returns the new callback state."""
        return ctx.state

    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> StateType:
        """Called once after the last iteration; returns the new callback state."""
        return ctx.state

    def continue_training(self, ctx: IterationContext, *, key: Key) -> Bool[Array, ""]:
        """Whether training should go on after this iteration (default: always)."""
        return jnp.array(True)

    def apply_curriculum(self, state: LoopStateType, callback_state: StateType) -> LoopStateType:
        """The loop state the next iteration runs from (default: `state` unchanged).

        Args:
            state: The training loop's state; its `env` is what the iteration trains on,
                `iteration_count` the index of the iteration about to run.
            callback_state: This callback's state.

        Returns:
            `state`, possibly with a changed `env` (same structure and dtypes).
        """
        return state


class AbstractStepCallback(AbstractCallback[StateType, StepStateType]):
    """A callback that acts on every environment step: implements `step_reset`, `on_step`."""

    @abc.abstractmethod
    def step_reset(self, ctx: ResetContext, *, key: Key) -> StepStateType:
        """The step state of one environment at the start of training."""

    @abc.abstractmethod
    def on_step(self, ctx: StepContext, *, key: Key) -> StepStateType:
        """Called after every environment step; returns the new step state."""


class AbstractIterationCallback(AbstractCallback[StateType, StepStateType]):
    """A callback that acts after every iteration: implements `on_iteration`."""

    @abc.abstractmethod
    def on_iteration(self, ctx: IterationContext, *, key: Key) -> StateType:
        """Called after every iteration; returns the new callback state."""


class AbstractTrainingCallback(AbstractCallback[StateType, StepStateType]):
    """A callback that acts around the run: implements `on_training_start`/`_end`."""

    @abc.abstractmethod
    def on_training_start(self, ctx: TrainingContext, *, key: Key) -> StateType:
        """Called once before the first iteration; returns the new callback state."""

    @abc.abstractmethod
    def on_training_end(self, ctx: TrainingContext, *, key: Key) -> StateType:
        """Called once after the last iteration; returns the new callback state."""


class AbstractContinueTrainingCallback(AbstractCallback[StateType, StepStateType]):
    """A callback that may stop training: implements `continue_training`."""

    @abc.abstractmethod
    def continue_training(self, ctx: IterationContext, *, key: Key) -> Bool[Array, ""]:
        """Whether training should go on after this iteration."""


class AbstractStatelessCallback(AbstractCallback[EmptyCallbackState, EmptyCallbackStepState]):
    """A callback that keeps no state of its own: its states are the empty ones.

    Its hooks return `ctx.state` (the empty state) unchanged.
    """
