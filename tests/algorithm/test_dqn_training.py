"""DQN's training loop: vmap over seeds and hyperparameters, checkpoint and resume, errors."""

import dataclasses
import warnings

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from lerax.algorithm import DQN, DQNState
from lerax.policy import MLPQPolicy
from lerax.space import Box

from ._probes import BestAction, MaskedBest

ENV = BestAction()
ALGO = DQN(
    buffer_size=256,
    learning_starts=32,
    num_envs=2,
    num_steps=2,
    batch_size=16,
    target_update_interval=8,
    learning_rate=1e-3,
)
STEPS = 256
KEY0 = jax.random.key(0)


@pytest.fixture(scope="module")
def policy():
    return MLPQPolicy(ENV, width_size=8, depth=1, key=jax.random.key(0))


def _leaves(tree):
    return jax.tree.leaves(eqx.filter(tree, eqx.is_array))


def _assert_trees_close(a, b):
    for x, y in zip(_leaves(a), _leaves(b), strict=True):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=1e-5, atol=1e-6)


def test_vmap_over_seeds_equals_single_seed_runs(policy):
    keys = jax.random.split(jax.random.key(7), 8)
    batched = eqx.filter_vmap(lambda k: ALGO.learn(ENV, policy, STEPS, key=k))(keys)
    for i in (5,):
        single = ALGO.learn(ENV, policy, STEPS, key=keys[i])
        _assert_trees_close(jax.tree.map(lambda x: x[i], eqx.filter(batched, eqx.is_array)), single)
    # different seeds learn different networks
    first = _leaves(batched)[-1]
    assert not np.allclose(np.asarray(first[0]), np.asarray(first[1]))


def test_vmap_over_learning_rate(policy):
    rates = jnp.array([1e-4, 1e-3, 3e-3])
    algos = eqx.tree_at(lambda a: a.learning_rate, ALGO, rates)
    in_axes = eqx.tree_at(
        lambda a: a.learning_rate,
        jax.tree.map(lambda _: None, ALGO),
        0,
        is_leaf=lambda x: x is None,
    )
    learned = eqx.filter_vmap(
        lambda a: a.learn(ENV, policy, STEPS, key=jax.random.key(3)), in_axes=(in_axes,)
    )(algos)
    for i in (0, 2):
        single = eqx.tree_at(lambda a: a.learning_rate, ALGO, rates[i]).learn(
            ENV, policy, STEPS, key=jax.random.key(3)
        )
        _assert_trees_close(jax.tree.map(lambda x: x[i], eqx.filter(learned, eqx.is_array)), single)


