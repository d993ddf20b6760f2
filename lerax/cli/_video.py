"""Recording a greedy episode as a video (`lerax evaluate --video`)."""

from __future__ import annotations

import os
from typing import Any

import equinox as eqx
import jax

from ..callback._video import episode_states, greedy_episode


def record_greedy_episode(
    env: Any, policy: Any, path: str | os.PathLike, *, seed: int, max_steps: int
) -> int:
    """Write a video of one greedy episode (at most `max_steps` steps) to `path`.

    The episode runs compiled; its states are then drawn on the host on the environment's
    default renderer made headless, wrapped in a `VideoRenderer` at the renderer's frame
    rate (for MuJoCo tasks, the `MujocoVideoRenderer` of their default renderer). Returns
    the number of frames (the first state plus one per step).
    """
    from ..render import PygameRenderer, VideoRenderer
    from ..render.mujoco_renderer import AbstractMujocoRenderer

    initial, finals, ended = _greedy_episode(env, policy, max_steps, key=jax.random.key(seed))
    canvas = env.default_renderer()
    if isinstance(canvas, AbstractMujocoRenderer):
        video = canvas.video(path)
    else:
        fps = 30.0
        if isinstance(canvas, PygameRenderer):
            fps = canvas.fps or fps
            canvas = canvas.headless()
        video = VideoRenderer(canvas, path, fps=fps)
    with video:
        env.render_stacked(episode_states(initial, finals, ended), video)
        return video.num_frames


_greedy_episode = eqx.filter_jit(greedy_episode)
