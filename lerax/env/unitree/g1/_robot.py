"""The G1 robot the three tasks share: its models, settings, randomisation and sensing."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ...._types import Array, Bool, Float, Key
from ...mujoco._deps import import_mujoco
from ...mujoco._terms import backend_field
from ._model import load_g1
from .randomize import randomize_model

#: Observation noise of each component at `noise_level` 1 (uniform on [-scale, scale]),
#: those of MuJoCo Playground's G1 joystick task.
DEFAULT_NOISE_SCALES = {
    "linvel": 0.1,
    "gyro": 0.2,
    "gravity": 0.05,
    "joint_pos": 0.03,
    "joint_vel": 1.5,
}
_RANDOMISED = ("geom_friction", "dof_frictionloss", "dof_armature", "body_mass")


def _range(name: str, bounds: Any, *, positive: bool = False) -> tuple[float, float]:
    try:
        low, high = (float(bound) for bound in bounds)
    except (TypeError, ValueError):
        raise ValueError(f"G1: {name} must be a pair (low, high), got {bounds!r}") from None
    if not low <= high or (positive and low < 0):
        need = "0 <= low <= high" if positive else "low <= high"
        raise ValueError(f"G1: {name} must be (low, high) with {need}, got {bounds!r}")
    return low, high


_KINDS = {"KEY": "keyframe", "BODY": "body", "SITE": "site", "GEOM": "geom"}


def _id(mujoco: Any, model: Any, kind: Any, name: str) -> int:
    index = mujoco.mj_name2id(model, kind, name)
    if index < 0:
        what = _KINDS.get(kind.name.removeprefix("mjOBJ_"), kind.name)
        raise ValueError(f"G1: the model has no {what} named {name!r}")
    return int(index)


def robot_settings(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of `G1Robot` among a task constructor's `arguments` (its `locals()`)."""
    return {name: arguments[name] for name in _SETTINGS}


