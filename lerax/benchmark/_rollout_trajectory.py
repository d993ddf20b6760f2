"""Fixed-length rollouts in a `lax.scan`, across episode boundaries, kept step by step."""

from __future__ import annotations

from typing import final

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Bool, Float, Key, PyTree
from ..algorithm._collector import Collector, policy_act
from ..callback import EmptyCallback
from ..env import AbstractEnvLike
from ..policy import AbstractPolicy
from ._act import check_bool, check_positive_int


@final
class Trajectory(eqx.Module):
    """A fixed-length rollout; every field has a leading axis of `num_steps`.

    Attributes:
        observations: The observation each action was chosen from.
        actions: The actions taken.
        rewards: The rewards received (`float32`).
        terminals: Whether the step ended the episode in a terminal state.
        truncations: Whether the step ended the episode by truncation.
        next_observations: The observation reached by the step, before any auto-reset
            (at an episode end, the final observation of that episode).
    """

    observations: PyTree[Array]
    actions: PyTree[Array]
    rewards: Float[Array, " steps"]
    terminals: Bool[Array, " steps"]
    truncations: Bool[Array, " steps"]
    next_observations: PyTree[Array]


def rollout_trajectory(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    num_steps: int,
    *,
    key: Key,
    deterministic: bool = False,
) -> Trajectory:
    """Run `num_steps` steps with a `jax.lax.scan`, starting from a reset, and keep them all.

    Episodes that end are restarted by the environment's auto-reset, and the policy state is
    reset with them, so one trajectory may hold several episodes; `terminals` and
    `truncations` mark the boundaries. (For the summed reward of one episode, see
    `rollout_scan`.)

    Args:
        env: The environment (or wrapped environment).
        policy: The policy to run.
        num_steps: Number of steps, at least 1.
        key: PRNG key.
        deterministic: If `True`, call the policy with `key=None`.

    Returns:
        The `Trajectory` of the rollout.

    Raises:
        ValueError: If `num_steps` is not positive.
        TypeError: If `num_steps` is not an int or `deterministic` not a bool.

    Example:
        >>> traj = rollout_trajectory(env, policy, 200, key=jax.random.key(0))
        >>> traj.rewards.shape
        (200,)
    """
    check_positive_int("rollout_trajectory", "num_steps", num_steps)
    check_bool("rollout_trajectory", "deterministic", deterministic)
    return _rollout_trajectory(env, policy, key, num_steps, deterministic)


@eqx.filter_jit
def _rollout_trajectory(
    env: AbstractEnvLike, policy: AbstractPolicy, key: Key, num_steps: int, deterministic: bool
) -> Trajectory:
    reset_key, loop_key = jax.random.split(key)
    collector = Collector(1)
    start = collector.reset(env, policy, key=reset_key)
    _, _, records = collector.rollout(
        env,
        policy,
        policy_act(policy, deterministic=deterministic),
        start,
        EmptyCallback(),
        None,
        jnp.zeros((), jnp.int32),
        num_steps,
        key=loop_key,
    )
    records = jax.tree.map(lambda x: x[:, 0], records)
    return Trajectory(
        observations=records.observation,
        actions=records.action,
        rewards=records.reward,
        terminals=records.terminal,
        truncations=records.truncation,
        next_observations=records.next_observation,
    )
