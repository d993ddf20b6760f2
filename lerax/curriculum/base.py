"""The curriculum family: callbacks that change the environment between iterations."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import PyTree
from ..callback import AbstractCallback

StateType = TypeVar("StateType")
StepStateType = TypeVar("StepStateType")


class AbstractCurriculum(AbstractCallback[StateType, StepStateType]):
    """A callback that sets environment parameters before every iteration.

    `where(env)` selects the parameter (or a pytree of parameters) in the environment the
    algorithm trains on, as for `eqx.tree_at`; `value(state, callback_state)` gives its
    value for the iteration about to run. The training loop calls `apply_curriculum` once
    per iteration inside the compiled call; the new value is cast to the parameter's dtype
    and shape, so the environment keeps its structure.

    Environment parameters must be array leaves (lerax's environments store them so);
    with wrappers, `where` reaches through them (`lambda env: env.env.g`).
    """

    where: eqx.AbstractVar[Callable[[Any], PyTree]]

    @abc.abstractmethod
    def value(self, state: Any, callback_state: StateType) -> PyTree:
        """The parameter value for the iteration about to run.

        Args:
            state: The training loop's state (`TrainingLoopState`: `env`,
                `iteration_count`, `train_state`, ...).
            callback_state: This curriculum's state.
        """

    def apply_curriculum(self, state: Any, callback_state: StateType) -> Any:
        value = self.value(state, callback_state)
        old = self.where(state.env)
        if jax.tree.structure(old) == jax.tree.structure(value):
            new = jax.tree.map(_cast, old, value)
        else:
            new = jax.tree.map(lambda o: _cast(o, value), old)
        env = eqx.tree_at(self.where, state.env, new)
        return dataclasses.replace(state, env=env)


def _cast(old: Any, value: Any) -> Any:
    old = jnp.asarray(old)
    return jnp.broadcast_to(jnp.asarray(value, old.dtype), old.shape)