@final
class G1Robot(eqx.Module):
    """Unitree's G1 on MJX with the settings every G1 task shares.

    Built by the tasks from their keyword arguments (documented there); holds the host
    model (`mj_model`, to draw), the MJX model (`model`, physics only), the standing pose,
    the soft joint limits and the nominal values the randomisation scales.
    """

    xml_file: str = eqx.field(static=True)
    control_frequency_hz: float = eqx.field(static=True)
    action_scale: float = eqx.field(static=True)
    keyframe_name: str = eqx.field(static=True)
    soft_joint_pos_limit_factor: float = eqx.field(static=True)
    push_enable: bool = eqx.field(static=True)
    push_interval_range: tuple[float, float] = eqx.field(static=True)
    push_magnitude_range: tuple[float, float] = eqx.field(static=True)
    noise_level: float = eqx.field(static=True)
    noise_scales: tuple[tuple[str, float], ...] = eqx.field(static=True)
    friction_range: tuple[float, float] = eqx.field(static=True)
    friction_loss_scale_range: tuple[float, float] = eqx.field(static=True)
    armature_scale_range: tuple[float, float] = eqx.field(static=True)
    mass_scale_range: tuple[float, float] = eqx.field(static=True)
    torso_offset_range: tuple[float, float] = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    physics_model: Any = eqx.field(static=True)
    n_substeps: int = eqx.field(static=True)
    pelvis: int = eqx.field(static=True)
    torso: int = eqx.field(static=True)
    feet_sites: tuple[int, int] = eqx.field(static=True)
    model: Any
    keyframe_qpos: Float[Array, " nq"]
    default_pose: Float[Array, " 29"]
    joint_low: Float[Array, " 29"]
    joint_high: Float[Array, " 29"]
    foot_geoms: Bool[Array, "2 ngeom"]
    floor: Bool[Array, " ngeom"]

    def __init__(
        self,
        *,
        xml_file: str,
        control_frequency_hz: float,
        action_scale: float,
        keyframe_name: str,
        soft_joint_pos_limit_factor: float,
        push_enable: bool,
        push_interval_range: tuple[float, float],
        push_magnitude_range: tuple[float, float],
        noise_level: float,
        noise_scales: Mapping[str, float] | None,
        friction_range: tuple[float, float],
        friction_loss_scale_range: tuple[float, float],
        armature_scale_range: tuple[float, float],
        mass_scale_range: tuple[float, float],
        torso_offset_range: tuple[float, float],
    ):
        mujoco, mjx = import_mujoco()
        if not control_frequency_hz > 0:
            raise ValueError(f"G1: control_frequency_hz must be > 0, got {control_frequency_hz!r}")
        if not 0 < soft_joint_pos_limit_factor <= 1:
            raise ValueError(
                "G1: soft_joint_pos_limit_factor must be in (0, 1], got "
                f"{soft_joint_pos_limit_factor!r}"
            )
        if not action_scale > 0 or not noise_level >= 0:
            raise ValueError(
                f"G1: action_scale must be > 0 and noise_level >= 0, got {action_scale!r} and "
                f"{noise_level!r}"
            )
        scales = dict(DEFAULT_NOISE_SCALES if noise_scales is None else noise_scales)
        unknown = sorted(set(scales) - set(DEFAULT_NOISE_SCALES))
        if unknown or any(not value >= 0 for value in scales.values()):
            raise ValueError(
                f"G1: noise_scales must map some of {sorted(DEFAULT_NOISE_SCALES)} to values "
                f">= 0, got {noise_scales!r}"
            )
        self.xml_file, self.keyframe_name = xml_file, keyframe_name
        self.control_frequency_hz = float(control_frequency_hz)
        self.action_scale = float(action_scale)
        self.soft_joint_pos_limit_factor = float(soft_joint_pos_limit_factor)
        self.push_enable = bool(push_enable)
        self.push_interval_range = _range("push_interval_range", push_interval_range, positive=True)
        self.push_magnitude_range = _range(
            "push_magnitude_range", push_magnitude_range, positive=True
        )
        self.noise_level, self.noise_scales = float(noise_level), tuple(sorted(scales.items()))
        self.friction_range = _range("friction_range", friction_range, positive=True)
        self.friction_loss_scale_range = _range(
            "friction_loss_scale_range", friction_loss_scale_range, positive=True
        )
        self.armature_scale_range = _range(
            "armature_scale_range", armature_scale_range, positive=True
        )
        self.mass_scale_range = _range("mass_scale_range", mass_scale_range, positive=True)
        self.torso_offset_range = _range("torso_offset_range", torso_offset_range)

        self.mj_model, self.physics_model = load_g1(xml_file)
        model = self.physics_model
        steps = 1.0 / (self.control_frequency_hz * model.opt.timestep)
        if abs(steps - round(steps)) > 1e-6 or round(steps) < 1:
            raise ValueError(
                f"G1: control_frequency_hz {control_frequency_hz} must divide the simulation "
                f"rate {1.0 / model.opt.timestep:g} Hz into a whole number of steps"
            )
        self.n_substeps = round(steps)
        if model.nq != 36 or model.nu != 29:
            raise ValueError(
                f"G1: expected a free-floating G1 with 29 actuated joints (nq 36, nu 29), got a "
                f"model with nq {model.nq}, nu {model.nu}"
            )
        key_id = _id(mujoco, model, mujoco.mjtObj.mjOBJ_KEY, keyframe_name)
        self.keyframe_qpos = jnp.asarray(model.key_qpos[key_id], jnp.float32)
        self.default_pose = self.keyframe_qpos[7:]
        low, high = np.asarray(model.jnt_range[1:], np.float32).T
        middle, half = (low + high) / 2, (high - low) / 2 * self.soft_joint_pos_limit_factor
        self.joint_low, self.joint_high = jnp.asarray(middle - half), jnp.asarray(middle + half)
        body = mujoco.mjtObj.mjOBJ_BODY
        self.pelvis = _id(mujoco, model, body, "pelvis")
        self.torso = _id(mujoco, model, body, "torso_link")
        site = mujoco.mjtObj.mjOBJ_SITE
        self.feet_sites = (
            _id(mujoco, model, site, "left_foot"),
            _id(mujoco, model, site, "right_foot"),
        )
        feet = [_id(mujoco, model, body, f"{side}_ankle_roll_link") for side in ("left", "right")]
        self.foot_geoms = jnp.asarray(np.stack([model.geom_bodyid == foot for foot in feet]))
        floor = _id(mujoco, model, mujoco.mjtObj.mjOBJ_GEOM, "floor")
        self.floor = jnp.asarray(np.arange(model.ngeom) == floor)
        with jax.numpy_rank_promotion("allow"):
            self.model = mjx.put_model(model)

    @property
    def dt(self) -> float:
        """Seconds per control step."""
        return float(self.physics_model.opt.timestep) * self.n_substeps

    def randomized_model(self, key: Key) -> Any:
        """The MJX model with friction, friction loss, armature and masses drawn anew."""
        model = self.physics_model
        return randomize_model(
            self.model,
            key=key,
            nominal_friction_loss=model.dof_frictionloss,
            nominal_armature=model.dof_armature,
            nominal_body_mass=model.body_mass,
            torso_body_id=self.torso,
            friction_range=self.friction_range,
            friction_loss_scale_range=self.friction_loss_scale_range,
            armature_scale_range=self.armature_scale_range,
            mass_scale_range=self.mass_scale_range,
            torso_offset_range=self.torso_offset_range,
        )

    def episode_model(self, randomized: Any) -> Any:
        """The model to simulate with: ours, with the randomised fields of `randomized`.

        Only those fields come from the state, so everything else stays a constant of the
        compiled program even when the states are vmapped.
        """
        return self.model.replace(**{name: getattr(randomized, name) for name in _RANDOMISED})

    def settle(self, model: Any, qpos: Float[Array, " 36"], qvel: Float[Array, " 35"]) -> Any:
        """MJX data at `qpos`, `qvel`, with the controls holding the standing pose and
        everything derived computed (`mjx.forward`)."""
        _, mjx = import_mujoco()
        with jax.numpy_rank_promotion("allow"):
            data = mjx.make_data(self.model).replace(
                qpos=qpos.astype(jnp.float32),
                qvel=qvel.astype(jnp.float32),
                ctrl=self.default_pose,
            )
            return mjx.forward(self.episode_model(model), data)

    def simulate(self, model: Any, data: Any, action: Float[Array, " 29"]) -> Any:
        """`n_substeps` physics steps towards the joint targets ``default_pose +
        action_scale * action``, clipped to the soft joint limits."""
        _, mjx = import_mujoco()
        target = self.default_pose + self.action_scale * action
        data = data.replace(ctrl=jnp.clip(target, self.joint_low, self.joint_high))
        physics = self.episode_model(model)
        with jax.numpy_rank_promotion("allow"):
            return jax.lax.fori_loop(0, self.n_substeps, lambda _, d: mjx.step(physics, d), data)

    def pelvis_rotation(self, data: Any) -> Float[Array, "3 3"]:
        """The pelvis frame's rotation matrix (its columns are its axes in the world)."""
        return data.xmat[self.pelvis]

    def gravity(self, data: Any) -> Float[Array, " 3"]:
        """The unit gravity vector seen in the pelvis frame: ``(0, 0, -1)`` upright."""
        return self.pelvis_rotation(data).T @ jnp.array([0.0, 0.0, -1.0])

    def local_linvel(self, data: Any) -> Float[Array, " 3"]:
        """The pelvis's linear velocity in its own frame."""
        return self.pelvis_rotation(data).T @ data.qvel[:3]

    def gyro(self, data: Any) -> Float[Array, " 3"]:
        """The pelvis's angular velocity in its own frame (the free joint's ``qvel[3:6]``)."""
        return data.qvel[3:6]

    def feet_contact(self, data: Any) -> Bool[Array, " 2"]:
        """Whether each foot (left, right) touches the floor."""
        contact = backend_field(data, "contact")
        touching = contact.dist < 0.0
        geoms = contact.geom
        foot = self.foot_geoms[:, geoms[:, 0]] | self.foot_geoms[:, geoms[:, 1]]
        floor = self.floor[geoms[:, 0]] | self.floor[geoms[:, 1]]
        return jnp.any(foot & (floor & touching)[None], axis=-1)

    def feet_position(self, data: Any) -> Float[Array, "2 3"]:
        """The world positions of the foot sites (on the soles), left and right."""
        return data.site_xpos[jnp.array(self.feet_sites)]

    def fallen(self, data: Any) -> Bool[Array, ""]:
        """Whether the robot has fallen: its pelvis tilted more than 60 degrees or below
        0.35 m, or its state not finite."""
        finite = jnp.all(jnp.isfinite(data.qpos)) & jnp.all(jnp.isfinite(data.qvel))
        upright = -self.gravity(data)[2]
        return ~finite | (upright < 0.5) | (data.qpos[2] < 0.35)

    def proprioception(self, data: Any, last_action: Float[Array, " 29"], key: Key):
        """``concat(linvel, gyro, gravity, joint_pos - default_pose, joint_vel,
        last_action)``, 96 values, with the observation noise added."""
        parts = {
            "linvel": self.local_linvel(data),
            "gyro": self.gyro(data),
            "gravity": self.gravity(data),
            "joint_pos": data.qpos[7:] - self.default_pose,
            "joint_vel": data.qvel[6:],
        }
        keys = jax.random.split(key, len(parts))
        scales = dict(self.noise_scales)
        noisy = [
            value
            + self.noise_level
            * scales.get(name, 0.0)
            * jax.random.uniform(k, value.shape, jnp.float32, -1.0, 1.0)
            for k, (name, value) in zip(keys, parts.items())
        ]
        return jnp.concatenate([*noisy, last_action]).astype(jnp.float32)

    def push(self, data: Any, since_push: Float[Array, ""], key: Key) -> tuple[Any, Any]:
        """`(data, since_push)` after this step's push, if any.

        Pushes come at intervals uniform on `push_interval_range` seconds (on the grid of
        steps): after `n` steps without a push, the chance of one in the next step is the
        hazard ``1 / (n_high - n + 1)`` once `n` reaches `n_low` (certain at `n_high`), the
        bounds in steps. A push adds a velocity of a magnitude uniform on
        `push_magnitude_range` m/s in a uniform horizontal direction to the pelvis.
        """
        since_push = since_push + self.dt
        if not self.push_enable:
            return data, since_push
        low, high = (round(bound / self.dt) for bound in self.push_interval_range)
        steps = jnp.round(since_push / self.dt)
        when_key, angle_key, size_key = jax.random.split(key, 3)
        hazard = jnp.where(steps >= low, 1.0 / jnp.maximum(high - steps + 1.0, 1.0), 0.0)
        pushed = jax.random.uniform(when_key) < hazard
        angle = jax.random.uniform(angle_key, (), jnp.float32, 0.0, 2.0 * jnp.pi)
        size = jax.random.uniform(size_key, (), jnp.float32, *self.push_magnitude_range)
        kick = jnp.where(pushed, size, 0.0) * jnp.array([jnp.cos(angle), jnp.sin(angle)])
        data = data.replace(qvel=data.qvel.at[:2].add(kick))
        return data, jnp.where(pushed, 0.0, since_push)


_SETTINGS = tuple(inspect.signature(G1Robot.__init__).parameters)[1:]
