"""The base of the MuJoCo tasks: physics on MJX, the functional environment API on top."""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ..._types import Array, Float, Key
from ...render.base import AbstractRenderer
from ...render.mujoco_renderer import (
    AbstractHasDefaultCamera,
    AbstractMujocoRenderer,
    MujocoRenderer,
    model_camera,
)
from ...space import Box
from ..base import AbstractEnv, AbstractEnvState
from ._deps import import_mujoco, model_path


@final
class MujocoEnvState(AbstractEnvState):
    """State of a MuJoCo task: MJX's `Data` (positions, velocities and everything derived).

    Attributes:
        data: The `mujoco.mjx.Data` of the simulation.
    """

    data: Any


class AbstractMujocoEnv(AbstractEnv[MujocoEnvState, Float[Array, " act"], Any, None]):
    """A MuJoCo task simulated by MJX (MuJoCo in JAX): jittable, vmappable, differentiable.

    Subclasses declare the model (`xml_file`, `frame_skip`) and implement the task:
    `initial`, `observation`, `reward` and `terminal`. Shared here: loading the model into
    MJX, the action space from the actuators' control ranges, and `transition`, which sets
    the controls and takes `frame_skip` physics steps as Gymnasium's `do_simulation` does.

    Attributes:
        xml_file: The MJCF model: a path, or the name of a model Gymnasium ships.
        frame_skip: Physics steps per environment step.
        mj_model: The compiled `mujoco.MjModel` (on the host).
        model: The `mujoco.mjx.Model` on the device.
        contact_forces: Whether the task reads the bodies' contact forces (`cfrc_ext`), which
            MuJoCo computes only on request: `transition` then computes them after the
            physics steps, as Gymnasium does after `do_simulation`.
    """

    contact_forces: eqx.AbstractClassVar[bool]
    xml_file: eqx.AbstractVar[str]
    frame_skip: eqx.AbstractVar[int]
    mj_model: eqx.AbstractVar[Any]
    model: eqx.AbstractVar[Any]

    @property
    def dt(self) -> float:
        """Seconds per environment step: the model's timestep times `frame_skip`."""
        return float(self.mj_model.opt.timestep) * self.frame_skip

    def transition(
        self, state: MujocoEnvState, action: Float[Array, " act"], *, key: Key
    ) -> MujocoEnvState:
        """Set the controls to `action` and take `frame_skip` MJX steps."""
        _, mjx = import_mujoco()
        ctrl = jnp.asarray(action, jnp.float32).reshape(self.action_space.shape)
        data = state.data.replace(ctrl=ctrl)
        # MJX relies on NumPy-style rank promotion, which a user (or lerax's tests) may have
        # set to raise.
        with jax.numpy_rank_promotion("allow"):
            data = jax.lax.fori_loop(0, self.frame_skip, lambda _, d: mjx.step(self.model, d), data)
            if self.contact_forces:
                data = mjx.rne_postconstraint(self.model, data)
        return MujocoEnvState(data)

    def with_state(self, qpos: Float[Array, " nq"], qvel: Float[Array, " nv"]) -> MujocoEnvState:
        """The state at positions `qpos` and velocities `qvel` (Gymnasium's `set_state`),
        with MJX's forward pass run so that everything derived is up to date."""
        _, mjx = import_mujoco()
        with jax.numpy_rank_promotion("allow"):
            data = mjx.make_data(self.model).replace(
                qpos=jnp.asarray(qpos, jnp.float32), qvel=jnp.asarray(qvel, jnp.float32)
            )
            return MujocoEnvState(mjx.forward(self.model, data))

    def noisy_initial(self, key: Key, scale: float, *, normal_velocities: bool) -> MujocoEnvState:
        """Gymnasium's `reset_model` noise: the model's initial positions plus uniform noise
        on ``[-scale, scale]``; zero velocities plus the same uniform noise, or plus
        standard normal noise times `scale` (`normal_velocities`)."""
        qpos_key, qvel_key = jax.random.split(key)
        model = self.mj_model
        qpos = jnp.asarray(model.qpos0, jnp.float32)
        qpos = qpos + jax.random.uniform(qpos_key, (model.nq,), jnp.float32, -scale, scale)
        if normal_velocities:
            qvel = jax.random.normal(qvel_key, (model.nv,), jnp.float32) * scale
        else:
            qvel = jax.random.uniform(qvel_key, (model.nv,), jnp.float32, -scale, scale)
        return self.with_state(qpos, qvel)

    def render(self, state: MujocoEnvState, renderer: AbstractRenderer) -> None:
        """Draw `state` as one frame of a MuJoCo renderer (`lerax.render.mujoco_renderer`).

        Raises:
            TypeError: If `renderer` is not an `AbstractMujocoRenderer`.
        """
        draw(self.name, self.mj_model, state.data, renderer)

    def default_renderer(self) -> MujocoRenderer:
        """A 480 x 480 `MujocoRenderer` at the task's frame rate (`1 / dt`), as Gymnasium's.

        Its camera is the one the task declares (`AbstractHasDefaultCamera`), else the one
        Gymnasium shows by default: the model's camera named `track` if it has one, else
        the free camera.
        """
        if isinstance(self, AbstractHasDefaultCamera):
            camera = self.default_camera()
        else:
            camera = model_camera(self.mj_model)
        return MujocoRenderer(480, 480, camera, fps=1.0 / self.dt)


