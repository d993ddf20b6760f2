"""The G1 tasks: construction, spaces, one compiled program of vmapped resets and steps
each, randomisation within its ranges, falls, pushes and commands.

The G1 model comes from the `mjlab` package (installed without its dependencies by the
README's test command). Each task compiles one program (about a minute on 2 cores).
"""

from functools import cache
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import mujoco
import numpy as np
import pytest

from lerax.env.unitree.g1 import (
    DEFAULT_REWARD_WEIGHTS,
    G1EnvState,
    G1Locomotion,
    G1Standing,
    G1Standup,
    gait,
)
from lerax.env.unitree.g1._model import robot_path

KNEES_BENT = np.array(
    [-0.312, 0, 0, 0.669, -0.363, 0] * 2
    + [0, 0, 0]
    + [0.2, 0.2, 0, 0.6, 0, 0, 0]
    + [0.2, -0.2, 0, 0.6, 0, 0, 0],
    np.float32,
)


def _outputs(state: G1EnvState) -> dict[str, Any]:
    data = state.sim_state
    return {
        "qpos": data.qpos,
        "qvel": data.qvel,
        "pelvis_xmat": data.xmat[1],
        "friction": state.model.geom_friction[:, 0],
        "frictionloss": state.model.dof_frictionloss,
        "armature": state.model.dof_armature,
        "mass": state.model.body_mass,
        "step_count": state.step_count,
        "gait_phase": state.gait_phase,
        "gait_frequency": state.gait_frequency,
        "command": state.command,
        "last_action": state.last_action,
        "contact": state.last_contact,
    }


@cache
def run(cls: type, num_envs: int, steps: int, seed: int = 0):
    """Reset `num_envs` environments and step them `steps` times with zero actions, in one
    compiled program; returns (traces, reset outputs, step outputs, final states)."""
    env = cls()
    traces = []

    def episode(key):
        traces.append(1)
        state, obs, _ = env.reset(key=key)

        def step(state, key):
            state, obs, reward, terminal, truncate, info = env.step(state, jnp.zeros(29), key=key)
            return state, (obs, reward, terminal, info["done"], _outputs(state))

        final, stepped = jax.lax.scan(step, state, jax.random.split(key, steps))
        return (obs, _outputs(state)), stepped, final

    keys = jax.random.split(jax.random.key(seed), num_envs)
    result = jax.tree.map(np.asarray, jax.jit(jax.vmap(episode))(keys))
    return env, len(traces), *result


def test_model_comes_from_mjlab_without_importing_it():
    import sys

    assert robot_path().name == "g1.xml" and "mjlab" in str(robot_path())
    env = G1Standing()
    assert "mjlab" not in sys.modules  # only its files are read
    host, physics = env.mj_model, env.robot.physics_model
    assert (host.nq, host.nv, host.nu) == (physics.nq, physics.nv, physics.nu) == (36, 35, 29)
    assert physics.nmeshvert == 0 < host.nmeshvert  # the meshes only where drawing needs them
    key = mujoco.mj_name2id(host, mujoco.mjtObj.mjOBJ_KEY, "knees_bent")
    np.testing.assert_allclose(host.key_qpos[key][7:], KNEES_BENT, atol=1e-6)
    np.testing.assert_allclose(host.key_ctrl[key], KNEES_BENT, atol=1e-6)


@pytest.mark.parametrize(
    "cls, size, push", [(G1Locomotion, 103, True), (G1Standing, 96, True), (G1Standup, 97, False)]
)
def test_spaces_and_settings(cls, size, push):
    env = cls()
    assert env.observation_space.shape == (size,)
    assert env.action_space.shape == (29,)
    np.testing.assert_array_equal(env.action_space.low, -1.0)
    np.testing.assert_array_equal(env.action_space.high, 1.0)
    assert env.dt == pytest.approx(0.02) and env.robot.n_substeps == 5
    assert env.robot.push_enable is push
    assert cls(control_frequency_hz=125.0).robot.n_substeps == 2
    # Soft joint limits: 95 % of each range about its middle.
    low, high = env.robot.physics_model.jnt_range[1:].T
    np.testing.assert_allclose(
        env.robot.joint_high - env.robot.joint_low, 0.95 * (high - low), rtol=1e-5
    )


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"control_frequency_hz": 33.0}, "whole number"),
        ({"control_frequency_hz": 0.0}, "control_frequency_hz"),
        ({"soft_joint_pos_limit_factor": 0.0}, "soft_joint_pos_limit_factor"),
        ({"action_scale": -1.0}, "action_scale"),
        ({"noise_scales": {"joint_angle": 0.1}}, "noise_scales"),
        ({"push_interval_range": (5.0, 1.0)}, "push_interval_range"),
        ({"friction_range": (-0.1, 1.0)}, "friction_range"),
        ({"keyframe_name": "crouch"}, "keyframe named 'crouch'"),
        ({"reward_weights": {"speed": 1.0}}, "unknown reward terms"),
        ({"command_resample_steps": 0}, "command_resample_steps"),
        ({"zero_command_probability": 1.5}, "zero_command_probability"),
    ],
)
def test_bad_settings_raise(kwargs, error):
    with pytest.raises(ValueError, match=error):
        G1Locomotion(**kwargs)


