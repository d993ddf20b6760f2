"""The gait clock of a biped: one phase a foot, in ``[-pi, pi)``.

A foot's phase runs once round the circle per gait cycle; the feet start half a cycle
apart. In the first half of the cycle (phase below 0) the foot rises to the swing height,
in the second it comes down again, along cubic Bezier curves, as in MuJoCo Playground's
G1 and Berkeley Humanoid joystick tasks.
"""

from __future__ import annotations

import jax.numpy as jnp
from jaxtyping import Real

from ...._types import Array, Float


def initial_gait_phase() -> Float[Array, " 2"]:
    """The phases of the left and right foot at the start: ``[0, pi]``."""
    return jnp.array([0.0, jnp.pi], jnp.float32)


def advance_gait_phase(
    phase: Float[Array, "*batch 2"], frequency: Real[Array, "*batch"] | float, dt: float
) -> Float[Array, "*batch 2"]:
    """The phases `dt` seconds later at `frequency` cycles a second, wrapped to ``[-pi, pi)``."""
    step = 2.0 * jnp.pi * jnp.asarray(frequency, jnp.float32)[..., None] * dt
    return jnp.mod(phase + step + jnp.pi, 2.0 * jnp.pi) - jnp.pi


def gait_phase_observation(phase: Float[Array, "*batch 2"]) -> Float[Array, "*batch 4"]:
    """The phases as a policy sees them: ``concat(cos(phase), sin(phase))``, continuous
    where the phase wraps."""
    return jnp.concatenate([jnp.cos(phase), jnp.sin(phase)], axis=-1)


def _bezier(start: Float[Array, "..."], end: float, x: Float[Array, "..."]):
    """The cubic Bezier step from `start` to `end` with zero slope at both ends, x in [0, 1]."""
    return start + (end - start) * (3.0 * x**2 - 2.0 * x**3)


def desired_foot_height(
    phase: Float[Array, "*shape"], swing_height: float = 0.15
) -> Float[Array, "*shape"]:
    """The height a foot should have at `phase`: 0 at phase ``-pi``, `swing_height` at 0,
    0 again at ``pi``; smooth, with zero vertical velocity at the top and at touch-down."""
    x = (jnp.asarray(phase, jnp.float32) + jnp.pi) / (2.0 * jnp.pi)
    x = jnp.clip(x, 0.0, 1.0)
    rising = _bezier(jnp.zeros_like(x), swing_height, jnp.clip(2.0 * x, 0.0, 1.0))
    falling = _bezier(jnp.full_like(x, swing_height), 0.0, jnp.clip(2.0 * x - 1.0, 0.0, 1.0))
    return jnp.where(x <= 0.5, rising, falling)