def draw(name: str, mj_model: Any, data: Any, renderer: AbstractRenderer) -> None:
    """Draw the MuJoCo state `data` of `mj_model` as one frame of `renderer`.

    Raises:
        TypeError: If `renderer` is not an `AbstractMujocoRenderer`.
    """
    if not isinstance(renderer, AbstractMujocoRenderer):
        raise TypeError(
            f"{name}: MuJoCo tasks draw on a lerax.render.mujoco_renderer renderer "
            f"(e.g. env.default_renderer().headless()), got {type(renderer).__name__}"
        )
    renderer.clear()
    renderer.scene(mj_model, data)
    renderer.draw()


def load_model(
    name: str, xml_file: str, frame_skip: int, *, newton: bool = False
) -> tuple[Any, Any, Box]:
    """`(mj_model, mjx_model, action_space)` for a task's model file.

    With `newton`, the constraint solver is set to Newton in both models: MJX implements
    only the CG and Newton solvers, not the PGS solver some of Gymnasium's models ask for.

    Raises:
        ValueError: If `frame_skip` is not a positive int.
        FileNotFoundError: If the model file does not exist.
    """
    if isinstance(frame_skip, bool) or not isinstance(frame_skip, int) or frame_skip < 1:
        raise ValueError(f"{name}: frame_skip must be a positive int, got {frame_skip!r}")
    mujoco, mjx = import_mujoco()
    mj_model = mujoco.MjModel.from_xml_path(str(model_path(xml_file)))
    if newton:
        mj_model.opt.solver = mujoco.mjtSolver.mjSOL_NEWTON
    low, high = np.asarray(mj_model.actuator_ctrlrange, np.float32).T
    limited = np.asarray(mj_model.actuator_ctrllimited, bool)
    low = np.where(limited, low, -np.inf)
    high = np.where(limited, high, np.inf)
    return mj_model, mjx.put_model(mj_model), Box(low, high)


def check_reset_noise_scale(name: str, scale: float) -> float:
    """`scale` as a float, or a `ValueError` unless it is >= 0."""
    if not scale >= 0:
        raise ValueError(f"{name}: reset_noise_scale must be >= 0, got {scale!r}")
    return float(scale)


def positions_and_velocities(data: Any, skip: int) -> Float[Array, " obs"]:
    """``concat(qpos[skip:], qvel)`` in float32, the observation of the locomotion tasks."""
    return jnp.concatenate([data.qpos[skip:], data.qvel]).astype(jnp.float32)


def forward_reward(
    env: AbstractMujocoEnv,
    state: MujocoEnvState,
    action: Any,
    next_state: MujocoEnvState,
    forward_reward_weight: float,
    ctrl_cost_weight: float,
) -> Float[Array, ""]:
    """``forward_reward_weight * x_velocity - ctrl_cost_weight * sum(action^2)``, the
    velocity being the root's x displacement over the step divided by `dt`."""
    x_velocity = (next_state.data.qpos[0] - state.data.qpos[0]) / env.dt
    ctrl_cost = ctrl_cost_weight * jnp.sum(jnp.square(jnp.asarray(action)))
    return forward_reward_weight * x_velocity - ctrl_cost