def test_checkpoint_and_resume_equals_uninterrupted(policy, tmp_path):
    n = ALGO.num_iterations(STEPS)
    state = ALGO.init(ENV, policy, key=jax.random.key(5))
    full = ALGO.train(ENV, state, n, total_timesteps=STEPS)
    half = ALGO.train(ENV, state, n // 2, total_timesteps=STEPS)
    path = ALGO.save_state(half, tmp_path / "ckpt")
    assert path.suffix == ".eqx"
    restored = ALGO.load_state(path, ENV, policy)
    assert isinstance(restored, DQNState)
    resumed = ALGO.train(ENV, restored, n - n // 2, total_timesteps=STEPS)
    assert int(resumed.global_step) == int(full.global_step) == STEPS
    _assert_trees_close(resumed, full)


def test_checkpoint_of_other_structure_is_rejected(policy, tmp_path):
    state = ALGO.init(ENV, policy, key=jax.random.key(5))
    path = ALGO.save_state(state, tmp_path / "ckpt")
    other = dataclasses.replace(ALGO, buffer_size=512)
    with pytest.raises(ValueError, match="buffer_size: saved 256, now 512"):
        other.load_state(path, ENV, policy)
    # Same algorithm, a policy of another structure: the fingerprint tells.
    wider = MLPQPolicy(ENV, width_size=16, depth=1, key=jax.random.key(0))
    with pytest.raises(ValueError, match="fingerprint"):
        ALGO.load_state(path, ENV, wider)


def test_learning_starts_acts_uniformly_at_random(policy):
    algo = dataclasses.replace(ALGO, learning_starts=10_000)
    state = algo.init(ENV, policy, key=jax.random.key(2))
    state = algo.train(ENV, state, 64, total_timesteps=20_000)
    actions = np.asarray(state.buffer.transitions.action[: int(state.buffer.count)])
    assert abs(actions.mean() - 0.5) < 0.1
    # no learning happened: the policy is untouched
    _assert_trees_close(state.policy, policy)


def test_epsilon_schedule_is_linear():
    algo = DQN(exploration_fraction=0.5, exploration_initial_eps=1.0, exploration_final_eps=0.1)
    eps = [float(algo.epsilon(jnp.array(s), 1000)) for s in (0, 250, 500, 900)]
    np.testing.assert_allclose(eps, [1.0, 0.55, 0.1, 0.1], atol=1e-6)


def test_mse_loss_and_soft_update_by_value(policy):
    """Non-default loss and target update, checked against hand computations: the loss is
    the mean squared single-DQN TD error (bootstrapping only where not terminal), and every
    iteration either leaves the target alone or moves it by one Polyak step towards the
    online network it has just trained."""
    from lerax.target import SoftUpdate

    tau, gamma = 0.1, 0.9
    algo = dataclasses.replace(
        ALGO,
        loss=optax.squared_error,
        target_update=SoftUpdate(tau),
        double_dqn=False,
        gamma=gamma,
    )
    first = ALGO.learning_starts // ALGO.steps_per_iteration  # iterations before learning
    state = algo.train(ENV, algo.init(ENV, policy, key=KEY0), first)

    updates = 0
    for _ in range(6):
        new = algo.train(ENV, state, 1)
        online, old, target = new.policy, state.target_policy, new.target_policy
        if not bool(eqx.tree_equal(_leaves(target), _leaves(old))):
            updates += 1
            for t, o, p in zip(_leaves(target), _leaves(old), _leaves(online), strict=True):
                np.testing.assert_allclose(t, tau * p + (1 - tau) * o, rtol=1e-5, atol=1e-7)
        state = new
    # target_update_interval=8 with 4 steps an iteration: every other iteration updates.
    assert updates == 3

    # The loss on a batch where half the transitions are made non-terminal by hand.
    batch = state.buffer.sample(16, key=jax.random.key(7))
    terminal = jnp.arange(16) % 2 == 0
    batch = eqx.tree_at(lambda b: b.terminal, batch, terminal)
    loss, _ = algo._loss(state.policy, state.target_policy, batch)
    q_of = lambda p, s, o: jax.vmap(lambda si, oi: p.q_values(si, oi)[1])(s, o)  # noqa: E731
    q = np.asarray(q_of(state.policy, batch.state, batch.observation))
    next_q = np.asarray(q_of(state.target_policy, batch.state, batch.next_observation))
    action = np.asarray(batch.action)
    target_value = np.asarray(batch.reward) + gamma * (1.0 - np.asarray(terminal)) * next_q.max(-1)
    expected = np.mean((q[np.arange(16), action] - target_value) ** 2)
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)
    assert next_q.max() != 0.0  # the bootstrapped half counts


def test_schedule_learning_rate(policy):
    """A schedule that reaches zero after 20 updates: the parameters move while it is
    positive and never again afterwards (Adam's step is proportional to the rate)."""
    algo = eqx.tree_at(lambda a: a.learning_rate, ALGO, optax.linear_schedule(1e-3, 0.0, 20))
    # Updates start once learning_starts=32 steps are taken (iteration 7, 4 steps each).
    first = ALGO.learning_starts // ALGO.steps_per_iteration - 1
    state = algo.init(ENV, policy, key=jax.random.key(0))
    state = algo.train(ENV, state, first + 20)  # 20 updates: the rate is now zero
    moved = algo.train(ENV, state, 10)
    params = lambda s: eqx.filter(s.policy, eqx.is_inexact_array)  # noqa: E731
    assert not bool(eqx.tree_equal(params(state), params(algo.init(ENV, policy, key=KEY0))))
    assert bool(eqx.tree_equal(params(moved), params(state)))
    # With a constant rate the same ten iterations do move them.
    constant = ALGO.train(ENV, state, 10)
    assert not bool(eqx.tree_equal(params(constant), params(state)))


def test_timesteps_not_a_multiple_warns_and_too_small_raises():
    with pytest.warns(UserWarning, match="not a multiple"):
        assert ALGO.num_iterations(STEPS + 1) == STEPS // 4
    with pytest.raises(ValueError, match="smaller than one iteration"):
        ALGO.num_iterations(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ALGO.num_iterations(STEPS) == STEPS // 4


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(buffer_size=16, batch_size=32), "batch_size"),
        (dict(learning_rate=-1e-3), "learning_rate"),
        (dict(gamma=1.5), "gamma"),
        (dict(num_envs=0), "num_envs"),
        (dict(exploration_fraction=0.0), "exploration_fraction"),
    ],
)
def test_bad_hyperparameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DQN(**kwargs)


def test_non_discrete_env_and_mismatched_policy(policy):
    class BoxEnv(eqx.Module):
        observation_space: Box = Box(-1.0, 1.0, (1,))
        action_space: Box = Box(-1.0, 1.0, (1,))

    with pytest.raises(ValueError, match="Discrete action space"):
        ALGO.learn(BoxEnv(), policy, STEPS, key=jax.random.key(0))
    with pytest.raises(ValueError, match="action space"):
        ALGO.learn(MaskedBest(), policy, STEPS, key=jax.random.key(0))
