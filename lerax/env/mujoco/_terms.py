"""Observation and reward terms that several MuJoCo tasks share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ..._types import Array, Bool, Float, Key
from ._deps import import_mujoco


def between(value: Float[Array, "..."], bounds: tuple[float, float]) -> Bool[Array, ""]:
    """Whether every element of `value` lies strictly inside ``(low, high)``."""
    low, high = bounds
    return jnp.all((low < value) & (value < high))


def check_range(name: str, argument: str, bounds: tuple[float, float]) -> tuple[float, float]:
    """`bounds` as a pair of floats, or a `ValueError` unless it is ``(low, high)`` with
    ``low < high``."""
    try:
        low, high = (float(bound) for bound in bounds)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name}: {argument} must be a pair (low, high), got {bounds!r}") from e
    if not low < high:
        raise ValueError(f"{name}: {argument} must have low < high, got {bounds!r}")
    return low, high


def body_id(name: str, mj_model: Any, body: str) -> int:
    """The id of the body called `body`, or a `ValueError` naming the task's model."""
    mujoco, _ = import_mujoco()
    index = mujoco.mj_name2id(mj_model, mujoco.mjtObj.mjOBJ_BODY, body)
    if index < 0:
        raise ValueError(f"{name}: the model has no body called {body!r}")
    return int(index)


def backend_field(data: Any, name: str) -> Any:
    """The field `name` of MJX's `Data` that newer MJX keeps with its JAX backend's own
    fields (`data._impl`, e.g. `cfrc_ext`, `cinert`, `contact`), read where the installed MJX
    has it."""
    impl = getattr(data, "_impl", None)
    if impl is not None and hasattr(impl, name):
        return getattr(impl, name)
    return getattr(data, name)


def mass_center_xy(mj_model: Any, data: Any) -> Float[Array, " 2"]:
    """The x and y of the centre of mass: the bodies' inertial frames weighted by mass."""
    mass = jnp.asarray(np.asarray(mj_model.body_mass), jnp.float32)
    return (mass @ data.xipos / jnp.sum(mass))[:2]


def rejection_sample(
    key: Key,
    draw: Callable[[Key], Float[Array, "..."]],
    accept: Callable[[Float[Array, "..."]], Bool[Array, ""]],
) -> Float[Array, "..."]:
    """Draws of `draw` until one is accepted, as Gymnasium's reset loops do; jittable."""

    def next_draw(carry):
        key, _ = carry
        key, subkey = jax.random.split(key)
        return key, draw(subkey)

    def rejected(carry):
        return ~accept(carry[1])

    return jax.lax.while_loop(rejected, next_draw, next_draw((key, None)))[1]
