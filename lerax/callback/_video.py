"""Evaluation videos: a greedy episode rolled out in JAX, drawn into frames on the host.

`LoggingCallback` rolls the episode out inside the compiled training loop and draws it on
the host; `lerax evaluate --video` rolls it out in a compiled call of its own and writes it
to a file. Both use `greedy_episode` and `episode_states`.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.core import Tracer
from jaxtyping import UInt8

from .._types import Array, Bool, Key
from ..env.base import _derive_keys


def greedy_episode(
    env: Any, policy: Any, num_steps: int, *, key: Key
) -> tuple[Any, Any, Bool[Array, " steps"]]:
    """Roll out one greedy episode of `num_steps` steps (a `lax.scan`, traceable).

    The policy acts deterministically (`key=None`). The environment still auto-resets, so
    the steps after the first end of an episode belong to the next one; `episode_states`
    cuts them off.

    Args:
        env: The environment.
        policy: The policy.
        num_steps: Steps to take (static).
        key: PRNG key for the reset and the environment's randomness.

    Returns:
        `(initial, finals, ended)`: the first state; the state each step reached (before
        any auto-reset), stacked along a leading axis of `num_steps`; and whether that step
        ended the episode (`bool[num_steps]`).
    """
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
        body, (state, observation, policy_state), jax.random.split(loop_key, num_steps)
    )
    return state, finals, ended


def episode_states(initial: Any, finals: Any, ended: Any) -> Any:
    """The states of the first episode of a `greedy_episode` rollout, stacked, on the host.

    The first state, then one per step up to and including the step that ended the episode
    (every step when none did).
    """
    ended = np.asarray(jax.device_get(ended))
    steps = int(ended.argmax()) + 1 if ended.any() else len(ended)
    return jax.tree.map(
        lambda first, rest: np.concatenate([np.asarray(first)[None], np.asarray(rest)[:steps]]),
        jax.device_get(initial),
        jax.device_get(finals),
    )


def video_canvas(env: Any, width: int, height: int) -> Any:
    """An off-screen renderer of `width` by `height` showing what `env`'s own shows.

    A 2-D default renderer's view is scaled to fit and centred; a MuJoCo task's is drawn
    off-screen from the same camera.

    Raises:
        ValueError: If `env` cannot draw itself.
        TypeError: If its default renderer is neither a 2-D nor a MuJoCo renderer.
    """
    from ..render import (
        WHITE,
        Abstract2DRenderer,
        AbstractPygameRenderer,
        HeadlessPygameRenderer,
        Transform,
    )
    from ..render.mujoco_renderer import AbstractMujocoRenderer, HeadlessMujocoRenderer

    default = default_renderer_of(env)
    if isinstance(default, AbstractMujocoRenderer):
        return HeadlessMujocoRenderer(width, height, default.camera)
    if not isinstance(default, Abstract2DRenderer):
        raise TypeError(
            f"{env.name}: evaluation videos need a 2-D or MuJoCo default renderer, got "
            f"{type(default).__name__}"
        )
    view = default.transform
    fit = min(width / view.width, height / view.height)
    margin = ((width - view.width * fit) / 2, (height - view.height * fit) / 2)
    transform = Transform(
        width,
        height,
        view.scale * fit,
        (view.offset[0] * fit + margin[0], view.offset[1] * fit + margin[1]),
        y_up=view.y_up,
    )
    background = default.background_color if isinstance(default, AbstractPygameRenderer) else WHITE
    return HeadlessPygameRenderer(width, height, background, transform)


def default_renderer_of(env: Any) -> Any:
    """`env.default_renderer()`, or a `ValueError` that says the environment cannot draw.

    Works on an environment whose array leaves are traced (at trace time): they are
    replaced by ones of the same shape, as only the renderer's kind is wanted then.
    """
    if any(isinstance(leaf, Tracer) for leaf in jax.tree.leaves(env)):
        env = jax.tree.map(
            lambda leaf: np.ones(leaf.shape, leaf.dtype) if isinstance(leaf, Tracer) else leaf,
            env,
        )
    try:
        return env.default_renderer()
    except NotImplementedError as e:
        raise ValueError(
            f"LoggingCallback: video_interval > 0 records evaluation videos, but {env.name} "
            f"cannot draw itself ({e}); use video_interval=0, or pass an environment that "
            "renders (e.g. lerax.env.classic_control.CartPole) as env="
        ) from e


def draw_frames(env: Any, states: Any, canvas: Any) -> UInt8[np.ndarray, "time height width 3"]:
    """Draw stacked host `states` on `canvas`, one frame each: `uint8[T, H, W, 3]`."""
    length = len(jax.tree.leaves(states)[0])
    frames = []
    with canvas:
        for i in range(length):
            env.render(jax.tree.map(lambda leaf, i=i: leaf[i], states), canvas)
            frames.append(canvas.as_array())
    return np.stack(frames)
