"""The G1 scene: Unitree's G1 model (29 joints) on a floor, with position actuators.

Unitree's MJCF of the G1 (BSD-3-Clause) reaches a user through a package manager: the
`mjlab` wheel on PyPI ships it with its meshes (``mjlab/asset_zoo/robots/unitree_g1``).
Only the files are read; `mjlab` itself is never imported (its dependencies, torch and
warp among them, are not needed and need not be installed: ``pip install --no-deps
mjlab``). The shipped model has no floor, actuators or keyframes; `scene_spec` adds them
with `mujoco.MjSpec`:

- a floor plane; every collision geom of the robot touches the floor but not the robot
  (no self-collision); the 14 foot capsules with friction 0.6 and condim 3,
  the rest frictionless (condim 1), as mjlab's G1 collision set without self-collision;
- a position actuator on every joint, its gains those of a second-order system of
  natural frequency 10 Hz and damping ratio 2 over the motor's reflected inertia (which
  also becomes the joint's armature), its force limited to the motor's peak torque; the
  reflected inertias are those of Unitree's motors (5020, 7520-14, 7520-22, 4010) through
  their two-stage planetary gears; the ankles and the waist's pitch and roll, driven by
  two 5020 motors through a linkage, count twice;
- a friction loss of 0.1 N m on every joint (our choice: it gives the randomisation of
  friction loss something to scale);
- the keyframes `knees_bent` (the standing pose of the tasks) and `home`;
- MuJoCo options: timestep 0.004 s, Newton solver, 10 iterations, 8 line-search ones.

A user with another G1 model (MuJoCo Menagerie's ``unitree_g1/scene_mjx.xml``) passes its
path as `xml_file`; it must name its joints, the pelvis, the torso and the ankle bodies as
Unitree does, have a position actuator on each of the 29 joints and the keyframe asked for.
"""

from __future__ import annotations

import importlib.util
import math
from functools import partial
from pathlib import Path
from typing import Any

from ...mujoco._deps import import_mujoco

SCENE = "scene_mjx.xml"
INSTALL = 'pip install --no-deps "mjlab>=1.6.0"'
_NATURAL_FREQUENCY = 2.0 * math.pi * 10.0
_DAMPING_RATIO = 2.0


def _reflected_inertia(rotor: tuple[float, float, float], gears: tuple[float, float]) -> float:
    """The inertia a two-stage planetary gearbox reflects to its output shaft."""
    first, second = gears
    return rotor[0] * (first * second) ** 2 + rotor[1] * second**2 + rotor[2]


# (reflected inertia, peak torque) of Unitree's motors.
_MOTOR_5020 = (_reflected_inertia((0.139e-4, 0.017e-4, 0.169e-4), (1 + 46 / 18, 1 + 56 / 16)), 25.0)
_MOTOR_7520_14 = (_reflected_inertia((0.489e-4, 0.098e-4, 0.533e-4), (4.5, 1 + 48 / 22)), 88.0)
_MOTOR_7520_22 = (_reflected_inertia((0.489e-4, 0.109e-4, 0.738e-4), (4.5, 5.0)), 139.0)
_MOTOR_4010 = (_reflected_inertia((0.068e-4, 0.0, 0.0), (5.0, 5.0)), 5.0)
_TWO_5020 = (2.0 * _MOTOR_5020[0], 2.0 * _MOTOR_5020[1])

# The joint-name endings each motor drives.
_MOTORS = (
    (("elbow", "shoulder_pitch", "shoulder_roll", "shoulder_yaw", "wrist_roll"), _MOTOR_5020),
    (("hip_pitch", "hip_yaw", "waist_yaw"), _MOTOR_7520_14),
    (("hip_roll", "knee"), _MOTOR_7520_22),
    (("wrist_pitch", "wrist_yaw"), _MOTOR_4010),
    (("waist_pitch", "waist_roll", "ankle_pitch", "ankle_roll"), _TWO_5020),
)

# Keyframe joint angles (radians); joints not named are at 0.
_KEYFRAMES = {
    "knees_bent": (
        0.76,
        {
            "hip_pitch": -0.312,
            "knee": 0.669,
            "ankle_pitch": -0.363,
            "elbow": 0.6,
            "shoulder_pitch": 0.2,
            "left_shoulder_roll": 0.2,
            "right_shoulder_roll": -0.2,
        },
    ),
    "home": (
        0.783675,
        {
            "hip_pitch": -0.1,
            "knee": 0.3,
            "ankle_pitch": -0.2,
            "shoulder_pitch": 0.2,
            "elbow": 1.28,
            "left_shoulder_roll": 0.2,
            "right_shoulder_roll": -0.2,
        },
    ),
}


