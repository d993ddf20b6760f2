"""Recording a greedy episode as a video (`lerax evaluate --video`)."""

from __future__ import annotations

import os
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp

from .._types import Key
from ..env.base import _derive_keys


def record_greedy_episode(
    env: Any, policy: Any, path: str | os.PathLike, *, seed: int, max_steps: int
) -> int:
    """Write a video of one greedy episode (at most `max_steps` steps) to `path`.

    The episode runs compiled; its states are then drawn on the host on the environment's
    default renderer made headless, wrapped in a `VideoRenderer` at the renderer's frame
    rate. Returns the number of frames (the first state plus one per step).
    """
    from ..render import PygameRenderer, VideoRenderer

    initial, finals, ended = _greedy_episode(env, policy, jax.random.key(seed), max_steps)
    ended = jax.device_get(ended)
    steps = int(ended.argmax()) + 1 if ended.any() else max_steps
    finals = jax.tree.map(lambda leaf: leaf[:steps], jax.device_get(finals))
    canvas = env.default_renderer()
    fps = 30.0
    if isinstance(canvas, PygameRenderer):
        fps = canvas.fps or fps
        canvas = canvas.headless()
    video = VideoRenderer(canvas, path, fps=fps)
    with video:
        env.render(jax.device_get(initial), video)
        env.render_stacked(finals, video)
        return video.num_frames


@eqx.filter_jit
def _greedy_episode(env: Any, policy: Any, key: Key, max_steps: int) -> tuple[Any, Any, Any]:
    """The first state, then the state each step reached (before any auto-reset), and
    whether that step ended the episode."""
    reset_key, policy_key, loop_key = jax.random.split(key, 3)
    state, observation, _ = env.reset(key=reset_key)
    policy_state = policy.reset(key=policy_key)

    def body(carry: Any, step_key: Key) -> tuple[Any, Any]:
        state, observation, policy_state = carry
        mask_key, env_key = jax.random.split(step_key)
        mask = env.action_mask(state, key=mask_key)
        policy_state, action = policy(policy_state, observation, action_mask=mask, key=None)
        # `step` transitions with the first of its derived keys: the pre-reset state.
        final = env.transition(state, action, key=_derive_keys(env_key, 7)[0])
        state, observation, _, terminal, truncate, _ = env.step(state, action, key=env_key)
        return (state, observation, policy_state), (final, jnp.asarray(terminal | truncate))

    _, (finals, ended) = jax.lax.scan(
        body, (state, observation, policy_state), jax.random.split(loop_key, max_steps)
    )
    return state, finals, ended
