"""The abstract buffer, and the helpers every buffer shares."""

from __future__ import annotations

import abc
import math
import operator
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Float, Int, Key

RowsType = TypeVar("RowsType")


class AbstractBuffer(eqx.Module, Generic[RowsType]):
    """Functional storage of experience: methods return new values, never mutate.

    A buffer keeps its experience as a pytree of arrays that all start with the same
    leading batch axes, `shape` (the `rewards` have exactly that shape). The helpers
    below are written once here for every buffer; they act on those rows (`rows()`)
    and return rows again: a `RolloutBuffer` for a `RolloutBuffer`, a `Transition`
    batch for a `ReplayBuffer`.

    Example:
        >>> flat = rollout.flatten_axes(None)  # a RolloutBuffer with one axis of items
        >>> minibatch = flat.gather(flat.batch_indices(64, key=key)[0])
        >>> policy, _ = lax.scan(update, policy, rollout.batches(64, key=key))
        >>> rows = replay.gather(jnp.array([0, 5]))  # a Transition of two slots
    """

    rewards: eqx.AbstractVar[Float[Array, "*batch"]]

    @abc.abstractmethod
    def rows(self) -> RowsType:
        """The stored experience: a pytree whose array leaves all start with `shape`."""

    @abc.abstractmethod
    def sample(self, batch_size: int, *, key: Key) -> Any:
        """Draw a random minibatch of `batch_size` items (a static size).

        Args:
            batch_size: Number of items, at least 1.
            key: PRNG key.

        Returns:
            A pytree of arrays with a leading axis of length `batch_size`.
        """

    @property
    def shape(self) -> tuple[int, ...]:
        """The leading batch axes of the stored arrays (static), e.g. ``(steps, envs)``."""
        return tuple(jnp.shape(self.rewards))

    def resolve_axes(self, axes: int | Sequence[int] | None) -> tuple[int, ...]:
        """Normalise batch axes to a sorted tuple of distinct non-negative ints.

        Args:
            axes: One axis, a sequence of them, or `None` for every batch axis. Negative
                axes count from the last batch axis.

        Returns:
            The axes, each in ``[0, len(shape))``, in increasing order.

        Raises:
            TypeError: An axis is not an int.
            ValueError: An axis is out of range or repeated, or no axis is given.
        """
        who = f"{type(self).__name__}.resolve_axes"
        ndim = len(self.shape)
        if axes is None:
            return tuple(range(ndim))
        given = (axes,) if not isinstance(axes, Sequence) else tuple(axes)
        if not given:
            raise ValueError(f"{who}: give at least one batch axis (or None for all of them)")
        resolved = []
        for axis in given:
            if isinstance(axis, bool):
                raise TypeError(f"{who}: batch axes must be ints, got {axes!r}")
            try:
                axis = operator.index(axis)
            except TypeError:
                raise TypeError(f"{who}: batch axes must be ints, got {axes!r}") from None
            if not -ndim <= axis < ndim:
                raise ValueError(
                    f"{who}: batch axis {axis} is out of range for a buffer with batch shape "
                    f"{self.shape}; use an axis in [{-ndim}, {ndim})"
                )
            resolved.append(axis % ndim)
        if len(set(resolved)) != len(resolved):
            raise ValueError(f"{who}: batch axes repeat an axis: {axes!r}")
        return tuple(sorted(resolved))

    def flatten_axes(self, axes: int | Sequence[int] | None = None) -> RowsType:
        """Merge some leading batch axes into one leading axis of items.

        Args:
            axes: The batch axes to merge (`resolve_axes`); `None` merges all of them.

        Returns:
            The rows with leading axes ``(items, *rest)``: `items` is the product of the
            merged axes (in row-major order), `rest` the batch axes left, in order.
        """
        axes = self.resolve_axes(axes)
        ndim = len(self.shape)
        rest = tuple(a for a in range(ndim) if a not in axes)
        items = math.prod(self.shape[a] for a in axes)

        def flatten(x: Any) -> Any:
            if not eqx.is_array(x):
                return x
            moved = jnp.transpose(x, (*axes, *rest, *range(ndim, x.ndim)))
            return jnp.reshape(moved, (items, *moved.shape[len(axes) :]))

        return jax.tree.map(flatten, self.rows())

    def batch_indices(
        self, batch_size: int, *, key: Key, drop_remainder: bool = False
    ) -> Int[Array, "num_batches batch_size"]:
        """Shuffle the indices of the leading axis and cut them into minibatches.

        Args:
            batch_size: Indices per minibatch (static), between 1 and ``shape[0]``.
            key: PRNG key.
            drop_remainder: Leave out the last ``shape[0] % batch_size`` shuffled indices
                instead of raising when `batch_size` does not divide ``shape[0]``.

        Returns:
            An int array of shape ``(shape[0] // batch_size, batch_size)``: a random
            permutation of ``range(shape[0])`` (all of it unless a remainder is dropped).

        Raises:
            ValueError: `batch_size` is out of range, or does not divide ``shape[0]`` and
                `drop_remainder` is false.
        """
        return _batch_indices(
            self.shape[0],
            batch_size,
            key,
            f"{type(self).__name__}.batch_indices",
            drop_remainder=drop_remainder,
        )

    def gather(self, indices: Int[Array, "*indices"]) -> RowsType:
        """The rows at `indices` along the leading axis.

        Args:
            indices: Integer indices into the leading axis, of any shape.

        Returns:
            The rows with leading axes ``(*indices.shape, *shape[1:])``.
        """
        return _gather(self.rows(), indices)

    def batches(
        self, batch_size: int, *, key: Key, batch_axes: int | Sequence[int] | None = None
    ) -> RowsType:
        """Shuffle the items and cut them into minibatches of `batch_size`.

        An item is one entry of the `batch_axes` (default: every batch axis, e.g. one step
        of one environment); ``batch_axes=1`` on a ``(steps, envs)`` buffer keeps each
        environment's whole sequence together, for recurrent policies. ``items //
        batch_size`` minibatches are made; a remainder, if any, is left out of this
        shuffle. Scan over the result to visit each minibatch.

        Args:
            batch_size: Items per minibatch (static).
            key: PRNG key.
            batch_axes: Batch axes whose entries are the items (default: all of them).

        Returns:
            Rows with leading axes ``(num_batches, batch_size)``, followed by the batch
            axes not in `batch_axes`.
        """
        total = math.prod(self.shape[a] for a in self.resolve_axes(batch_axes))
        who = f"{type(self).__name__}.batches"
        indices = _batch_indices(total, batch_size, key, who, drop_remainder=True)
        return _gather(self.flatten_axes(batch_axes), indices)


def check_batch_size(batch_size: int, limit: int, who: str, what: str) -> None:
    """Raise unless `batch_size` is an int in ``[1, limit]``."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int):
        raise TypeError(f"{who}: batch_size must be an int, got {batch_size!r}")
    if not 1 <= batch_size <= limit:
        raise ValueError(
            f"{who}: batch_size must be between 1 and {what} ({limit}), got {batch_size}"
        )


def _batch_indices(
    total: int, batch_size: int, key: Key, who: str, *, drop_remainder: bool
) -> Int[Array, "num_batches batch_size"]:
    check_batch_size(batch_size, total, who, "the number of items")
    if total % batch_size and not drop_remainder:
        raise ValueError(
            f"{who}: batch_size {batch_size} does not divide the {total} items; choose a "
            "divisor, or pass drop_remainder=True"
        )
    num_batches = total // batch_size
    order = jax.random.permutation(key, total)[: num_batches * batch_size]
    return jnp.reshape(order, (num_batches, batch_size))


def _gather(rows: Any, indices: Int[Array, "*indices"]) -> Any:
    return jax.tree.map(lambda x: x[indices] if eqx.is_array(x) else x, rows)