def robot_path() -> Path:
    """The path of Unitree's G1 MJCF in the installed `mjlab` package.

    Raises:
        ImportError: If `mjlab` is not installed, saying how to install it.
    """
    found = importlib.util.find_spec("mjlab")
    if found is None or not found.submodule_search_locations:
        raise ImportError(
            "lerax.env.unitree.g1 reads Unitree's G1 model from the mjlab package, which is "
            f"not installed: {INSTALL} (or pass xml_file= the path of a G1 scene)"
        )
    root = Path(next(iter(found.submodule_search_locations)))
    path = root / "asset_zoo" / "robots" / "unitree_g1" / "xmls" / "g1.xml"
    if not path.is_file():
        raise ImportError(f"the installed mjlab has no G1 model at {path}: {INSTALL}")
    return path


def _motor(joint: str) -> tuple[float, float]:
    for endings, motor in _MOTORS:
        if any(joint.endswith(f"{ending}_joint") for ending in endings):
            return motor
    raise ValueError(f"G1 scene: no motor known for joint {joint!r}")


def _joint_angle(joint: str, angles: dict[str, float]) -> float:
    stem = joint.removesuffix("_joint")
    matches = [angle for name, angle in angles.items() if stem == name or stem.endswith(f"_{name}")]
    return matches[0] if matches else 0.0


def scene_spec() -> Any:
    """The `mujoco.MjSpec` of the G1 scene built on `mjlab`'s G1 model (see the module)."""
    mujoco, _ = import_mujoco()
    spec = mujoco.MjSpec.from_file(str(robot_path()))
    spec.option.timestep = 0.004
    spec.option.solver = mujoco.mjtSolver.mjSOL_NEWTON
    spec.option.iterations = 10
    spec.option.ls_iterations = 8
    floor = spec.worldbody.add_geom(
        name="floor", type=mujoco.mjtGeom.mjGEOM_PLANE, size=[0.0, 0.0, 0.05]
    )
    floor.contype, floor.conaffinity, floor.condim = 1, 1, 3
    spec.worldbody.add_light(pos=[0.0, 0.0, 3.0], dir=[0.0, 0.0, -1.0])
    for geom in spec.geoms:
        if geom.name.endswith("_collision"):
            foot = "_foot" in geom.name
            geom.contype, geom.conaffinity = 0, 1
            geom.condim = 3 if foot else 1
            geom.priority = 1 if foot else 0
            if foot:
                geom.friction = [0.6, geom.friction[1], geom.friction[2]]
    joints = [joint for joint in spec.joints if joint.type == mujoco.mjtJoint.mjJNT_HINGE]
    for joint in joints:
        inertia, torque = _motor(joint.name)
        joint.armature = inertia
        joint.frictionloss = 0.1
        actuator = spec.add_actuator(name=joint.name.removesuffix("_joint"), target=joint.name)
        actuator.trntype = mujoco.mjtTrn.mjTRN_JOINT
        actuator.set_to_position(
            kp=inertia * _NATURAL_FREQUENCY**2,
            kv=2.0 * _DAMPING_RATIO * inertia * _NATURAL_FREQUENCY,
        )
        actuator.ctrllimited = mujoco.mjtLimited.mjLIMITED_TRUE
        actuator.ctrlrange = list(joint.range)
        actuator.forcelimited = mujoco.mjtLimited.mjLIMITED_TRUE
        actuator.forcerange = [-torque, torque]
    for name, (height, angles) in _KEYFRAMES.items():
        pose = [_joint_angle(joint.name, angles) for joint in joints]
        spec.add_key(name=name, qpos=[0.0, 0.0, height, 1.0, 0.0, 0.0, 0.0, *pose], ctrl=pose)
    return spec


def physics_only(spec: Any) -> Any:
    """`spec` without what only drawing needs (visual geoms, meshes, lights, sensors), for
    MJX: the G1's meshes alone are 200,000 vertices the simulation never reads."""
    for geom in list(spec.geoms):
        if geom.contype == 0 and geom.conaffinity == 0:
            spec.delete(geom)
    for mesh in list(spec.meshes):
        spec.delete(mesh)
    for sensor in list(spec.sensors):
        spec.delete(sensor)
    for light in list(spec.lights):
        spec.delete(light)
    return spec


def load_g1(xml_file: str) -> tuple[Any, Any]:
    """`(host model, physics model)`: the compiled `mujoco.MjModel` to draw and the one to
    simulate (the same bodies, joints and actuators, without visual geoms and meshes).

    Raises:
        FileNotFoundError: If `xml_file` is neither `"scene_mjx.xml"` nor a file.
    """
    mujoco, _ = import_mujoco()
    if xml_file == SCENE and not Path(xml_file).is_file():
        make_spec = scene_spec
    else:
        path = Path(xml_file).expanduser()
        if not path.is_file():
            raise FileNotFoundError(
                f"G1: xml_file {xml_file!r} is not a file (the default {SCENE!r} builds the "
                "scene from the G1 model in the mjlab package)"
            )
        make_spec = partial(mujoco.MjSpec.from_file, str(path))
    # Two specs rather than a copy: parsing is cheap (meshes load when compiling), and
    # compiling a copied spec is slower than compiling a fresh one.
    return make_spec().compile(), physics_only(make_spec()).compile()
