"""Q-value policies with epsilon-greedy action selection."""

# No `from __future__ import annotations`: Equinox needs real annotations to see AbstractVar.

import abc
from typing import TypeVar

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import ArrayLike

from ..._types import Array, Bool, Float, Int, Key, PyTree
from ...space import AbstractSpace, Discrete
from ..base import AbstractPolicy, parameters

StateType = TypeVar("StateType")
ObsType = TypeVar("ObsType")


class AbstractQPolicy(AbstractPolicy[StateType, Int[Array, ""], ObsType, Bool[Array, " n"]]):
    """A policy that acts epsilon-greedily on Q-values over a `Discrete` action space.

    Subclasses provide `q_values`; `__call__` picks, with probability `epsilon`, a uniformly
    random action among the allowed ones, and otherwise the allowed action with the highest
    Q-value.
    """

    action_space: eqx.AbstractVar[Discrete]
    """The `Discrete` action space."""
    observation_space: eqx.AbstractVar[AbstractSpace]
    """Space of the observations the policy reads."""
    epsilon: eqx.AbstractVar[Float[ArrayLike, ""]]
    """Probability in `[0, 1]` of a uniformly random (allowed) action when a key is given.

    An array leaf, so it can be traced under `jax.jit` and changed by schedules with
    `eqx.tree_at`.
    """

    def trainable(self) -> PyTree[bool]:
        """The leaves an optimiser trains: the network's weights, not `epsilon`.

        Returns:
            A filter spec (a pytree of booleans shaped like the policy).
        """
        spec = parameters(self)
        return eqx.tree_at(lambda p: p.epsilon, spec, replace_fn=lambda _: False)

    @abc.abstractmethod
    def q_values(
        self, state: StateType, observation: ObsType
    ) -> tuple[StateType, Float[Array, " n"]]:
        """The Q-value of every action.

        Args:
            state: The policy state.
            observation: The current observation.

        Returns:
            `(state, q)`: the next policy state and a vector of `action_space.n` Q-values.

        Raises:
            TypeError: If `observation` does not have the structure of `observation_space`
                (the network's input shape does not match).
        """

    def __call__(
        self,
        state: StateType,
        observation: ObsType,
        *,
        action_mask: Bool[Array, " n"] | None = None,
        key: Key | None = None,
    ) -> tuple[StateType, Int[Array, ""]]:
        """Choose an action epsilon-greedily.

        With probability `epsilon` a uniformly random action among the allowed ones,
        otherwise the allowed action with the highest Q-value. Without a key, always greedy.

        Args:
            state: The policy state.
            observation: The current observation.
            action_mask: Optional boolean vector of allowed actions; masked-out actions are
                never chosen.
            key: PRNG key for exploration; `None` acts greedily.

        Returns:
            `(state, action)`: the next policy state and an `int32` action.

        Raises:
            ValueError: If `action_mask` has the wrong shape.
            equinox.EquinoxRuntimeError: If `action_mask` allows no action, eagerly and
                under `eqx.filter_jit` (under plain `jax.jit`, JAX re-raises it as its own
                runtime error with the same message).
        """
        state, q = self.q_values(state, observation)
        n = self.action_space.n
        if action_mask is not None:
            action_mask = jnp.asarray(action_mask)
            if action_mask.shape != (n,):
                raise ValueError(
                    f"{type(self).__name__}: action_mask must have shape ({n},), "
                    f"got {action_mask.shape}"
                )
            action_mask = action_mask.astype(bool)
            q = eqx.error_if(
                q,
                ~jnp.any(action_mask),
                "action_mask allows no action: at least one entry must be True",
            )
            q = jnp.where(action_mask, q, -jnp.inf)
        greedy = jnp.argmax(q).astype(jnp.int32)
        if key is None:
            return state, greedy
        # One draw serves both choices: u[0] decides whether to explore, and the largest of
        # the allowed u[1:] (i.i.d. uniforms) is a uniformly random allowed action.
        u = jax.random.uniform(key, (n + 1,))
        scores = u[1:] if action_mask is None else jnp.where(action_mask, u[1:], -1.0)
        random_action = jnp.argmax(scores).astype(jnp.int32)
        return state, jnp.where(u[0] < self.epsilon, random_action, greedy)
