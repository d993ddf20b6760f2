"""Acrobot's `torques` and `torque_max_noise`: Gymnasium's semantics, as vmappable leaves."""

import re

import equinox as eqx
import gymnasium
import jax
import jax.numpy as jnp
import jaxtyping
import numpy as np
import pytest

from lerax.env.classic_control import Acrobot, AcrobotState
from lerax.space import Discrete

NOISE = 0.5


def _state(y):
    return AcrobotState(y=jnp.asarray(y, jnp.float32), t=jnp.array(0, jnp.int32))


def _states(key, n, scale=(3.0, 3.0, 1.0, 1.0)):
    """States around the hanging position (where the step is monotone in the torque)."""
    scale = jnp.array(scale, jnp.float32)
    return jax.random.uniform(key, (n, 4), jnp.float32, -1.0, 1.0) * scale[None, :]


def _with_torque(torque):
    """A noiseless Acrobot whose only action applies `torque`."""
    return eqx.tree_at(lambda e: e.torques, Acrobot(torques=[0.0]), jnp.stack([torque]))


@eqx.filter_jit
def _steps(env, ys, actions, keys):
    step = lambda y, a, k: env.transition(_state(y), a, key=k).y
    return jax.vmap(step)(ys, actions, keys)


def test_defaults_are_gymnasiums():
    env = Acrobot()
    np.testing.assert_array_equal(env.torques, [-1.0, 0.0, 1.0])
    assert float(env.torque_max_noise) == 0.0
    assert env.action_space == Discrete(3)


def test_zero_noise_is_the_deterministic_step_whatever_the_key():
    ys = _states(jax.random.key(0), 256)
    actions = jax.random.randint(jax.random.key(1), (256,), 0, 3, jnp.int32)
    keys = jax.random.split(jax.random.key(2), 256)
    plain = _steps(Acrobot(), ys, actions, keys)
    explicit = _steps(
        Acrobot(torque_max_noise=0.0, torques=jnp.array([-1.0, 0.0, 1.0])), ys, actions, keys
    )
    other_keys = _steps(Acrobot(), ys, actions, jax.random.split(jax.random.key(3), 256))
    np.testing.assert_array_equal(plain, explicit)
    np.testing.assert_array_equal(plain, other_keys)
    # ... and is the step with the action's torque (up to float32 rounding: this runs op by
    # op, `plain` as one compiled program).
    by_torque = jax.vmap(
        lambda y, a, k: _with_torque(a.astype(jnp.float32) - 1).transition(_state(y), 0, key=k).y
    )(ys, actions, keys)
    np.testing.assert_allclose(plain, by_torque, rtol=1e-6, atol=1e-6)


def test_custom_torques_match_gymnasium():
    torques = [-2.0, -0.5, 0.0, 0.5, 2.0]
    env = Acrobot(torques=jnp.array(torques))
    assert env.action_space == Discrete(5)
    gym_env = gymnasium.make("Acrobot-v1").unwrapped
    gym_env.reset(seed=0)
    gym_env.AVAIL_TORQUE = torques
    ys = np.asarray(_states(jax.random.key(4), 20))
    for i, y in enumerate(ys):
        action = i % 5
        ours = env.transition(_state(y), jnp.array(action), key=jax.random.key(i)).y
        gym_env.state = np.array(y, np.float64)
        gym_env.step(action)
        np.testing.assert_allclose(ours, gym_env.state, atol=5e-4, rtol=1e-5)
    # Out-of-range actions are clipped to the first or last torque.
    state = _state(ys[0])
    key = jax.random.key(0)
    np.testing.assert_array_equal(
        env.transition(state, jnp.array(9), key=key).y,
        env.transition(state, jnp.array(4), key=key).y,
    )


def test_noise_is_gymnasiums_uniform_draw_from_the_step_key():
    """The noisy step equals Gymnasium's step with the torque plus the draw from the key."""
    env = Acrobot(torque_max_noise=NOISE)
    gym_env = gymnasium.make("Acrobot-v1").unwrapped
    gym_env.reset(seed=0)
    ys = np.asarray(_states(jax.random.key(5), 20))
    for i, y in enumerate(ys):
        action, key = i % 3, jax.random.key(100 + i)
        ours = env.transition(_state(y), jnp.array(action), key=key).y
        draw = float(jax.random.uniform(key, (), jnp.float32, -NOISE, NOISE))
        # The same step computed by hand: the deterministic step with torque + draw.
        by_hand = _with_torque(jnp.float32(action - 1 + draw))
        np.testing.assert_array_equal(ours, by_hand.transition(_state(y), 0, key=key).y)
        gym_env.state = np.array(y, np.float64)
        gym_env.AVAIL_TORQUE = [action - 1 + draw]
        gym_env.step(0)
        np.testing.assert_allclose(ours, gym_env.state, atol=5e-4, rtol=1e-5)


