"""Domain randomisation of an MJX model, and noise on actions and observations.

Each function takes an explicit key and returns a new model (or array); vmapped over keys
they give a batch of models, one for each environment. The ranges are those of MuJoCo
Playground's G1 tasks: sliding friction in ``[0.4, 1]``, joint friction loss scaled by
``[0.5, 2]``, armature by ``[1, 1.05]``, body masses by ``[0.9, 1.1]`` and the torso's mass
offset by ``[-1, 1]`` kg.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp

from ...._types import Array, ArrayLike, Float, Key


def _check_range(name: str, bounds: tuple[float, float]) -> tuple[float, float]:
    low, high = (float(bound) for bound in bounds)
    if not low <= high:
        raise ValueError(f"{name} must be (low, high) with low <= high, got {bounds!r}")
    return low, high


def _uniform(key: Key, shape: tuple[int, ...], name: str, bounds: tuple[float, float]):
    low, high = _check_range(name, bounds)
    return jax.random.uniform(key, shape, jnp.float32, low, high)


def _scaled(
    key: Key, nominal: Float[ArrayLike, " n"], name: str, bounds: tuple[float, float]
) -> Float[Array, " n"]:
    nominal = jnp.asarray(nominal, jnp.float32)
    return nominal * _uniform(key, nominal.shape, name, bounds)


def randomize_friction(
    model: Any, *, key: Key, friction_range: tuple[float, float] = (0.4, 1.0)
) -> Any:
    """`model` with the sliding friction of every geom set to one uniform draw from
    `friction_range` (MuJoCo takes a contact's friction from its geoms, so every contact
    then has it); the torsional and rolling coefficients are kept."""
    friction = _uniform(key, (), "friction_range", friction_range)
    return model.replace(geom_friction=model.geom_friction.at[:, 0].set(friction))


def randomize_friction_loss(
    model: Any,
    *,
    key: Key,
    nominal_friction_loss: Float[ArrayLike, " nv"],
    scale_range: tuple[float, float] = (0.5, 2.0),
) -> Any:
    """`model` with each degree of freedom's friction loss its nominal value times a
    uniform draw from `scale_range`."""
    scaled = _scaled(key, nominal_friction_loss, "scale_range", scale_range)
    return model.replace(dof_frictionloss=scaled)


def randomize_armature(
    model: Any,
    *,
    key: Key,
    nominal_armature: Float[ArrayLike, " nv"],
    scale_range: tuple[float, float] = (1.0, 1.05),
) -> Any:
    """`model` with each degree of freedom's armature its nominal value times a uniform draw
    from `scale_range`."""
    return model.replace(dof_armature=_scaled(key, nominal_armature, "scale_range", scale_range))


def randomize_body_mass(
    model: Any,
    *,
    key: Key,
    nominal_body_mass: Float[ArrayLike, " nbody"],
    scale_range: tuple[float, float] = (0.9, 1.1),
    torso_body_id: int,
    torso_offset_range: tuple[float, float] = (-1.0, 1.0),
) -> Any:
    """`model` with each body's mass its nominal value times a uniform draw from
    `scale_range`, and the torso's (`torso_body_id`) then offset by a uniform draw from
    `torso_offset_range` (kilograms)."""
    scale_key, offset_key = jax.random.split(key)
    mass = _scaled(scale_key, nominal_body_mass, "scale_range", scale_range)
    offset = _uniform(offset_key, (), "torso_offset_range", torso_offset_range)
    return model.replace(body_mass=mass.at[torso_body_id].add(offset))


def randomize_model(
    model: Any,
    *,
    key: Key,
    nominal_friction_loss: Float[ArrayLike, " nv"],
    nominal_armature: Float[ArrayLike, " nv"],
    nominal_body_mass: Float[ArrayLike, " nbody"],
    torso_body_id: int,
    friction_range: tuple[float, float] = (0.4, 1.0),
    friction_loss_scale_range: tuple[float, float] = (0.5, 2.0),
    armature_scale_range: tuple[float, float] = (1.0, 1.05),
    mass_scale_range: tuple[float, float] = (0.9, 1.1),
    torso_offset_range: tuple[float, float] = (-1.0, 1.0),
) -> Any:
    """`model` with friction, friction loss, armature and body masses all randomised, each
    from its own part of `key`."""
    friction_key, loss_key, armature_key, mass_key = jax.random.split(key, 4)
    model = randomize_friction(model, key=friction_key, friction_range=friction_range)
    model = randomize_friction_loss(
        model,
        key=loss_key,
        nominal_friction_loss=nominal_friction_loss,
        scale_range=friction_loss_scale_range,
    )
    model = randomize_armature(
        model, key=armature_key, nominal_armature=nominal_armature, scale_range=armature_scale_range
    )
    return randomize_body_mass(
        model,
        key=mass_key,
        nominal_body_mass=nominal_body_mass,
        scale_range=mass_scale_range,
        torso_body_id=torso_body_id,
        torso_offset_range=torso_offset_range,
    )


def add_action_noise(
    action: Float[Array, "*shape"], *, key: Key, scale: float = 0.0
) -> Float[Array, "*shape"]:
    """`action` plus standard normal noise times `scale` (unchanged at the default 0)."""
    if scale < 0:
        raise ValueError(f"scale must be >= 0, got {scale!r}")
    return action + scale * jax.random.normal(key, jnp.shape(action), jnp.result_type(action))


def add_observation_noise(
    observation: Float[Array, "*batch obs"],
    *,
    key: Key,
    noise_level: float = 1.0,
    noise_scales: Mapping[str, float],
    component_slices: Mapping[str, slice],
) -> Float[Array, "*batch obs"]:
    """`observation` with uniform noise on ``[-1, 1]`` times ``noise_level *
    noise_scales[name]`` added to each component `name` (the entries
    `component_slices[name]`); components without a scale are left as they are.

    Raises:
        KeyError: If a noise scale names a component that has no slice.
    """
    unknown = sorted(set(noise_scales) - set(component_slices))
    if unknown:
        raise KeyError(f"noise_scales names components without a slice: {unknown}")
    scale = jnp.zeros(jnp.shape(observation), jnp.float32)
    for name, value in noise_scales.items():
        scale = scale.at[..., component_slices[name]].set(noise_level * value)
    noise = jax.random.uniform(key, jnp.shape(observation), jnp.float32, -1.0, 1.0)
    return observation + scale * noise
