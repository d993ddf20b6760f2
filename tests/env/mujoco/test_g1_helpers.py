"""The G1 tasks' helper modules: the gait clock and domain randomisation."""

import equinox as eqx
import jax
import jax.numpy as jnp
import mujoco
import numpy as np
import pytest
from mujoco import mjx

from lerax.env.unitree.g1 import gait, randomize

_XML = """
<mujoco>
  <worldbody>
    <geom name="floor" type="plane" size="5 5 .1" friction="1 0.02 0.003"/>
    <body name="torso" pos="0 0 1">
      <freejoint/>
      <geom type="box" size=".1 .1 .1" mass="3"/>
      <body name="leg" pos="0 0 -.2">
        <joint name="hip" type="hinge" axis="0 1 0" frictionloss="0.4" armature="0.02"/>
        <geom type="capsule" size=".03" fromto="0 0 0 0 0 -.3" mass="1"/>
      </body>
    </body>
  </worldbody>
</mujoco>
"""
MJ_MODEL = mujoco.MjModel.from_xml_string(_XML)
MODEL = mjx.put_model(MJ_MODEL)
TORSO = 1


def test_gait_clock():
    phase = gait.initial_gait_phase()
    np.testing.assert_allclose(phase, [0.0, np.pi])
    # A whole cycle comes back to the start; half a cycle swaps the feet.
    full = gait.advance_gait_phase(phase, 1.25, 1.0 / 1.25)
    np.testing.assert_allclose(np.cos(full), np.cos(phase), atol=1e-5)
    half = gait.advance_gait_phase(phase, 1.5, 0.5 / 1.5)
    np.testing.assert_allclose(np.cos(half), np.cos(phase[::-1]), atol=1e-5)
    # Many small steps stay wrapped to [-pi, pi) and agree with one big step.
    step = jax.jit(lambda p: gait.advance_gait_phase(p, 1.25, 0.02))
    p = phase
    for _ in range(137):
        p = step(p)
        assert np.all((-np.pi <= p) & (p < np.pi))
    big = gait.advance_gait_phase(phase, 1.25, 137 * 0.02)
    np.testing.assert_allclose(np.cos(p), np.cos(big), atol=1e-4)
    # Batched frequencies.
    batch = gait.advance_gait_phase(jnp.tile(phase, (3, 1)), jnp.array([1.0, 1.25, 1.5]), 0.1)
    np.testing.assert_allclose(batch[1], gait.advance_gait_phase(phase, 1.25, 0.1), atol=1e-6)
    obs = gait.gait_phase_observation(batch)
    assert obs.shape == (3, 4)
    np.testing.assert_allclose(obs[:, :2] ** 2 + obs[:, 2:] ** 2, 1.0, atol=1e-6)


def test_desired_foot_height():
    height = jax.jit(lambda p: gait.desired_foot_height(p, 0.15))
    np.testing.assert_allclose(
        height(jnp.array([-np.pi, 0.0, np.pi - 1e-6])), [0, 0.15, 0], atol=1e-6
    )
    rising = height(jnp.linspace(-np.pi, 0.0, 50))
    falling = height(jnp.linspace(0.0, np.pi, 50))
    assert np.all(np.diff(rising) > 0) and np.all(np.diff(falling) < 0)
    np.testing.assert_allclose(rising, falling[::-1], atol=1e-6)  # symmetric swing
    slope = jax.grad(lambda p: gait.desired_foot_height(p, 0.15))
    for at in (-np.pi + 1e-4, -1e-4, 1e-4, np.pi - 1e-4):  # lift-off, top, touch-down
        assert abs(float(slope(at))) < 1e-3
    assert float(gait.desired_foot_height(jnp.array(-np.pi / 2), 0.08)) == pytest.approx(0.04)