def test_noise_changes_the_dynamics_reproducibly_and_stays_within_bounds():
    env = Acrobot(torque_max_noise=NOISE)
    n = 2000
    y = jnp.broadcast_to(jnp.array([0.3, -0.2, 0.1, 0.4], jnp.float32), (n, 4))
    action = jnp.full((n,), 2, jnp.int32)
    keys = jax.random.split(jax.random.key(6), n)
    noisy = np.asarray(_steps(env, y, action, keys))
    again = np.asarray(_steps(env, y, action, keys))
    np.testing.assert_array_equal(noisy, again)  # reproducible from the key
    plain = np.asarray(_steps(Acrobot(), y[:1], action[:1], keys[:1]))[0]
    assert len(np.unique(noisy[:, 3])) > n // 2  # every key gives its own torque
    assert not np.allclose(noisy, plain)
    # The torque stays in [1 - NOISE, 1 + NOISE]: theta2_dot grows with the torque here, so
    # the noisy values lie between those of the extreme torques, and fill that range.
    low = _with_torque(jnp.float32(1 - NOISE)).transition(_state(y[0]), 0, key=keys[0]).y[3]
    high = _with_torque(jnp.float32(1 + NOISE)).transition(_state(y[0]), 0, key=keys[0]).y[3]
    position = (noisy[:, 3] - float(low)) / float(high - low)
    assert position.min() >= -1e-4 and position.max() <= 1 + 1e-4
    assert position.min() < 0.02 and position.max() > 0.98
    assert abs(position.mean() - 0.5) < 0.05


def test_noise_stays_within_bounds_for_many_states():
    env = Acrobot(torque_max_noise=NOISE)
    n = 512
    ys = _states(jax.random.key(7), n)
    actions = jax.random.randint(jax.random.key(8), (n,), 0, 3, jnp.int32)
    keys = jax.random.split(jax.random.key(9), n)
    noisy = _steps(env, ys, actions, keys)[:, 3]
    torque = actions.astype(jnp.float32) - 1
    edge = lambda t: jax.vmap(lambda y, t: _with_torque(t).transition(_state(y), 0, key=keys[0]).y)(
        ys, t
    )[:, 3]
    low, high = edge(torque - NOISE), edge(torque + NOISE)
    assert np.all(np.asarray(noisy) >= np.asarray(low) - 1e-5)
    assert np.all(np.asarray(noisy) <= np.asarray(high) + 1e-5)


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def _sweep(noises, y, key):
    def one(noise):
        env = Acrobot(torque_max_noise=noise)  # built inside vmap: a traced leaf
        return env.step(_state(y), jnp.array(2), key=key)[0].y

    return jax.vmap(one)(noises)


def test_vmap_over_torque_max_noise():
    noises = jnp.array([0.0, 0.1, 0.5, 1.0], jnp.float32)
    y = jnp.array([0.3, -0.2, 0.1, 0.4], jnp.float32)
    key = jax.random.key(10)
    swept = _sweep(noises, y, key)
    _sweep(noises * 0.5, y, key)  # one trace for every sweep
    for noise, row in zip(noises, swept, strict=True):
        expected = Acrobot(torque_max_noise=float(noise)).step(_state(y), jnp.array(2), key=key)
        np.testing.assert_allclose(row, expected[0].y, rtol=1e-6, atol=1e-6)
    assert len({tuple(np.asarray(r).round(6)) for r in swept}) == 4
    # Stacking envs built outside works the same way.
    envs = [eqx.tree_at(lambda e: e.torque_max_noise, Acrobot(), n) for n in noises]
    stacked = jax.tree.map(lambda *xs: jnp.stack(xs), *envs)
    by_env = eqx.filter_vmap(lambda e: e.step(_state(y), jnp.array(2), key=key)[0].y)(stacked)
    np.testing.assert_allclose(by_env, swept, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(torque_max_noise=-0.1), ValueError, "torque_max_noise must be >= 0"),
        (dict(torque_max_noise=float("nan")), ValueError, "torque_max_noise must be finite"),
        (dict(torques=jnp.zeros((3, 1))), ValueError, r"torques must be a non-empty 1-D.*\(3, 1\)"),
        (dict(torques=jnp.array(1.0)), ValueError, r"torques must be a non-empty 1-D.*\(\)"),
        (dict(torques=[]), ValueError, r"torques must be a non-empty 1-D.*\(0,\)"),
        (dict(torques=[0.0, float("inf")]), ValueError, "torques must be finite"),
        (dict(torques="left"), TypeError, "torques must be a 1-D array of numbers"),
    ],
)
def test_bad_torque_arguments(kwargs, error, message):
    # (When tests run with jaxtyping's checks on, its own TypeError may come first.)
    with pytest.raises((error, jaxtyping.TypeCheckError)) as info:
        Acrobot(**kwargs)
    if not isinstance(info.value, jaxtyping.TypeCheckError):
        assert re.search(message, str(info.value)), str(info.value)


def test_bad_traced_arguments():
    with pytest.raises((ValueError, jaxtyping.TypeCheckError), match="torques"):
        jax.vmap(lambda t: Acrobot(torques=t).torques)(jnp.zeros((2, 3, 1)))
    with pytest.raises(TypeError, match="torque_max_noise"):
        jax.vmap(lambda n: Acrobot(torque_max_noise=n).torques)(jnp.zeros((2, 3)))
