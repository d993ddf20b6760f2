"""Wrap host functions so that compiled code can call them (`jax.debug.callback`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import jax
import numpy as np

_HAS_PARTITIONED = "partitioned" in inspect.signature(jax.debug.callback).parameters


def callback_wrapper(
    func: Callable[..., Any], ordered: bool = False, partitioned: bool = False
) -> Callable[..., None]:
    """Wrap `func` so that calling the result inside `jit` runs `func` on the host.

    Each call of the wrapper stages a `jax.debug.callback(func, *args, **kwargs)`; `func`
    receives the arguments as JAX arrays and its return value is dropped. Outside of any
    transformation, `func` runs at once.

    Args:
        func: The host function.
        ordered: Run the calls in program order (with respect to other ordered callbacks).
        partitioned: Forwarded to `jax.debug.callback` (call `func` on each shard of sharded
            arguments, without gathering them first).

    Returns:
        A function taking the same arguments as `func` (pytrees of arrays) and returning
        `None`.

    Raises:
        TypeError: If `partitioned=True` and the installed JAX does not support it.

    Example:
        >>> log = callback_wrapper(lambda step, loss: print(step, loss), ordered=True)
        >>> jax.jit(lambda s, l: log(s, l))(jnp.array(3), jnp.array(0.5))
        3 0.5
    """
    options: dict[str, bool] = {"ordered": ordered}
    if partitioned:
        if not _HAS_PARTITIONED:
            raise TypeError(
                f"callback_wrapper: partitioned=True needs a jax.debug.callback that supports "
                f"it; JAX {jax.__version__} does not (leave partitioned=False)"
            )
        options["partitioned"] = True

    def wrapped(*args: Any, **kwargs: Any) -> None:
        jax.debug.callback(func, *args, **kwargs, **options)

    return wrapped


def callback_with_numpy_wrapper(
    func: Callable[..., Any], ordered: bool = False, partitioned: bool = False
) -> Callable[..., None]:
    """Like `callback_wrapper`, but `func` receives every array as a NumPy array.

    Example:
        >>> log = callback_with_numpy_wrapper(lambda x: print(type(x).__name__))
        >>> jax.jit(log)(jnp.ones(2))
        ndarray
    """

    def host(*args: Any, **kwargs: Any) -> Any:
        return func(*jax.tree.map(np.asarray, args), **jax.tree.map(np.asarray, kwargs))

    return callback_wrapper(host, ordered=ordered, partitioned=partitioned)


def callback_with_list_wrapper(
    func: Callable[..., Any], ordered: bool = False, partitioned: bool = False
) -> Callable[..., None]:
    """Like `callback_wrapper`, but `func` receives every array as a (nested) Python list.

    Scalars (0-d arrays) arrive as Python numbers (`int`, `float` or `bool`).

    Example:
        >>> log = callback_with_list_wrapper(print)
        >>> jax.jit(log)(jnp.arange(3))
        [0, 1, 2]
    """

    def to_list(x: Any) -> Any:
        return np.asarray(x).tolist()

    def host(*args: Any, **kwargs: Any) -> Any:
        return func(*jax.tree.map(to_list, args), **jax.tree.map(to_list, kwargs))

    return callback_wrapper(host, ordered=ordered, partitioned=partitioned)
