"""Helpers that read drawings back from frames."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np


def with_y(env, y, key=jax.random.key(0)):
    """An initial state of `env` with its physical vector replaced by `y`."""
    state = env.initial(key=key)
    return type(state)(y=jnp.asarray(y, jnp.float32), t=state.t)


def frame_of(env, state):
    """`env` drawing `state` on its default canvas, off-screen: `uint8[H, W, 3]`."""
    renderer = env.default_renderer().headless()
    env.render(state, renderer)
    return renderer.as_array()


def pixels_of(frame, rgb, tolerance=8):
    """`(rows, columns)` of the pixels of colour `rgb` (within `tolerance` per channel)."""
    close = np.abs(frame.astype(int) - np.array(rgb)).max(axis=-1) <= tolerance
    return np.nonzero(close)
