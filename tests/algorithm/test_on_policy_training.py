"""The on-policy algorithms' training loop: stateful policies, every action space, masks,
vmap over seeds and hyperparameters, checkpoints, and clear errors (one trace per run:
test_one_compile.py)."""

import dataclasses
from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import given, settings, strategies as st

from lerax.algorithm import A2C, DQN, PPO, REINFORCE, Collector, OnPolicyState, PPOStats
from lerax.policy import MLPActorCriticPolicy, MLPQPolicy
from lerax.space import Box, Discrete, MultiBinary, MultiDiscrete

from ._callbacks import MetricsSpy
from ._probes import Alternate, BestAction, MaskedBest, ProbeState, RandomMask, _Probe
from ._stateful import CountingActorCritic, CountingQPolicy

SMALL = dict(
    feature_size=8,
    feature_width=16,
    feature_depth=1,
    value_width=16,
    value_depth=1,
    action_width=16,
    action_depth=1,
)
ALGOS = {
    "ppo": lambda **kw: PPO(
        **{
            **dict(num_envs=4, num_steps=16, num_epochs=4, num_batches=2, learning_rate=3e-3),
            **kw,
        }
    ),
    "a2c": lambda **kw: A2C(**{**dict(num_envs=4, num_steps=8, learning_rate=3e-3), **kw}),
    "reinforce": lambda **kw: REINFORCE(
        **{**dict(num_envs=4, num_steps=8, learning_rate=3e-3), **kw}
    ),
}
ENV = BestAction()


@pytest.fixture(scope="module")
def policy():
    return MLPActorCriticPolicy(ENV, **SMALL, key=jax.random.key(0))


def _leaves(tree):
    return jax.tree.leaves(eqx.filter(tree, eqx.is_array))


def _assert_trees_close(a, b):
    for x, y in zip(_leaves(a), _leaves(b), strict=True):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------ stateful policies


def _greedy_episode(policy, env):
    state = policy.reset(key=jax.random.key(0))
    obs = jnp.zeros((1,))
    actions = []
    for _ in range(2):
        state, action = policy(state, obs)
        actions.append(int(action))
    return actions


@pytest.mark.parametrize("name", list(ALGOS))
def test_stateful_policy_learns_what_only_its_state_can_tell(name):
    env = Alternate()
    policy = CountingActorCritic(env, key=jax.random.key(0))
    trained = ALGOS[name](gamma=0.9).learn(env, policy, 4_096, key=jax.random.key(1))
    # The reward is for action t % 2 at step t: the policy must count, and its count must
    # restart with each episode (the collector resets the state where an episode ended).
    assert _greedy_episode(trained, env) == [0, 1]


def test_stateful_q_policy_with_dqn():
    env = Alternate()
    policy = CountingQPolicy(env, key=jax.random.key(0))
    algo = DQN(
        buffer_size=2_000,
        gamma=0.9,
        learning_starts=200,
        num_envs=4,
        num_steps=1,
        batch_size=32,
        target_update_interval=40,
        learning_rate=3e-3,
        exploration_fraction=0.5,
    )
    trained = algo.learn(env, policy, 4_000, key=jax.random.key(1))
    assert _greedy_episode(trained, env) == [0, 1]
    # Q at step 0 of the best action: 1 + gamma * 1; at step 1: 1.
    s0 = trained.reset(key=jax.random.key(0))
    s1, q0 = trained.q_values(s0, jnp.zeros((1,)))
    _, q1 = trained.q_values(s1, jnp.zeros((1,)))
    assert float(q0[0]) == pytest.approx(1.9, abs=0.15)
    assert float(q1[1]) == pytest.approx(1.0, abs=0.15)


# ------------------------------------------------------------------ every action space


@final
class TargetAction(_Probe):
    """One step from a constant observation; the reward is highest for `target`."""

    name: ClassVar[str] = "TargetAction"
    action_space: Any
    observation_space: Box = Box(-1.0, 1.0, (1,))
    target: Any = None

    def initial(self, *, key):
        return ProbeState(jnp.zeros(()), jnp.zeros((), jnp.int32), jnp.zeros((), jnp.int32))

    def transition(self, state, action, *, key):
        return ProbeState(state.y, state.t + 1, jnp.zeros((), jnp.int32))

    def reward(self, state, action, next_state, *, key):
        target = jnp.asarray(self.target)
        if isinstance(self.action_space, Box):
            return -jnp.sum(jnp.square(action - target))
        return jnp.mean((jnp.asarray(action) == target).astype(jnp.float32))

    def terminal(self, state, *, key):
        return state.t >= 1