def test_missing_model_file_raises():
    with pytest.raises(FileNotFoundError, match="no_such_scene.xml"):
        G1Standing(xml_file="no_such_scene.xml")


def test_locomotion_runs_and_terminates_on_a_fall():
    env, traces, (obs0, reset), (obs, reward, terminal, done, out), _ = run(G1Locomotion, 2, 100)
    assert traces == 1
    assert obs0.shape == (2, 103) and obs.shape == (2, 100, 103)
    assert np.isfinite(obs).all() and np.isfinite(reward).all()
    # Zero actions hold the standing pose stiffly: the robot falls over within 2 s.
    assert terminal.any(axis=1).all()
    first = terminal.argmax(axis=1)
    assert (first > 10).all()
    for e, t in enumerate(first):
        # The fall is penalised; the episode then restarts with a fresh model and command.
        expected = DEFAULT_REWARD_WEIGHTS["termination"]
        assert reward[e, t] < reward[e, t - 1] + expected / 2
        assert out["step_count"][e, t] == 0 and out["step_count"][e, t - 1] == t
        assert out["friction"][e, t, 0] != out["friction"][e, t - 1, 0]
        # Before the fall: the gait clock advances at the episode's frequency.
        expected_phase = gait.advance_gait_phase(
            gait.initial_gait_phase(), float(reset["gait_frequency"][e]), float(env.dt * t)
        )
        np.testing.assert_allclose(
            np.cos(out["gait_phase"][e, t - 1]), np.cos(expected_phase), atol=1e-4
        )
    # The observation ends with the command and the gait phases' cosines and sines.
    np.testing.assert_allclose(obs0[:, 96:99], reset["command"])
    np.testing.assert_allclose(obs0[:, 99:101], np.cos(reset["gait_phase"]), atol=1e-6)
    np.testing.assert_allclose(obs0[:, 67:96], 0.0)  # the last action, none yet


def test_standing_reward_and_randomised_resets():
    env, traces, (obs0, reset), (obs, reward, terminal, done, out), _ = run(G1Standing, 16, 40)
    assert traces == 1 and obs.shape == (16, 40, 96)
    # The reward is the documented sum, recomputed here from the states.
    upright = out["pelvis_xmat"][..., 2, 2]
    fallen = (upright < 0.5) | (out["qpos"][..., 2] < 0.35)
    pose = out["qpos"][..., 7:] - KNEES_BENT
    expected = (
        2.0 * upright
        - 0.1 * np.sum(out["qvel"][..., 6:] ** 2, -1)
        - 0.5 * np.sum(pose**2, -1)
        + 1.0
        - 100.0 * fallen
    )  # zero actions: no action-rate penalty
    alive = ~done
    np.testing.assert_allclose(reward[alive], expected[alive], rtol=1e-4, atol=1e-4)
    # Every reset draws a new model within the ranges (friction one value for all geoms).
    model = env.robot.physics_model
    friction = reset["friction"]
    assert np.ptp(friction, axis=1).max() == 0 and np.ptp(friction[:, 0]) > 0.3
    assert (0.4 <= friction).all() and (friction <= 1.0).all()
    loss = reset["frictionloss"][:, 6:] / model.dof_frictionloss[6:]
    assert (0.5 <= loss).all() and (loss <= 2.0).all() and np.ptp(loss) > 1.0
    armature = reset["armature"][:, 6:] / model.dof_armature[6:]
    assert (1.0 <= armature).all() and (armature <= 1.05 + 1e-6).all()
    torso = env.robot.torso
    others = np.delete(reset["mass"][:, 1:] / model.body_mass[1:], torso - 1, axis=1)
    assert (0.9 - 1e-6 <= others).all() and (others <= 1.1 + 1e-6).all()
    offset = reset["mass"][:, torso] - model.body_mass[torso]
    assert (np.abs(offset) <= 0.1 * model.body_mass[torso] + 1.0).all()
    # The start: the standing pose within 0.05 rad, headings all round.
    assert np.abs(reset["qpos"][:, 7:] - KNEES_BENT).max() <= 0.05 + 1e-5
    yaw = 2 * np.arctan2(reset["qpos"][:, 6], reset["qpos"][:, 3])
    assert np.ptp(np.cos(yaw)) > 1.0
    np.testing.assert_allclose(reset["command"], 0.0)
    np.testing.assert_allclose(reset["gait_frequency"], 0.0)
    # Observation: gravity in the pelvis frame, upright at the start (noise 0.05).
    np.testing.assert_allclose(obs0[:, 6:9], [[0.0, 0.0, -1.0]] * 16, atol=0.06)


