"""A fixed-capacity ring buffer of transitions for off-policy learning."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._types import Array, ArrayLike, Bool, Float, Int, Key, Mask, PyTree
from ..space import AbstractSpace
from ._transition import Transition
from .base import AbstractBuffer, check_batch_size


def _preallocate(example: Any, size: int) -> Any:
    return jax.tree.map(lambda x: jnp.zeros((size, *jnp.shape(x)), jnp.result_type(x)), example)


@final
class ReplayBuffer(AbstractBuffer[Transition]):
    """Functional ring buffer holding the last `size` transitions.

    Arrays are preallocated from the spaces, so the buffer is a fixed-shape pytree that can
    live in a `lax.scan` carry or be vmapped over seeds. `add` writes in place at the ring
    position (O(1) in `size` under `jit`) and returns the new buffer; `sample` draws
    uniformly, with replacement, among the filled slots. The shared helpers (`gather`,
    `batches`, ...) see every slot as a row, filled or not, and return `Transition`s.

    Args:
        size: Capacity (static), at least 1.
        observation_space: Space of observations; fixes their shapes and dtypes.
        action_space: Space of actions; fixes their shapes and dtypes.
        state: Example policy state, or `None`: the policy states before and after each
            transition are then stored with it (`Transition.state` and `.next_state`).
        action_mask: Example action mask, for environments with masks: the masks of the
            state and of the next state are then stored with each transition. `None` stores
            no masks.

    Example:
        >>> buffer = ReplayBuffer(10_000, env.observation_space, env.action_space, None)
        >>> buffer = buffer.add(obs, next_obs, action, reward, done, timeout)
        >>> batch = buffer.sample(64, key=key)  # a Transition with leading axis 64
    """

    size: int = eqx.field(static=True)
    transitions: Transition
    position: Int[Array, ""]
    count: Int[Array, ""]

    def __init__(
        self,
        size: int,
        observation_space: AbstractSpace,
        action_space: AbstractSpace,
        state: Any = None,
        *,
        action_mask: Mask = None,
    ):
        if isinstance(size, bool) or not isinstance(size, int | np.integer):
            raise TypeError(f"ReplayBuffer: size must be an int, got {size!r}")
        if size < 1:
            raise ValueError(f"ReplayBuffer: size must be >= 1, got {size}")
        for name, space in (
            ("observation_space", observation_space),
            ("action_space", action_space),
        ):
            if not isinstance(space, AbstractSpace):
                raise TypeError(f"ReplayBuffer: {name} must be a lerax space, got {space!r}")
        self.size = int(size)
        obs = observation_space.canonical()
        example = Transition(
            observation=obs,
            action=action_space.canonical(),
            reward=jnp.zeros((), jnp.float32),
            next_observation=obs,
            terminal=jnp.zeros((), bool),
            truncation=jnp.zeros((), bool),
            state=state,
            next_state=state,
            next_action_mask=action_mask,
            action_mask=action_mask,
        )
        self.transitions = _preallocate(example, self.size)
        self.position = jnp.zeros((), jnp.int32)
        self.count = jnp.zeros((), jnp.int32)

    @property
    def current_size(self) -> Int[Array, ""]:
        """Number of filled slots (at most `size`)."""
        return self.count

    @property
    def rewards(self) -> Any:
        """The reward of every slot, filled or not (`float32[size]`; a shape-only struct
        in a skeleton built with `eqx.filter_eval_shape`)."""
        return self.transitions.reward

    def rows(self) -> Transition:
        """Every slot's transition (filled or not), with leading axis `size`."""
        return self.transitions

    def add(
        self,
        observation: PyTree[ArrayLike],
        next_observation: PyTree[ArrayLike],
        action: PyTree[ArrayLike],
        reward: Float[ArrayLike, "*batch"],
        done: Bool[ArrayLike, "*batch"],
        timeout: Bool[ArrayLike, "*batch"],
        state: Any = None,
        next_state: Any = None,
        action_mask: Mask = None,
        *,
        next_action_mask: Mask = None,
    ) -> ReplayBuffer:
        """Store one transition, or a batch of them (e.g. one per parallel environment).

        A batch is recognised by `reward` having one axis (length ``n <= size``); every
        other argument then has that same leading axis. When the ring is full the oldest
        transitions are overwritten.

        Args:
            observation: Observation the action was taken on.
            next_observation: Observation after the step; after the end of an episode pass
                its final observation, not the reset one.
            action: The action.
            reward: The reward, a scalar (or shape ``(n,)`` for a batch).
            done: Whether the episode ended after the step. Stored as `terminal` unless
                `timeout` says it was only cut off, so both conventions work: `done` for
                true terminals only, or for any episode end (as in Stable-Baselines3).
            timeout: Whether the episode was cut off after the step (stored as
                `truncation`).
            state: Policy state in which the action was chosen (required iff the buffer
                stores states).
            next_state: Policy state after acting, before any reset (required iff the
                buffer stores states).
            action_mask: Mask of the state the action was taken in (required iff the buffer
                stores masks).
            next_action_mask: Mask of the next state (required iff the buffer stores masks).

        Returns:
            The new buffer.
        """
        reward = jnp.asarray(reward, jnp.float32)
        if reward.ndim > 1:
            raise ValueError(
                "ReplayBuffer.add: reward must be a scalar or a batch of shape (n,), "
                f"got {reward.shape}"
            )
        batch = reward.shape
        if batch and not 1 <= batch[0] <= self.size:
            raise ValueError(
                f"ReplayBuffer.add: a batch must have between 1 and size={self.size} transitions, "
                f"got {batch[0]}"
            )
        new = Transition(
            observation=jax.tree.map(jnp.asarray, observation),
            action=jax.tree.map(jnp.asarray, action),
            reward=jnp.asarray(reward),
            next_observation=jax.tree.map(jnp.asarray, next_observation),
            terminal=jnp.asarray(done, bool) & ~jnp.asarray(timeout, bool),
            truncation=jnp.asarray(timeout, bool),
            state=state,
            next_state=next_state,
            next_action_mask=next_action_mask,
            action_mask=action_mask,
        )
        stored_paths, stored_def = jax.tree_util.tree_flatten_with_path(self.transitions)
        new_leaves, new_def = jax.tree.flatten(new)
        if new_def != stored_def:
            raise ValueError(
                "ReplayBuffer.add: the transition does not match the buffer's structure (pass "
                "state and next_state exactly when the buffer was built with a state, and "
                "action_mask and next_action_mask exactly when it was built with one); "
                f"expected {stored_def}, got {new_def}"
            )
        leaves = []
        for (path, stored), leaf in zip(stored_paths, new_leaves):
            leaf = jnp.asarray(leaf)
            if leaf.shape != batch + stored.shape[1:]:
                raise ValueError(
                    f"ReplayBuffer.add: {jax.tree_util.keystr(path)} must have shape "
                    f"{batch + stored.shape[1:]}, got {leaf.shape}"
                )
            leaves.append(leaf.astype(stored.dtype))
        stored_leaves = [stored for _, stored in stored_paths]
        if not batch or batch == (1,):
            # One transition never wraps around the ring: a contiguous write, no scatter.
            written = [
                jax.lax.dynamic_update_slice_in_dim(
                    stored, leaf.reshape((1, *stored.shape[1:])), self.position, 0
                )
                for stored, leaf in zip(stored_leaves, leaves)
            ]
        else:
            indices = (self.position + jnp.arange(batch[0])) % self.size
            written = [
                stored.at[indices].set(leaf, unique_indices=True)
                for stored, leaf in zip(stored_leaves, leaves)
            ]
        n = batch[0] if batch else 1
        return eqx.tree_at(
            lambda b: (b.transitions, b.position, b.count),
            self,
            (
                jax.tree.unflatten(stored_def, written),
                (self.position + n) % self.size,
                jnp.minimum(self.count + n, self.size),
            ),
        )

    def sample(self, batch_size: int, *, key: Key) -> Transition:
        """Draw `batch_size` transitions uniformly, with replacement, from the filled slots.

        Args:
            batch_size: Number of transitions (static), between 1 and `size`.
            key: PRNG key.

        Returns:
            A `Transition` whose leaves have a leading axis of length `batch_size`. On an
            empty buffer it returns copies of the (zero) first slot.
        """
        check_batch_size(batch_size, self.size, "ReplayBuffer.sample", "the buffer size")
        indices = jax.random.randint(key, (batch_size,), 0, jnp.maximum(self.count, 1))
        return self.gather(indices)
