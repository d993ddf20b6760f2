"""`lerax.env.make` builds registered environments with Gymnasium's time limits."""

import gymnasium
import jax
import pytest

import lerax.env
from lerax.env._registry import REGISTRY
from lerax.env.classic_control import (
    Acrobot,
    CartPole,
    ContinuousMountainCar,
    MountainCar,
    Pendulum,
)

EXPECTED = {
    "CartPole-v1": (CartPole, 500),
    "Acrobot-v1": (Acrobot, 500),
    "MountainCar-v0": (MountainCar, 200),
    "MountainCarContinuous-v0": (ContinuousMountainCar, 999),
    "Pendulum-v1": (Pendulum, 200),
}


def test_unknown_id_lists_the_known_ones():
    with pytest.raises(ValueError, match="Nope-v0") as error:
        lerax.env.make("Nope-v0")
    for id in EXPECTED:
        assert id in str(error.value)


MUJOCO = {
    "InvertedPendulum-v5": 1000,
    "InvertedDoublePendulum-v5": 1000,
    "Swimmer-v5": 1000,
    "HalfCheetah-v5": 1000,
    "Hopper-v5": 1000,
    "Walker2d-v5": 1000,
    "Ant-v5": 1000,
    "Humanoid-v5": 1000,
    "HumanoidStandup-v5": 1000,
    "Reacher-v5": 50,
    "Pusher-v5": 100,
}
"""MuJoCo ids (built lazily: the tasks need the optional extra) and their time limits."""


G1 = ("G1Locomotion", "G1Standing", "G1Standup")
"""The G1 tasks (lerax's own ids), 1,000 steps each."""


def test_registry_is_read_only_and_matches_gymnasium():
    assert set(REGISTRY) == set(EXPECTED) | set(MUJOCO) | set(G1)
    assert all(REGISTRY[id].max_episode_steps == 1000 for id in G1)
    for id, steps in MUJOCO.items():
        assert gymnasium.spec(id).max_episode_steps == steps
        assert REGISTRY[id].max_episode_steps == steps
    with pytest.raises(TypeError):
        REGISTRY["Mine-v0"] = REGISTRY["CartPole-v1"]  # type: ignore[index]
    for id, (cls, steps) in EXPECTED.items():
        assert cls.name == id
        assert gymnasium.spec(id).max_episode_steps == steps
        assert REGISTRY[id].max_episode_steps == steps


@pytest.mark.parametrize("id", list(EXPECTED))
def test_make_wraps_in_time_limit(id):
    from lerax.wrapper import TimeLimit

    cls, steps = EXPECTED[id]
    env = lerax.env.make(id)
    assert isinstance(env, TimeLimit)
    assert env.max_episode_steps == steps
    assert isinstance(env.unwrapped, cls)
    assert env.name == id


def test_make_forwards_constructor_arguments():
    env = lerax.env.make("Pendulum-v1", g=9.81, max_torque=1.0)
    assert float(env.unwrapped.g) == pytest.approx(9.81)
    assert env.unwrapped.action_space == Pendulum(max_torque=1.0).action_space
    with pytest.raises(ValueError, match="max_torque"):
        lerax.env.make("Pendulum-v1", max_torque=-1.0)


def test_made_env_truncates_at_the_limit():
    env = lerax.env.make("Pendulum-v1")  # Pendulum never terminates: only the limit ends it
    state, _, _ = env.reset(key=jax.random.key(0))
    step = jax.jit(lambda s, k: env.step(s, env.action_space.canonical(), key=k))
    truncations = []
    for i in range(201):
        state, _, _, terminal, truncate, _ = step(state, jax.random.key(i))
        assert not bool(terminal)
        truncations.append(bool(truncate))
    assert truncations.index(True) == 199 and truncations.count(True) == 1
