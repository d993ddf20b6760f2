"""The part `Humanoid` and `HumanoidStandup` share: the model, the reset and the observation."""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
import equinox as eqx
import jax.numpy as jnp

from ..._types import Array, Float, Key
from ._terms import backend_field
from .base import AbstractMujocoEnv, MujocoEnvState


class AbstractHumanoidEnv(AbstractMujocoEnv):
    """A task on Gymnasium's humanoid models.

    The observation is ``qpos[2:]`` (``qpos`` with the positions included) and ``qvel``,
    then as included every body's inertia (``cinert[1:]``, 10 values a body) and velocity
    (``cvel[1:]``, 6), the actuator forces on the joints after the free root
    (``qfrc_actuator[6:]``) and every body's contact forces (``cfrc_ext[1:]``, 6), the
    world body left out. The reset adds uniform noise on
    ``[-reset_noise_scale, reset_noise_scale]`` to the initial positions and zero velocities.
    """

    reset_noise_scale: eqx.AbstractVar[float]
    exclude_current_positions_from_observation: eqx.AbstractVar[bool]
    include_cinert_in_observation: eqx.AbstractVar[bool]
    include_cvel_in_observation: eqx.AbstractVar[bool]
    include_qfrc_actuator_in_observation: eqx.AbstractVar[bool]
    include_cfrc_ext_in_observation: eqx.AbstractVar[bool]

    def observation_size(self) -> int:
        """The length of the observation."""
        model = self.mj_model
        bodies = model.nbody - 1
        size = model.nq + model.nv - 2 * self.exclude_current_positions_from_observation
        size += 10 * bodies * self.include_cinert_in_observation
        size += 6 * bodies * self.include_cvel_in_observation
        size += (model.nv - 6) * self.include_qfrc_actuator_in_observation
        return size + 6 * bodies * self.include_cfrc_ext_in_observation

    def initial(self, *, key: Key) -> MujocoEnvState:
        return self.noisy_initial(key, self.reset_noise_scale, normal_velocities=False)

    def observation(self, state: MujocoEnvState, *, key: Key) -> Float[Array, " obs"]:
        data = state.data
        skip = 2 if self.exclude_current_positions_from_observation else 0
        parts = [data.qpos[skip:], data.qvel]
        if self.include_cinert_in_observation:
            parts.append(backend_field(data, "cinert")[1:].ravel())
        if self.include_cvel_in_observation:
            parts.append(data.cvel[1:].ravel())
        if self.include_qfrc_actuator_in_observation:
            parts.append(data.qfrc_actuator[6:])
        if self.include_cfrc_ext_in_observation:
            parts.append(backend_field(data, "cfrc_ext")[1:].ravel())
        return jnp.concatenate(parts).astype(jnp.float32)