SPACES = {
    "box": (Box(-1.0, 1.0, (2,)), [0.5, -0.3]),
    "discrete": (Discrete(3), 2),
    "multi_binary": (MultiBinary(3), [1, 0, 1]),
    "multi_discrete": (MultiDiscrete([3, 2]), [2, 1]),
}


@pytest.mark.parametrize("space", list(SPACES))
def test_every_action_space_trains(space):
    action_space, target = SPACES[space]
    env = TargetAction(action_space, target=target)
    policy = MLPActorCriticPolicy(env, **SMALL, key=jax.random.key(0))
    trained = ALGOS["ppo"](learning_rate=1e-2).learn(env, policy, 8_192, key=jax.random.key(1))
    _, action = trained(None, jnp.zeros((1,)))
    if isinstance(action_space, Box):
        np.testing.assert_allclose(action, target, atol=0.1)
    else:
        np.testing.assert_array_equal(action, target)


def test_box_actions_are_clipped_to_step_but_stored_unclipped():
    # Bounds [-1, 1]; the reward pays for being near 3, so the best the environment can
    # see is the bound 1. Stored actions keep the Gaussian's raw sample.
    env = TargetAction(Box(-1.0, 1.0, (1,)), target=[3.0])
    policy = MLPActorCriticPolicy(env, **SMALL, log_std_init=1.0, key=jax.random.key(0))
    algo = ALGOS["ppo"]()
    collector = Collector(algo.num_envs)
    cstate = collector.reset(env, policy, key=jax.random.key(1))
    from lerax.callback import EmptyCallback

    _, _, record = collector.step(
        env,
        policy,
        algo.act(env, policy),
        cstate,
        EmptyCallback(),
        (None,) * 0 or None,
        jnp.array(0),
        key=jax.random.key(2),
    )
    raw = np.asarray(record.action)
    assert np.abs(raw).max() > 1.0  # log std 1: some samples fall outside the bounds
    np.testing.assert_allclose(record.reward, -np.square(np.clip(raw, -1, 1) - 3.0)[:, 0])


def test_rollout_takes_one_key_or_its_pre_split_keys():
    # Off-policy iterations split the rollout's keys together with their own: passing
    # `Collector.keys(key, n)` must give the very rollout that passing `key` gives.
    from lerax.callback import EmptyCallback

    env = BestAction()
    policy = MLPActorCriticPolicy(env, **SMALL, key=jax.random.key(0))
    algo = ALGOS["a2c"]()
    collector = Collector(algo.num_envs)
    cstate = collector.reset(env, policy, key=jax.random.key(1))
    key = jax.random.key(2)

    def rollout(k):
        return collector.rollout(
            env,
            policy,
            algo.act(env, policy),
            cstate,
            EmptyCallback(),
            None,
            jnp.array(0),
            5,
            key=k,
        )[2]

    one, pre_split = rollout(key), rollout(collector.keys(key, 5))
    assert one.action.shape[:2] == (5, algo.num_envs)
    for a, b in zip(jax.tree.leaves(one), jax.tree.leaves(pre_split)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"keys of shape \(5, 4, 2\)"):
        rollout(collector.keys(key, 4))


# ------------------------------------------------------------------ masks


def _rollout_actions(name, n, seed):
    env = RandomMask(n)
    if name == "dqn":
        policy = MLPQPolicy(env, width_size=8, depth=1, epsilon=0.5, key=jax.random.key(seed))

        def act(ps, obs, mask, k):
            ps, a = policy(ps, obs, action_mask=mask, key=k)
            return ps, a, a, jnp.zeros(())

    else:
        policy = MLPActorCriticPolicy(env, **SMALL, key=jax.random.key(seed))
        act = ALGOS[name]().act(env, policy)
    return _collect(env, policy, act, jax.random.key(seed))