def test_standup_starts_lying_and_never_terminates():
    env, traces, (obs0, reset), (obs, reward, terminal, done, out), _ = run(G1Standup, 2, 100)
    assert traces == 1 and obs.shape == (2, 100, 97)
    assert not terminal.any()
    # Dropped lying: the pelvis's front points straight up or down, from 0.5 m.
    np.testing.assert_allclose(np.abs(reset["pelvis_xmat"][:, 2, 0]), 1.0, atol=1e-5)
    np.testing.assert_allclose(reset["qpos"][:, 2], 0.5)
    np.testing.assert_allclose(obs0[:, 96], 0.5)  # the pelvis height ends the observation
    # It comes to rest on the floor, still lying.
    height = out["qpos"][:, -1, 2]
    assert (0.05 < height).all() and (height < 0.3).all()
    upright = out["pelvis_xmat"][..., 2, 2]
    expected = 1.0 * out["qpos"][..., 2] + 0.5 * upright  # zero actions cost nothing
    np.testing.assert_allclose(reward, expected, rtol=1e-4, atol=1e-4)


def test_commands_resample_on_schedule():
    env, *_, final = run(G1Locomotion, 2, 100)
    state = jax.tree.map(lambda x: jnp.asarray(x[0]), final)
    sample = eqx.filter_jit(lambda env, keys: jax.vmap(env.sample_command)(keys))
    commands = sample(env, jax.random.split(jax.random.key(3), 4000))
    commands = np.asarray(commands)
    zero = np.all(commands == 0, axis=1)
    assert 0.08 < zero.mean() < 0.12
    for i, (low, high) in enumerate([(-1.0, 1.0), (-0.5, 0.5), (-1.0, 1.0)]):
        values = commands[~zero, i]
        assert low <= values.min() < low + 0.01 and high - 0.01 < values.max() <= high
    next_command = eqx.filter_jit(lambda env, s, k: env.next_command(s, k))
    for count, resampled in [(500, True), (1000, True), (499, False), (501, False)]:
        at = eqx.tree_at(lambda s: s.step_count, state, jnp.asarray(count, jnp.int32))
        new = [np.asarray(next_command(env, at, jax.random.key(k))) for k in range(5)]
        changed = [not np.array_equal(c, np.asarray(state.command)) for c in new]
        assert any(changed) is resampled


class _Data(eqx.Module):
    qvel: jax.Array

    def replace(self, **changes):
        return eqx.tree_at(lambda d: d.qvel, self, changes["qvel"])


def test_pushes_come_at_uniform_intervals():
    robot = G1Locomotion(push_interval_range=(0.2, 0.6), push_magnitude_range=(0.5, 1.0)).robot

    def first_push(key):
        def step(carry, key):
            since, pushed_at, kick, t = carry
            data, since_next = robot.push(_Data(jnp.zeros(35)), since, key)
            pushed = (since_next == 0) & (pushed_at < 0)
            kick = jnp.where(pushed, data.qvel[:3], kick)
            return (since_next, jnp.where(pushed, t, pushed_at), kick, t + 1), None

        init = (jnp.zeros(()), jnp.asarray(-1), jnp.zeros(3), jnp.asarray(1))
        (_, pushed_at, kick, _), _ = jax.lax.scan(step, init, jax.random.split(key, 40))
        return pushed_at, kick

    at, kick = jax.jit(jax.vmap(first_push))(jax.random.split(jax.random.key(0), 4000))
    seconds = np.asarray(at) * robot.dt
    # The first push comes at a time uniform on [0.2, 0.6] s (on the 0.02 s grid).
    assert seconds.min() >= 0.2 - 1e-6 and seconds.max() <= 0.6 + 1e-6
    counts = np.bincount(np.round(seconds / robot.dt).astype(int) - 10, minlength=21)
    assert len(counts) == 21 and counts.min() > 0.6 * counts.max()  # about 190 each
    size = np.linalg.norm(np.asarray(kick)[:, :2], axis=1)
    assert (0.5 - 1e-5 <= size).all() and (size <= 1.0 + 1e-5).all()
    np.testing.assert_allclose(np.asarray(kick)[:, 2], 0.0)  # horizontal
    # Without pushes the velocity is left alone.
    still = G1Standup().robot
    data, since = still.push(_Data(jnp.ones(35)), jnp.asarray(100.0), jax.random.key(0))
    np.testing.assert_array_equal(data.qvel, 1.0)


def test_make_builds_the_g1_tasks_with_a_time_limit():
    from lerax.env import make
    from lerax.wrapper import TimeLimit

    for cls in (G1Locomotion, G1Standing, G1Standup):
        env = make(cls.name, push_enable=False)
        assert isinstance(env, TimeLimit) and env.max_episode_steps == 1000
        assert isinstance(env.unwrapped, cls) and env.unwrapped.robot.push_enable is False
