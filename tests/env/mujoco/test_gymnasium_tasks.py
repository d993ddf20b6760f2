"""The Gymnasium v5 tasks on MJX equal Gymnasium's (MuJoCo's C engine) step by step.

Each task compiles one program: two environments vmapped, stepped by a scan. Each is
compared with its own Gymnasium twin, started in the same state and given the same actions,
until the twin terminates (the tasks that terminate must do so in the window).
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import equinox as eqx
import gymnasium
import jax
import numpy as np
import pytest
from _mujoco_reference import gymnasium_twin

import lerax.env
from lerax.env.mujoco import (
    Ant,
    HalfCheetah,
    Hopper,
    Humanoid,
    HumanoidStandup,
    Pusher,
    Reacher,
    Swimmer,
    Walker2d,
)
from lerax.env.mujoco._deps import model_path
from lerax.wrapper import TimeLimit


@dataclass(frozen=True)
class Task:
    cls: type
    steps: int  # steps compared
    tol: float  # atol and rtol of observations and rewards
    terminates: bool = False  # a termination must come within `steps`
    newton: bool = False  # the twin uses MJX's Newton solver (Gymnasium's model asks for PGS)
    # (index, amount): the second environment starts with qpos[index] moved by amount,
    # which makes it unhealthy: the terminations are compared too.
    perturb: tuple[int, float] | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)


# Contacts amplify float32 round-off: HalfCheetah matches to 2e-3 for ~25 steps, then single
# velocities drift apart by tenths of a percent (step 26 on this seed); Humanoid's contact
# forces, to 2e-2.
TASKS = {
    "Swimmer-v5": Task(Swimmer, 100, 2e-3),
    "HalfCheetah-v5": Task(HalfCheetah, 15, 2e-3),
    "Hopper-v5": Task(Hopper, 40, 1e-3, terminates=True, perturb=(2, 0.3)),
    "Walker2d-v5": Task(Walker2d, 70, 2e-3, terminates=True, perturb=(1, 1.5)),
    "Ant-v5": Task(Ant, 8, 1e-2, terminates=True, perturb=(2, 0.6)),
    "Humanoid-v5": Task(Humanoid, 25, 2e-2, terminates=True, newton=True, perturb=(2, 1.0)),
    "HumanoidStandup-v5": Task(HumanoidStandup, 15, 2e-2, newton=True),
    "Reacher-v5": Task(Reacher, 50, 1e-4),
    "Pusher-v5": Task(Pusher, 40, 1e-4),
}


def _elliptic_ant(tmp_path: Path) -> str:
    """Gymnasium's ant model with elliptic friction cones.

    With pyramidal cones (the model's default) MJX and MuJoCo's C engine orient a
    capsule-plane contact's tangent frame differently (world axes against the capsule's
    axis), so the friction pyramids differ whenever a diagonal leg touches the floor. An
    elliptic cone of equal friction has no orientation, and the two engines then agree.
    """
    xml = model_path("ant.xml").read_text()
    option = '<option integrator="RK4" timestep="0.01"/>'
    assert option in xml
    path = tmp_path / "ant_elliptic.xml"
    path.write_text(xml.replace(option, option[:-2] + ' cone="elliptic"/>'))
    return str(path)


def _run(env, reset_keys, perturb, actions, keys):
    """Reset two environments (the second moved by `perturb`), then step them."""
    states = jax.vmap(lambda k: env.reset(key=k)[0])(reset_keys)
    if perturb:
        index, amount = perturb
        qpos = states.data.qpos.at[1, index].add(amount)
        states = jax.vmap(env.with_state)(qpos, states.data.qvel)

    def body(states, inputs):
        action, key = inputs
        step = jax.vmap(lambda s, a, k: env.step(s, a, key=k))
        states, _, reward, terminal, truncate, info = step(states, action, key)
        return states, (info["final_observation"], reward, terminal, truncate)

    return states, jax.lax.scan(body, states, (actions, keys))[1]


@pytest.mark.parametrize("task", list(TASKS))
def test_spaces_and_time_limit_equal_gymnasium(task):
    env = TASKS[task].cls()
    reference = gymnasium.make(task)
    assert env.name == task
    np.testing.assert_array_equal(env.action_space.low, reference.action_space.low)
    np.testing.assert_array_equal(env.action_space.high, reference.action_space.high)
    assert env.observation_space.shape == reference.observation_space.shape
    assert env.dt == pytest.approx(reference.unwrapped.dt)
    made = lerax.env.make(task)
    assert isinstance(made, TimeLimit)
    assert made.max_episode_steps == reference.spec.max_episode_steps


@pytest.mark.parametrize("task", list(TASKS))
def test_steps_equal_gymnasium_from_the_same_state(task, tmp_path):
    spec = TASKS[task]
    kwargs = dict(spec.kwargs)
    if spec.cls is Ant:
        kwargs["xml_file"] = _elliptic_ant(tmp_path)
    env = spec.cls(**kwargs)
    size = env.action_space.shape[0]
    rng = np.random.default_rng(0)
    actions = rng.uniform(-1.0, 1.0, (spec.steps, 2, size)).astype(np.float32)
    keys = jax.random.split(jax.random.key(1), (spec.steps, 2))
    run = eqx.filter_jit(eqx.debug.assert_max_traces(_run, max_traces=1))
    reset_keys = jax.random.split(jax.random.key(0))
    batch, outputs = run(env, reset_keys, spec.perturb, actions, keys)
    observations, rewards, terminals, truncations = outputs
    assert not np.any(truncations)

    ends = []
    for b in range(2):
        state = jax.tree.map(lambda leaf: leaf[b], batch)
        reference = gymnasium_twin(task, state, b, newton=spec.newton, **kwargs)
        observation = env.observation(state, key=jax.random.key(0))
        np.testing.assert_allclose(observation, reference._get_obs(), rtol=1e-5, atol=1e-6)
        for t in range(spec.steps):
            ref_obs, ref_reward, ref_terminal, _, _ = reference.step(actions[t, b])
            close = dict(atol=spec.tol, rtol=spec.tol, err_msg=f"environment {b}, step {t}")
            np.testing.assert_allclose(observations[t, b], ref_obs, **close)
            np.testing.assert_allclose(rewards[t, b], ref_reward, **close)
            assert bool(terminals[t, b]) == ref_terminal, f"environment {b}, step {t}"
            if ref_terminal:
                ends.append(t)
                break
    assert bool(ends) == spec.terminates


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="healthy_z_range must have low < high"):
        Hopper(healthy_z_range=(1.0, 0.5))
    with pytest.raises(ValueError, match="contact_force_range must have low < high"):
        Ant(contact_force_range=(1.0, -1.0))
    with pytest.raises(ValueError, match="reset_noise_scale must be >= 0"):
        Humanoid(reset_noise_scale=-1.0)
    with pytest.raises(ValueError, match="frame_skip must be a positive int"):
        Reacher(frame_skip=0)
    with pytest.raises(FileNotFoundError, match="nothing.xml"):
        Pusher(xml_file="nothing.xml")
