"""The abstract algorithm: one compiled training loop shared by every algorithm."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
import dataclasses
import os
import warnings
from pathlib import Path
from typing import Any, Generic, TypeVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._types import Array, Bool, Int, Key, KeyBatch
from ..callback import AbstractCallback, CallbackList, EmptyCallback
from ..callback.base_callback import IterationContext, ResetContext, TrainingContext
from ..serialization import AbstractSerializable, load, save
from ..utils import filter_cond, filter_scan
from ._collector import CollectorState
from ._sharding import shard_seeds

PolicyType = TypeVar("PolicyType")
StateType = TypeVar("StateType", bound="AbstractTrainState")


CallbackLike = AbstractCallback | list[AbstractCallback] | tuple[AbstractCallback, ...] | None
"""What `learn` and `train` accept as `callback`."""


def as_callback(callback: CallbackLike) -> AbstractCallback:
    """One callback from `None`, a callback, or a list or tuple of callbacks.

    Raises:
        TypeError: If `callback` is none of these.
    """
    if callback is None:
        return EmptyCallback()
    if isinstance(callback, list | tuple):
        return CallbackList(callback)
    if not isinstance(callback, AbstractCallback):
        raise TypeError(
            "callback must be an AbstractCallback, a CallbackList, a list of callbacks or "
            f"None, got {type(callback).__name__}"
        )
    return callback


class AbstractTrainState(AbstractSerializable):
    """Everything a training run carries from one iteration to the next.

    Saving it (`serialize`) checkpoints the run; `AbstractAlgorithm.load_state` restores it
    and `AbstractAlgorithm.train` resumes it exactly.
    """

    policy: eqx.AbstractVar[Any]
    """The policy being trained."""
    collector: eqx.AbstractVar[CollectorState]
    """Where the environments stand (states, observations, policy states, episode stats)."""
    opt_state: eqx.AbstractVar[Any]
    """The optimiser state (the actor's, where there are several)."""
    key: eqx.AbstractVar[Key]
    """PRNG key data for the next iteration."""
    global_step: eqx.AbstractVar[Int[Array, ""]]
    """Environment steps taken so far (all environments together)."""


AbstractAlgorithmState = AbstractTrainState
"""The documented name of `AbstractTrainState`."""


@final
class TrainingLoopState(eqx.Module):
    """What the compiled training loop carries from one iteration to the next.

    A curriculum (`AbstractCallback.apply_curriculum`) receives it before every iteration
    and returns it with a changed `env`.

    Attributes:
        train_state: The algorithm's training state.
        env: The environment the next iteration trains on (`None` when no callback
            applies a curriculum: the loop then closes over the environment).
        iteration_count: Iterations done since the start of the run (counted from the
            training state's `global_step`).
        callback_state: The callback's state.
        step_state: The callback's per-environment step states.
        running: Whether training goes on (`False` after a callback stopped it).
    """

    train_state: Any
    env: Any
    iteration_count: Int[Array, ""]
    callback_state: Any
    step_state: Any
    running: Bool[Array, ""]

    @property
    def policy(self) -> Any:
        """The policy being trained."""
        return self.train_state.policy

    @property
    def global_step(self) -> Int[Array, ""]:
        """Environment steps taken so far."""
        return self.train_state.global_step

    @property
    def opt_state(self) -> Any:
        """The algorithm's optimiser state."""
        return self.train_state.opt_state


class AbstractAlgorithm(eqx.Module, Generic[PolicyType, StateType]):
    """A reinforcement-learning algorithm.

    An algorithm is an immutable module of hyperparameters. Training is a pure function:
    `init` builds the training state, `iteration` advances it by `num_envs * num_steps`
    environment steps plus the algorithm's updates, and `train` runs many iterations in one
    `lax.scan` inside one `filter_jit`. `learn` does all three. Array-valued
    hyperparameters are leaves, so `eqx.filter_vmap` batches seeds and hyperparameters.
    """

    num_envs: eqx.AbstractVar[int]
    num_steps: eqx.AbstractVar[int]

    @abc.abstractmethod
    def check(self, env: Any, policy: PolicyType) -> None:
        """Raise a clear error if `env` and `policy` cannot be trained together."""

    @abc.abstractmethod
    def init(self, env: Any, policy: PolicyType, *, key: Key) -> StateType:
        """Build the initial training state."""

    @abc.abstractmethod
    def iteration(
        self,
        env: Any,
        state: StateType,
        callback: AbstractCallback,
        step_state: Any,
        *,
        total_timesteps: int,
    ) -> tuple[StateType, Any, Any]:
        """Advance training by one iteration.

        Returns:
            `(state, step_state, stats)`: the new training state, the callbacks' new
            per-environment step states and the algorithm's statistics (an Equinox module
            of scalars). The loop adds the episode statistics of `state.collector` and hands
            both to the callbacks as `IterationMetrics`.
        """

    @property
    def steps_per_iteration(self) -> int:
        """Environment steps taken by one iteration (`num_envs * num_steps`)."""
        return self.num_envs * self.num_steps

    def num_iterations(self, total_timesteps: int) -> int:
        """The number of iterations `learn` runs for `total_timesteps` environment steps.

        Raises:
            ValueError: If `total_timesteps` is smaller than one iteration.
        """
        if isinstance(total_timesteps, bool) or not isinstance(total_timesteps, int):
            raise TypeError(f"total_timesteps must be an int, got {total_timesteps!r}")
        per = self.steps_per_iteration
        if total_timesteps < per:
            raise ValueError(
                f"total_timesteps={total_timesteps} is smaller than one iteration of "
                f"num_envs * num_steps = {per} environment steps; ask for at least {per}"
            )
        n, rest = divmod(total_timesteps, per)
        if rest:
            warnings.warn(
                f"total_timesteps={total_timesteps} is not a multiple of num_envs * num_steps = "
                f"{per}: training for {n} iterations = {n * per} environment steps",
                stacklevel=2,
            )
        return n

    def learn(
        self,
        env: Any,
        policy: PolicyType,
        total_timesteps: int,
        *,
        key: Key,
        callback: CallbackLike = None,
    ) -> PolicyType:
        """Train `policy` on `env` for `total_timesteps` environment steps.

        The whole run is one compiled call. Works under `eqx.filter_vmap` over keys (many
        seeds at once) and over array-valued hyperparameters; `learn_many` does the former
        and shards the seeds over all local devices.

        Args:
            env: The environment.
            policy: The initial policy.
            total_timesteps: Environment steps to train for (a Python int).
            key: PRNG key.
            callback: One callback, a `CallbackList`, a list of callbacks, or `None`.

        Returns:
            The trained policy.
        """
        callback = as_callback(callback)
        self.check(env, policy)
        num_iterations = self.num_iterations(total_timesteps)
        state = _learn(self, env, policy, key, callback, num_iterations, total_timesteps)
        return state.policy

    def learn_many(
        self,
        env: Any,
        policy: PolicyType,
        total_timesteps: int,
        *,
        keys: KeyBatch,
        callback: CallbackLike = None,
    ) -> PolicyType:
        """`learn` for many seeds in one compiled call, sharded over the local devices.

        Equivalent to ``eqx.filter_vmap(lambda k: algo.learn(env, policy, n, key=k))(keys)``.
        With more than one local device (GPUs, or CPU devices from
        ``XLA_FLAGS=--xla_force_host_platform_device_count=N``) the seed axis is laid out
        over a one-dimensional device mesh (`shard_seeds`), so each device trains its share
        of the seeds; the number of seeds must then be a multiple of the device count.

        Args:
            env: The environment.
            policy: The initial policy (shared by every seed).
            total_timesteps: Environment steps per seed.
            keys: PRNG keys, one per seed (leading axis).
            callback: As in `learn`.

        Returns:
            The trained policies, stacked along a leading seed axis.
        """
        keys = shard_seeds(keys)
        return eqx.filter_vmap(
            lambda k: self.learn(env, policy, total_timesteps, key=k, callback=callback)
        )(keys)

    def train(
        self,
        env: Any,
        state: StateType,
        num_iterations: int,
        *,
        callback: CallbackLike = None,
        total_timesteps: int | None = None,
    ) -> StateType:
        """Run `num_iterations` iterations from `state` in one compiled call.

        Resuming from a saved state gives exactly the run that was never interrupted.

        Args:
            env: The environment.
            state: A training state from `init`, `train` or `load_state`.
            num_iterations: Iterations to run.
            callback: Optional callback.
            total_timesteps: Total steps of the whole run, for schedules and progress
                (default: the steps of this call).

        Returns:
            The new training state.
        """
        if num_iterations < 1:
            raise ValueError(f"num_iterations must be >= 1, got {num_iterations}")
        callback = as_callback(callback)
        if total_timesteps is None:
            total_timesteps = num_iterations * self.steps_per_iteration
        return _train(self, env, state, callback, num_iterations, total_timesteps)

    def hyperparameters(self) -> dict[str, Any]:
        """The algorithm's configuration as JSON-friendly values (recorded in checkpoints)."""
        return {f.name: describe_value(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def save_state(self, state: StateType, path: str | os.PathLike) -> Path:
        """Checkpoint a training state to `path` (fingerprinted, digested, atomic).

        The file also records the algorithm's class and `hyperparameters()`, and the lerax,
        jax and equinox versions (`lerax inspect PATH` prints them).
        """
        cls = type(self)
        info = {
            "algorithm": f"{cls.__module__}.{cls.__qualname__}",
            "hyperparameters": self.hyperparameters(),
        }
        return save(state, path, metadata=info)

    def load_state(self, path: str | os.PathLike, env: Any, policy: PolicyType) -> StateType:
        """Load a checkpoint written by `save_state` for this algorithm, env and policy.

        Raises:
            ValueError: If the file does not match the training state's structure, or was
                written by another algorithm or other hyperparameters (named in the
                message), or is corrupted.
        """
        skeleton = eqx.filter_eval_shape(self.init, env, policy, key=jax.random.key(0))
        return load(path, skeleton, check_metadata=self._check_checkpoint)

    def _check_checkpoint(self, path: Path, info: dict[str, Any]) -> None:
        """Refuse a checkpoint of another algorithm or configuration, naming the difference."""
        cls = type(self)
        mine = f"{cls.__module__}.{cls.__qualname__}"
        if info.get("algorithm") not in (None, mine):
            raise ValueError(f"{path}: a checkpoint of {info['algorithm']}, not of {mine}")
        saved = info.get("hyperparameters", {})
        current = self.hyperparameters()
        changed = sorted(k for k in saved.keys() | current.keys() if saved.get(k) != current.get(k))
        if changed:
            details = "; ".join(
                f"{k}: saved {saved.get(k)!r}, now {current.get(k)!r}" for k in changed
            )
            raise ValueError(
                f"{path}: resuming with a different configuration than the checkpoint was "
                f"written with ({details})"
            )


@eqx.filter_jit
def _learn(algo, env, policy, key, callback, num_iterations, total_timesteps):
    state = algo.init(env, policy, key=key)
    return _run(algo, env, state, callback, num_iterations, total_timesteps)


@eqx.filter_jit
def _train(algo, env, state, callback, num_iterations, total_timesteps):
    return _run(algo, env, state, callback, num_iterations, total_timesteps)


def _run(
    algo: AbstractAlgorithm,
    env: Any,
    state: Any,
    callback: AbstractCallback,
    num_iterations: int,
    total_timesteps: int,
) -> Any:
    cb_key = jax.random.fold_in(state.key, 0x1E7A)
    k_reset, k_step, k_start, k_iter, k_end = jax.random.split(cb_key, 5)
    reset_ctx = ResetContext(
        locals=dict(env=env, policy=state.policy, algorithm=algo),
        env=env,
        policy=state.policy,
        total_timesteps=total_timesteps,
        num_envs=algo.num_envs,
    )
    cb_state = callback.reset(reset_ctx, key=k_reset)
    step_state = jax.vmap(lambda k: callback.step_reset(reset_ctx, key=k))(
        jax.random.split(k_step, algo.num_envs)
    )
    first_iteration = jnp.asarray(state.global_step // algo.steps_per_iteration, jnp.int32)
    cb_state = callback.on_training_start(
        _training_context(
            algo, env, state, cb_state, step_state, total_timesteps, first_iteration, num_iterations
        ),
        key=k_start,
    )
    can_stop = can_stop_training(callback)
    curriculum = has_curriculum(callback)

    def body(loop: TrainingLoopState, index: Int[Array, ""]) -> tuple[TrainingLoopState, None]:
        def advance(loop: TrainingLoopState) -> TrainingLoopState:
            iter_env = loop.env if curriculum else env
            new_state, new_step_state, stats = algo.iteration(
                iter_env,
                loop.train_state,
                callback,
                loop.step_state,
                total_timesteps=total_timesteps,
            )
            metrics = new_state.collector.metrics(stats)
            ctx = IterationContext(
                state=loop.callback_state,
                step_state=new_step_state,
                env=iter_env,
                policy=new_state.policy,
                iteration_count=loop.iteration_count,
                opt_state=new_state.opt_state,
                training_log=metrics.scalars(),
                algorithm=algo,
                iteration=index,
                num_iterations=num_iterations,
                global_step=new_state.global_step,
                total_timesteps=total_timesteps,
                metrics=metrics,
                locals=dict(train_state=new_state),
            )
            key = jax.random.fold_in(k_iter, index)
            k_on, k_continue = jax.random.split(key)
            new_cb_state = callback.on_iteration(ctx, key=k_on)
            ctx = dataclasses.replace(ctx, state=new_cb_state)
            running = jnp.asarray(callback.continue_training(ctx, key=k_continue), bool)
            next_loop = TrainingLoopState(
                new_state,
                loop.env,
                loop.iteration_count + 1,
                new_cb_state,
                new_step_state,
                running,
            )
            if curriculum:  # the environment of the next iteration
                next_loop = callback.apply_curriculum(next_loop, new_cb_state)
            return next_loop

        if not can_stop:
            return advance(loop), None
        return filter_cond(loop.running, advance, lambda lp: lp, loop), None

    loop = TrainingLoopState(
        state,
        env if curriculum else None,
        first_iteration,
        cb_state,
        step_state,
        jnp.array(True),
    )
    if curriculum:  # the first iteration's environment (and the carry's structure)
        loop = callback.apply_curriculum(loop, cb_state)
    loop, _ = filter_scan(body, loop, jnp.arange(num_iterations))
    callback.on_training_end(
        _training_context(
            algo,
            loop.env if curriculum else env,
            loop.train_state,
            loop.callback_state,
            loop.step_state,
            total_timesteps,
            loop.iteration_count,
            num_iterations,
        ),
        key=k_end,
    )
    return loop.train_state


def _training_context(
    algo: Any,
    env: Any,
    state: Any,
    cb_state: Any,
    step_state: Any,
    total_timesteps: int,
    iteration_count: Int[Array, ""],
    num_iterations: int,
) -> TrainingContext:
    return TrainingContext(
        state=cb_state,
        step_state=step_state,
        env=env,
        policy=state.policy,
        total_timesteps=total_timesteps,
        iteration_count=iteration_count,
        opt_state=state.opt_state,
        algorithm=algo,
        global_step=state.global_step,
        locals=dict(train_state=state, num_iterations=num_iterations),
    )


def describe_value(value: Any) -> Any:
    """A hyperparameter as a JSON value: numbers and strings as they are, small arrays as
    lists, functions by their qualified name, anything else by its `repr`."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if eqx.is_array(value) or isinstance(value, np.ndarray):
        array = np.asarray(value)
        return array.tolist() if array.size <= 64 else f"{array.dtype}{list(array.shape)}"
    if callable(value) and not isinstance(value, eqx.Module):
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', value)}"
    return repr(value)


def has_curriculum(callback: AbstractCallback) -> bool:
    """Whether `callback` (or a member of a `CallbackList`) changes the environment.

    Only then does the loop carry the environment (otherwise it stays a constant of the
    compiled program).
    """
    if isinstance(callback, CallbackList):
        return any(has_curriculum(cb) for cb in callback.callbacks)
    return type(callback).apply_curriculum is not AbstractCallback.apply_curriculum


def can_stop_training(callback: AbstractCallback) -> bool:
    """Whether `callback` (or a member of a `CallbackList`) decides `continue_training`.

    Only then is every iteration wrapped in a conditional on the loop's `running` flag (a
    `lax.cond` copies the training state, the replay buffer included, in and out).
    """
    if isinstance(callback, CallbackList):
        return any(can_stop_training(cb) for cb in callback.callbacks)
    return type(callback).continue_training is not AbstractCallback.continue_training