@eqx.filter_jit
def _collect(env, policy, act, key):
    from lerax.callback import EmptyCallback

    collector = Collector(3)
    cstate = collector.reset(env, policy, key=key)

    def body(c, k):
        c, _, record = collector.step(
            env, policy, act, c, EmptyCallback(), None, jnp.array(0), key=k
        )
        return c, (record.action, record.action_mask, record.extras)

    _, out = jax.lax.scan(body, cstate, jax.random.split(key, 40))
    return out


@settings(max_examples=8, deadline=None)
@given(
    name=st.sampled_from(["ppo", "a2c", "reinforce", "dqn"]),
    n=st.sampled_from([2, 5]),
    seed=st.integers(0, 2**16),
)
def test_masked_actions_are_never_taken(name, n, seed):
    actions, masks, extras = _rollout_actions(name, n, seed)
    taken = np.take_along_axis(np.asarray(masks), np.asarray(actions)[..., None], axis=-1)
    assert taken.all()
    # The log-probabilities under the mask are finite (masked logits are -inf, not NaN).
    assert all(np.isfinite(np.asarray(x)).all() for x in jax.tree.leaves(extras))


# ------------------------------------------------------------------ the loop

STEPS = 512


def test_vmap_over_seeds_equals_single_seed_runs(policy):
    algo = ALGOS["ppo"]()
    keys = jax.random.split(jax.random.key(7), 4)
    batched = algo.learn_many(ENV, policy, STEPS, keys=keys)
    single = algo.learn(ENV, policy, STEPS, key=keys[2])
    _assert_trees_close(jax.tree.map(lambda x: x[2], eqx.filter(batched, eqx.is_array)), single)
    first = _leaves(batched)[-1]
    assert not np.allclose(np.asarray(first[0]), np.asarray(first[1]))


@pytest.mark.parametrize("name", ["ppo", "a2c"])
def test_vmap_over_learning_rate(name, policy):
    algo = ALGOS[name]()
    rates = jnp.array([1e-4, 3e-3])
    algos = eqx.tree_at(lambda a: a.learning_rate, algo, rates)
    in_axes = eqx.tree_at(
        lambda a: a.learning_rate,
        jax.tree.map(lambda _: None, algo),
        0,
        is_leaf=lambda x: x is None,
    )
    learned = eqx.filter_vmap(
        lambda a: a.learn(ENV, policy, STEPS, key=jax.random.key(3)), in_axes=(in_axes,)
    )(algos)
    single = eqx.tree_at(lambda a: a.learning_rate, algo, rates[1]).learn(
        ENV, policy, STEPS, key=jax.random.key(3)
    )
    _assert_trees_close(jax.tree.map(lambda x: x[1], eqx.filter(learned, eqx.is_array)), single)


