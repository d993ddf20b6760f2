"""Gymnasium's MuJoCo tasks (MuJoCo's C engine) as the reference lerax's MJX tasks must equal."""

from collections.abc import Callable
from typing import Any

import gymnasium
import jax
import mujoco
import numpy as np


def gymnasium_twin(
    env_id: str, state: Any, seed: int, *, newton: bool = False, **kwargs: Any
) -> Any:
    """Gymnasium's `env_id` (made with `kwargs`), unwrapped, reset with `seed` and then moved
    to the positions and velocities of the lerax state `state` (float64, as Gymnasium keeps
    them). With `newton`, its model uses the Newton solver, as lerax's humanoids do."""
    reference = gymnasium.make(env_id, **kwargs).unwrapped
    if newton:
        reference.model.opt.solver = mujoco.mjtSolver.mjSOL_NEWTON
    reference.reset(seed=seed)
    reference.set_state(
        np.asarray(state.data.qpos, np.float64), np.asarray(state.data.qvel, np.float64)
    )
    return reference


def assert_episode_matches(
    step: Callable[..., Any],
    state: Any,
    reference: Any,
    seed: int,
    *,
    atol: float,
    rtol: float,
    reward_tol: float,
    max_steps: int = 200,
) -> int:
    """Step lerax (`step(state, action, key)`) and `reference` with the same uniform actions
    in ``[-1, 1]`` until the reference terminates: observations within `atol`/`rtol`,
    rewards within `reward_tol` (0: equal), terminations equal, no truncation.

    Returns:
        The index of the terminal step (the assertions fail if none comes).
    """
    rng = np.random.default_rng(seed)
    size = reference.action_space.shape[0]
    for t in range(max_steps):
        action = rng.uniform(-1.0, 1.0, (size,)).astype(np.float32)
        state, _, reward, terminal, truncate, info = step(state, action, jax.random.key(t))
        ref_obs, ref_reward, ref_terminal, ref_truncate, _ = reference.step(action)
        np.testing.assert_allclose(info["final_observation"], ref_obs, atol=atol, rtol=rtol)
        np.testing.assert_allclose(reward, ref_reward, atol=reward_tol, rtol=reward_tol)
        assert bool(terminal) == ref_terminal and not truncate and not ref_truncate
        if ref_terminal:
            return t
    raise AssertionError(f"no termination in {max_steps} steps: the test did not check one")
