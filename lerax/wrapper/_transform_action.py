"""Actions transformed by a user function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, final

import equinox as eqx

from ..env.base import AbstractEnvLike
from ..space import AbstractSpace
from .base import AbstractActionWrapper


@final
class TransformAction(AbstractActionWrapper):
    """Applies `func` to every action before passing it to `env`.

    Args:
        env: The environment to wrap.
        func: Jittable map from an action in `action_space` to an action of `env`.
        action_space: The space of the actions this wrapper accepts.
        mask_func: Jittable map from `env`'s action mask (possibly `None`) to a mask for
            `action_space`. `None` (the default) passes `env`'s mask through unchanged.

    Example:
        `TransformAction(env, lambda a: jnp.array([a - 1.0]), Discrete(3))` drives a 1-D
        continuous environment with three discrete actions.
    """

    env: AbstractEnvLike
    func: Callable[[Any], Any] = eqx.field(static=True)
    action_space: AbstractSpace
    mask_func: Callable[[Any], Any] | None = eqx.field(static=True, default=None)

    def __check_init__(self):
        if not callable(self.func):
            raise TypeError(f"TransformAction: func must be callable, got {self.func!r}")
        if self.mask_func is not None and not callable(self.mask_func):
            raise TypeError(
                f"TransformAction: mask_func must be callable or None, got {self.mask_func!r}"
            )
        if not isinstance(self.action_space, AbstractSpace):
            raise TypeError(
                f"TransformAction: action_space must be a lerax space, got {self.action_space!r}"
            )

    def transform_action(self, action: Any) -> Any:
        return self.func(action)

    def transform_action_mask(self, mask: Any) -> Any:
        return mask if self.mask_func is None else self.mask_func(mask)