def _randomized(keys):
    return eqx.filter_vmap(
        lambda k: randomize.randomize_model(
            MODEL,
            key=k,
            nominal_friction_loss=MJ_MODEL.dof_frictionloss,
            nominal_armature=MJ_MODEL.dof_armature,
            nominal_body_mass=MJ_MODEL.body_mass,
            torso_body_id=TORSO,
        )
    )(keys)


def test_randomize_model_within_ranges():
    run = eqx.filter_jit(eqx.debug.assert_max_traces(_randomized, max_traces=1))
    models = run(jax.random.split(jax.random.key(0), 256))
    friction = np.asarray(models.geom_friction)
    assert friction.shape == (256, 3, 3)
    assert np.all((0.4 <= friction[..., 0]) & (friction[..., 0] <= 1.0))
    assert np.all(friction[..., 0] == friction[:, :1, 0])  # one draw for every geom
    np.testing.assert_allclose(
        friction[..., 1:], np.broadcast_to(MJ_MODEL.geom_friction[:, 1:], (256, 3, 2))
    )
    loss = np.asarray(models.dof_frictionloss)
    nominal = MJ_MODEL.dof_frictionloss
    assert np.all(loss[:, :6] == 0) and np.all((0.2 <= loss[:, 6]) & (loss[:, 6] <= 0.8))
    assert np.ptp(loss[:, 6]) > 0.5  # the draws fill the range
    armature = np.asarray(models.dof_armature)[:, 6]
    assert np.all((0.02 <= armature) & (armature <= 0.021 + 1e-7))
    mass = np.asarray(models.body_mass)
    nominal = MJ_MODEL.body_mass
    assert np.all(mass[:, 0] == 0)  # the world has no mass to scale
    leg = mass[:, 2] / nominal[2]
    assert np.all((0.9 <= leg) & (leg <= 1.1 + 1e-6))
    torso = mass[:, TORSO]  # scaled by [0.9, 1.1], then offset by [-1, 1] kg
    assert np.all((0.9 * nominal[TORSO] - 1 <= torso) & (torso <= 1.1 * nominal[TORSO] + 1))
    assert torso.min() < 0.9 * nominal[TORSO] - 0.5 and torso.max() > 1.1 * nominal[TORSO] + 0.5
    # The parts are drawn from different keys.
    assert abs(np.corrcoef(friction[:, 0, 0], leg)[0, 1]) < 0.3


def test_randomize_bad_range_raises():
    with pytest.raises(ValueError, match="friction_range must be"):
        randomize.randomize_friction(MODEL, key=jax.random.key(0), friction_range=(1.0, 0.4))


def test_action_and_observation_noise():
    action = jnp.zeros(20000)
    np.testing.assert_array_equal(randomize.add_action_noise(action, key=jax.random.key(0)), action)
    noisy = randomize.add_action_noise(action, key=jax.random.key(1), scale=0.1)
    assert float(jnp.std(noisy)) == pytest.approx(0.1, rel=0.03)
    with pytest.raises(ValueError, match="scale must be >= 0"):
        randomize.add_action_noise(action, key=jax.random.key(1), scale=-1.0)

    observation = jnp.zeros((4000, 6))
    slices = {"gyro": slice(0, 3), "joint_pos": slice(3, 5), "phase": slice(5, 6)}
    scales = {"gyro": 0.2, "joint_pos": 0.03}
    noisy = randomize.add_observation_noise(
        observation,
        key=jax.random.key(2),
        noise_level=0.5,
        noise_scales=scales,
        component_slices=slices,
    )
    bound = np.array([0.1, 0.1, 0.1, 0.015, 0.015, 0.0])
    assert np.all(np.abs(noisy) <= bound + 1e-7)
    np.testing.assert_allclose(np.abs(noisy).max(axis=0), bound, rtol=0.01)
    with pytest.raises(KeyError, match="velocity"):
        randomize.add_observation_noise(
            observation[0],
            key=jax.random.key(2),
            noise_scales={"velocity": 1.0},
            component_slices=slices,
        )