@pytest.mark.parametrize("name", list(ALGOS))
def test_checkpoint_and_resume_equals_uninterrupted(name, policy, tmp_path):
    algo = ALGOS[name]()
    n = algo.num_iterations(STEPS)
    state = algo.init(ENV, policy, key=jax.random.key(5))
    full = algo.train(ENV, state, n, total_timesteps=STEPS)
    half = algo.train(ENV, state, n // 2, total_timesteps=STEPS)
    path = algo.save_state(half, tmp_path / "ckpt")
    restored = algo.load_state(path, ENV, policy)
    assert isinstance(restored, OnPolicyState)
    resumed = algo.train(ENV, restored, n - n // 2, total_timesteps=STEPS)
    assert int(resumed.global_step) == int(full.global_step) == STEPS
    _assert_trees_close(resumed, full)


def test_callback_as_a_list_and_the_logged_statistics(policy):
    seen = []
    spies = [MetricsSpy(seen), MetricsSpy(seen)]
    ALGOS["ppo"]().learn(ENV, policy, STEPS, key=jax.random.key(0), callback=spies)
    assert len(seen) == 2
    assert isinstance(seen[0].stats, PPOStats)
    assert set(seen[0].scalars()) == {
        "episode_return",
        "episode_length",
        "episodes",
        "policy_loss",
        "value_loss",
        "entropy_loss",
        "approx_kl",
        "clip_fraction",
        "explained_variance",
    }


def test_schedules_for_learning_rate_and_clip(policy):
    algo = ALGOS["ppo"](
        learning_rate=optax.linear_schedule(3e-3, 0.0, 64),
        clip_coefficient=optax.linear_schedule(0.2, 0.0, 64),
    )
    state = algo.train(ENV, algo.init(ENV, policy, key=jax.random.key(0)), 8)
    assert int(state.updates) == 8 * 4 * 2
    # Both schedules reach zero after 64 gradient steps: the last iterations change nothing.
    later = algo.train(ENV, state, 2)
    _assert_trees_close(later.policy, state.policy)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: PPO(num_envs=3, num_steps=5, num_batches=4), "num_batches"),
        (lambda: PPO(entropy_loss_coefficient=-0.1), "entropy_loss_coefficient"),
        (lambda: PPO(value_loss_coefficient=-1.0), "value_loss_coefficient"),
        (lambda: PPO(clip_coefficient=-0.2), "clip_coefficient"),
        (lambda: PPO(gamma=1.5), "gamma"),
        (lambda: PPO(num_epochs=0), "num_epochs"),
        (lambda: A2C(learning_rate=-1e-3), "learning_rate"),
        (lambda: A2C(gae_lambda=2.0), "gae_lambda"),
        (lambda: REINFORCE(max_grad_norm=0.0), "max_grad_norm"),
        (lambda: REINFORCE(num_steps=0), "num_steps"),
    ],
)
def test_bad_hyperparameters(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_constructors_are_keyword_only():
    with pytest.raises(TypeError):
        PPO(4)  # type: ignore[misc]


def test_wrong_policy_family_spaces_and_too_few_steps(policy):
    q_policy = MLPQPolicy(ENV, key=jax.random.key(0))
    with pytest.raises(TypeError, match="AbstractActorCriticPolicy"):
        PPO().learn(ENV, q_policy, 10_000, key=jax.random.key(0))
    env = TargetAction(Discrete(3), target=0)  # observations in [-1, 1]
    other_obs = MLPActorCriticPolicy(MaskedBest(), **SMALL, key=jax.random.key(0))  # in [0, 1]
    with pytest.raises(ValueError, match="observation space"):
        A2C().learn(env, other_obs, 10_000, key=jax.random.key(0))
    other_act = MLPActorCriticPolicy(Alternate(), **SMALL, key=jax.random.key(0))  # 2 actions
    with pytest.raises(ValueError, match="action space"):
        A2C().learn(env, other_act, 10_000, key=jax.random.key(0))
    with pytest.raises(ValueError, match="smaller than one iteration"):
        PPO().learn(ENV, policy, 100, key=jax.random.key(0))
    with pytest.raises(TypeError, match="callback"):
        PPO().learn(ENV, policy, 10_000, key=jax.random.key(0), callback="progress")  # type: ignore[arg-type]


def test_documented_defaults():
    ppo = PPO()
    assert (ppo.num_envs, ppo.num_steps, ppo.num_epochs, ppo.num_batches) == (4, 2048, 10, 32)
    assert (ppo.gae_lambda, ppo.gamma, ppo.clip_coefficient, ppo.clip_value_loss) == (
        0.95,
        0.99,
        0.2,
        False,
    )
    assert (ppo.entropy_loss_coefficient, ppo.value_loss_coefficient, ppo.max_grad_norm) == (
        0.0,
        0.5,
        0.5,
    )
    assert ppo.normalize_advantages is True and ppo.learning_rate == 3e-4
    a2c = A2C()
    assert (a2c.num_envs, a2c.num_steps, a2c.gae_lambda, a2c.learning_rate) == (4, 5, 1.0, 7e-4)
    assert a2c.normalize_advantages is False and a2c.entropy_loss_coefficient == 0.0
    r = REINFORCE()
    assert (r.num_envs, r.num_steps, r.gamma, r.learning_rate) == (1, 512, 0.99, 3e-4)
    assert r.normalize_advantages is True and r.value_loss_coefficient == 0.5
    assert dataclasses.is_dataclass(r)
