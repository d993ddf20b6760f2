"""Fixed-length rollouts in a `lax.scan`, across episode boundaries."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Array, Bool, Float, Key, PyTree
from ..env import AbstractEnvLike
from ..policy import AbstractPolicy
from ._act import act, check_bool, check_positive_int


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


class _ScanCarry(eqx.Module):
    env_state: Any
    policy_state: Any
    observation: Any


def rollout_scan(
    env: AbstractEnvLike,
    policy: AbstractPolicy,
    num_steps: int,
    *,
    key: Key,
    deterministic: bool = False,
) -> Trajectory:
    """Run `num_steps` steps with a `jax.lax.scan`, starting from a reset.

    Episodes that end are restarted by the environment's auto-reset, and the policy state is
    reset with them, so one trajectory may hold several episodes; `terminals` and
    `truncations` mark the boundaries.

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
        >>> traj = rollout_scan(env, policy, 200, key=jax.random.key(0))
        >>> traj.rewards.shape
        (200,)
    """
    check_positive_int("rollout_scan", "num_steps", num_steps)
    check_bool("rollout_scan", "deterministic", deterministic)
    return _rollout_scan(env, policy, key, num_steps, deterministic)


@eqx.filter_jit
def _rollout_scan(
    env: AbstractEnvLike, policy: AbstractPolicy, key: Key, num_steps: int, deterministic: bool
) -> Trajectory:
    env_key, policy_key, loop_key = jax.random.split(key, 3)
    env_state, observation, _ = env.reset(key=env_key)
    init = _ScanCarry(env_state, policy.reset(key=policy_key), observation)

    def body(carry: _ScanCarry, step_key: Key) -> tuple[_ScanCarry, dict[str, Any]]:
        act_key, env_key, reset_key = jax.random.split(step_key, 3)
        policy_state, action = act(
            env,
            policy,
            carry.env_state,
            carry.policy_state,
            carry.observation,
            key=act_key,
            deterministic=deterministic,
        )
        env_state, observation, reward, terminal, truncate, info = env.step(
            carry.env_state, action, key=env_key
        )
        done = terminal | truncate
        fresh = policy.reset(key=reset_key)
        policy_state = jax.tree.map(lambda a, b: jnp.where(done, a, b), fresh, policy_state)
        step = dict(
            observations=carry.observation,
            actions=action,
            rewards=reward,
            terminals=terminal,
            truncations=truncate,
            next_observations=info["final_observation"],
        )
        return _ScanCarry(env_state, policy_state, observation), step

    _, steps = jax.lax.scan(body, init, jax.random.split(loop_key, num_steps))
    return Trajectory(**steps)
