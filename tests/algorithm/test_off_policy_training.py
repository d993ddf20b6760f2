"""The off-policy actor-critic loop: targets against hand computations, warm-up, vmap over
seeds and hyperparameters, checkpoints, statistics and clear errors (one trace per run:
test_one_compile.py)."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from lerax.algorithm import (
    DDPG,
    SAC,
    TD3,
    DDPGStats,
    SACDiscrete,
    SACStats,
    SoftQNetwork,
)
from lerax.buffer import Transition
from lerax.policy import (
    MLPActorCriticPolicy,
    MLPDeterministicPolicy,
    MLPDiscreteSACPolicy,
    MLPSACPolicy,
)
from lerax.space import Box

from ._box_probes import BoxConstant, BoxTarget
from ._callbacks import MetricsSpy
from ._probes import MaskedBest

ENV = BoxTarget()
SMALL = dict(
    buffer_size=1_000, learning_starts=64, num_envs=2, batch_size=16, q_width_size=16, q_depth=1
)
STEPS = 256
ALGOS = {
    "sac": lambda **kw: SAC(**{**SMALL, **kw}),
    "td3": lambda **kw: TD3(**{**SMALL, **kw}),
    "ddpg": lambda **kw: DDPG(**{**SMALL, **kw}),
    "sac-discrete": lambda **kw: SACDiscrete(**{**SMALL, **kw}),
}


def _policy(name, env=ENV):
    key = jax.random.key(0)
    if name == "sac":
        return MLPSACPolicy(env, feature_size=8, width_size=16, depth=1, key=key)
    if name == "sac-discrete":
        return MLPDiscreteSACPolicy(env, width_size=16, depth=1, key=key)
    return MLPDeterministicPolicy(env, width_size=16, depth=1, key=key)


def _env(name):
    return MaskedBest() if name == "sac-discrete" else ENV


def _leaves(tree):
    return jax.tree.leaves(eqx.filter(tree, eqx.is_array))


def _assert_trees_close(a, b):
    for x, y in zip(_leaves(a), _leaves(b), strict=True):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=1e-4, atol=1e-5)


def _q(qf, obs, action):
    return np.asarray(jax.vmap(qf)(jnp.asarray(obs), jnp.asarray(action) / 2.0))


def _batch(n=64, seed=0, terminal=None):
    rng = np.random.default_rng(seed)
    obs = rng.uniform(-1, 1, (n, 1)).astype(np.float32)
    return Transition(
        observation=jnp.asarray(obs),
        action=jnp.asarray(rng.uniform(-2, 2, (n, 1)), jnp.float32),
        reward=jnp.asarray(rng.normal(size=n), jnp.float32),
        next_observation=jnp.asarray(rng.uniform(-1, 1, (n, 1)), jnp.float32),
        terminal=jnp.asarray(rng.random(n) < 0.3 if terminal is None else terminal),
        truncation=jnp.asarray(rng.random(n) < 0.3),
    )


# ------------------------------------------------------------------ targets by hand


def _trained_state(algo, name):
    env = _env(name)
    state = algo.init(env, _policy(name, env), key=jax.random.key(3))
    return algo.train(env, state, 64)  # targets differ from the critics and from each other


def test_td3_target_is_the_twin_minimum_at_smoothed_actions():
    algo = ALGOS["td3"](gamma=0.9, policy_noise=1e4, noise_clip=0.5)
    state = _trained_state(algo, "td3")
    batch = _batch()
    target = np.asarray(algo.critic_target(state, batch, key=jax.random.key(9)))
    _, mu = jax.vmap(state.target_policy.deterministic_action)(None, batch.next_observation)
    mu = np.asarray(mu)
    # Noise N(0, 1e4) clipped to +-0.5, times the half-width 2: the target action is
    # mu +- 1 (clipped to the bounds), almost surely.
    options = []
    for sign in (-1.0, 1.0):
        a = np.clip(mu + sign, -2.0, 2.0)
        q1 = _q(state.qf1_target, batch.next_observation, a)
        q2 = _q(state.qf2_target, batch.next_observation, a)
        not_terminal = 1.0 - np.asarray(batch.terminal, np.float32)
        options.append(np.asarray(batch.reward) + 0.9 * not_terminal * np.minimum(q1, q2))
        assert (q1 != q2).all()
    options = np.stack(options)
    close = np.isclose(options, target[None], rtol=1e-5, atol=1e-5)
    assert close.any(0).all()
    assert close[0].sum() > 10 and close[1].sum() > 10  # both signs of the noise occur
    # The minimum of the two critics, not the first one alone, is what counts.
    q1_only = _q(state.qf1_target, batch.next_observation, np.clip(mu + 1.0, -2, 2))
    assert not np.allclose(
        q1_only,
        np.minimum(q1_only, _q(state.qf2_target, batch.next_observation, np.clip(mu + 1.0, -2, 2))),
    )


def test_ddpg_target_uses_one_critic_and_no_noise():
    algo = ALGOS["ddpg"](gamma=0.8)
    state = _trained_state(algo, "ddpg")
    batch = _batch(seed=1)
    target = np.asarray(algo.critic_target(state, batch, key=jax.random.key(9)))
    _, mu = jax.vmap(state.target_policy.deterministic_action)(None, batch.next_observation)
    q = _q(state.qf_target, batch.next_observation, np.asarray(mu))
    not_terminal = 1.0 - np.asarray(batch.terminal, np.float32)
    np.testing.assert_allclose(
        target, np.asarray(batch.reward) + 0.8 * not_terminal * q, rtol=1e-5, atol=1e-5
    )


def test_sac_target_is_the_soft_twin_minimum():
    algo = ALGOS["sac"](gamma=0.95, autotune=False, initial_alpha=0.3)
    state = _trained_state(algo, "sac")
    batch = _batch(seed=2)
    key = jax.random.key(4)
    target = np.asarray(algo.critic_target(state, batch, key=key))
    keys = jax.random.split(key, 64)
    _, a, log_prob = jax.vmap(lambda o, k: state.policy.action_and_log_prob(None, o, key=k))(
        batch.next_observation, keys
    )
    q1 = _q(state.qf1_target, batch.next_observation, a)
    q2 = _q(state.qf2_target, batch.next_observation, a)
    soft = np.minimum(q1, q2) - 0.3 * np.asarray(log_prob)
    not_terminal = 1.0 - np.asarray(batch.terminal, np.float32)
    expected = np.asarray(batch.reward) + 0.95 * not_terminal * soft
    np.testing.assert_allclose(target, expected, rtol=1e-4, atol=1e-4)
    # The samples' keys may come already split (SAC.update splits them all at once).
    presplit = np.asarray(algo.critic_target(state, batch, key=keys))
    np.testing.assert_allclose(presplit, target, rtol=1e-6, atol=1e-6)
    # A legacy raw key (uint32 data of shape (2,)) is still one key, not two samples' keys.
    raw = np.asarray(algo.critic_target(state, batch, key=jax.random.key_data(key)))
    np.testing.assert_allclose(raw, target, rtol=1e-6, atol=1e-6)


def test_sac_discrete_target_is_the_expected_soft_value_under_the_mask():
    algo = ALGOS["sac-discrete"](gamma=0.9, autotune=False, initial_alpha=0.5)
    state = _trained_state(algo, "sac-discrete")
    rng = np.random.default_rng(5)
    n = 16
    mask = np.ones((n, 3), bool)
    mask[:, 2] = rng.random(n) < 0.5
    batch = Transition(
        observation=jnp.zeros((n, 1)),
        action=jnp.zeros(n, jnp.int32),
        reward=jnp.asarray(rng.normal(size=n), jnp.float32),
        next_observation=jnp.asarray(rng.uniform(0, 1, (n, 1)), jnp.float32),
        terminal=jnp.asarray(rng.random(n) < 0.3),
        truncation=jnp.zeros(n, bool),
        next_action_mask=jnp.asarray(mask),
        action_mask=jnp.asarray(mask),
    )
    target = np.asarray(algo.critic_target(state, batch))
    logits = np.asarray(
        jax.vmap(lambda o: state.policy.action_logits(None, o)[1])(batch.next_observation),
        np.float64,
    )
    logits = np.where(mask, logits, -np.inf)
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    q = np.minimum(
        np.asarray(jax.vmap(state.qf1_target)(batch.next_observation)),
        np.asarray(jax.vmap(state.qf2_target)(batch.next_observation)),
    )
    log_probs = np.where(mask, np.log(np.where(mask, probs, 1.0)), 0.0)
    value = np.sum(probs * (q - 0.5 * log_probs), axis=1)
    not_terminal = 1.0 - np.asarray(batch.terminal, np.float32)
    np.testing.assert_allclose(
        target, np.asarray(batch.reward) + 0.9 * not_terminal * value, rtol=1e-4, atol=1e-4
    )


def test_truncated_transitions_still_bootstrap():
    algo = ALGOS["ddpg"](gamma=0.5)
    state = _trained_state(algo, "ddpg")
    ended = _batch(seed=3, terminal=np.ones(64, bool))
    cut = eqx.tree_at(
        lambda b: (b.terminal, b.truncation), ended, (jnp.zeros(64, bool), jnp.ones(64, bool))
    )
    np.testing.assert_allclose(
        algo.critic_target(state, ended, key=jax.random.key(0)), ended.reward
    )
    assert not np.allclose(algo.critic_target(state, cut, key=jax.random.key(0)), cut.reward)


# ------------------------------------------------------------------ the loop


def test_warm_up_acts_uniformly_at_random_and_does_not_learn():
    algo = ALGOS["td3"](learning_starts=2_000, buffer_size=2_000, num_envs=4)
    state = algo.init(ENV, _policy("td3"), key=jax.random.key(0))
    state = algo.train(ENV, state, 2_000 // 4 - 1)
    actions = np.asarray(state.buffer.transitions.action[: int(state.buffer.count)])[:, 0]
    assert int(state.updates) == 0
    assert abs(actions.mean()) < 0.15 and abs(actions.std() - 4 / np.sqrt(12)) < 0.1
    assert actions.min() < -1.9 and actions.max() > 1.9
    counts, _ = np.histogram(actions, bins=4, range=(-2, 2))
    assert counts.min() > 0.8 * len(actions) / 4


def test_gradient_steps_per_iteration():
    algo = ALGOS["ddpg"](gradient_steps=3, learning_starts=0)
    state = algo.train(ENV, algo.init(ENV, _policy("ddpg"), key=jax.random.key(0)), 5)
    assert int(state.updates) == 15 and int(state.global_step) == 10


def test_vmap_over_seeds_equals_single_seed_runs():
    algo = ALGOS["td3"]()
    policy = _policy("td3")
    keys = jax.random.split(jax.random.key(7), 3)
    batched = algo.learn_many(ENV, policy, STEPS, keys=keys)
    single = algo.learn(ENV, policy, STEPS, key=keys[1])
    _assert_trees_close(jax.tree.map(lambda x: x[1], eqx.filter(batched, eqx.is_array)), single)
    first = _leaves(batched)[-1]
    assert not np.allclose(np.asarray(first[0]), np.asarray(first[2]))


def test_vmap_over_hyperparameters():
    algo = ALGOS["sac"]()
    policy = _policy("sac")
    taus, gammas = jnp.array([0.01, 0.5]), jnp.array([0.9, 0.99])
    algos = eqx.tree_at(lambda a: (a.tau, a.gamma), algo, (taus, gammas))
    in_axes = eqx.tree_at(
        lambda a: (a.tau, a.gamma),
        jax.tree.map(lambda _: None, algo),
        (0, 0),
        is_leaf=lambda x: x is None,
    )
    learned = eqx.filter_vmap(
        lambda a: a.learn(ENV, policy, STEPS, key=jax.random.key(3)), in_axes=(in_axes,)
    )(algos)
    single = eqx.tree_at(lambda a: (a.tau, a.gamma), algo, (taus[1], gammas[1])).learn(
        ENV, policy, STEPS, key=jax.random.key(3)
    )
    _assert_trees_close(jax.tree.map(lambda x: x[1], eqx.filter(learned, eqx.is_array)), single)


@pytest.mark.parametrize("name", list(ALGOS))
def test_checkpoint_and_resume_equals_uninterrupted(name, tmp_path):
    algo, env, policy = ALGOS[name](), _env(name), _policy(name, _env(name))
    n = algo.num_iterations(STEPS)
    state = algo.init(env, policy, key=jax.random.key(5))
    full = algo.train(env, state, n, total_timesteps=STEPS)
    half = algo.train(env, state, n // 2, total_timesteps=STEPS)
    path = algo.save_state(half, tmp_path / "ckpt")
    restored = algo.load_state(path, env, policy)
    assert type(restored) is type(full)
    resumed = algo.train(env, restored, n - n // 2, total_timesteps=STEPS)
    assert int(resumed.global_step) == int(full.global_step) == STEPS
    assert int(full.updates) > 0
    _assert_trees_close(resumed, full)


@pytest.mark.parametrize(
    "name, stats, names",
    [
        ("sac", SACStats, {"critic_loss", "actor_loss", "alpha", "entropy", "q_mean"}),
        ("td3", DDPGStats, {"critic_loss", "actor_loss", "q_mean"}),
    ],
)
def test_logged_statistics(name, stats, names):
    seen = []
    callback = MetricsSpy(seen)
    ALGOS[name]().learn(ENV, _policy(name), STEPS, key=jax.random.key(0), callback=callback)
    assert isinstance(seen[0].stats, stats)
    assert set(seen[0].scalars()) == {"episode_return", "episode_length", "episodes"} | names


def test_learning_rate_schedules():
    zero_after = optax.linear_schedule(3e-3, 0.0, 40)
    algo = ALGOS["sac"](
        policy_lr=zero_after, q_lr=zero_after, alpha_lr=zero_after, learning_starts=0
    )
    state = algo.train(ENV, algo.init(ENV, _policy("sac"), key=jax.random.key(0)), 40)
    later = algo.train(ENV, state, 4)
    _assert_trees_close(
        (later.policy, later.qf1, later.qf2, later.log_alpha),
        (state.policy, state.qf1, state.qf2, state.log_alpha),
    )
    first = algo.train(ENV, algo.init(ENV, _policy("sac"), key=jax.random.key(0)), 4)
    assert not np.allclose(np.asarray(_leaves(first.qf1)[0]), np.asarray(_leaves(later.qf1)[0]))


def test_autotune_moves_the_temperature_and_fixed_alpha_stays():
    tuned = ALGOS["sac"](learning_starts=0)
    state = tuned.train(ENV, tuned.init(ENV, _policy("sac"), key=jax.random.key(0)), 50)
    assert float(jnp.exp(state.log_alpha)) != pytest.approx(0.2, abs=1e-4)
    assert float(state.target_entropy) == -1.0
    fixed = ALGOS["sac"](learning_starts=0, autotune=False, initial_alpha=0.05)
    state = fixed.train(ENV, fixed.init(ENV, _policy("sac"), key=jax.random.key(0)), 10)
    assert float(jnp.exp(state.log_alpha)) == pytest.approx(0.05, rel=1e-6)
    discrete = ALGOS["sac-discrete"](target_entropy_scale=0.5)
    state = discrete.init(
        MaskedBest(), _policy("sac-discrete", MaskedBest()), key=jax.random.key(0)
    )
    assert float(state.target_entropy) == pytest.approx(0.5 * np.log(3))


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: SAC(batch_size=512, buffer_size=256), "batch_size"),
        (lambda: TD3(tau=0.0), "tau"),
        (lambda: DDPG(tau=1.5), "tau"),
        (lambda: SAC(policy_lr=-1e-3), "policy_lr"),
        (lambda: SAC(q_lr=0.0), "q_lr"),
        (lambda: SAC(alpha_lr=-1.0), "alpha_lr"),
        (lambda: SACDiscrete(initial_alpha=0.0), "initial_alpha"),
        (lambda: TD3(actor_lr=-3e-4), "actor_lr"),
        (lambda: TD3(policy_frequency=0), "policy_frequency"),
        (lambda: TD3(noise_clip=-0.1), "noise_clip"),
        (lambda: SAC(gamma=1.2), "gamma"),
        (lambda: SAC(learning_starts=-1), "learning_starts"),
        (lambda: SAC(num_envs=8, buffer_size=4, batch_size=2), "buffer_size"),
    ],
)
def test_bad_hyperparameters(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_constructors_are_keyword_only():
    for cls in (SAC, SACDiscrete, DDPG, TD3):
        with pytest.raises(TypeError):
            cls(1000)


def test_wrong_spaces_and_policies_raise_before_compiling():
    discrete_env = MaskedBest()
    with pytest.raises(ValueError, match="Box action space"):
        SAC().learn(
            discrete_env, _policy("sac-discrete", discrete_env), 1_000, key=jax.random.key(0)
        )
    with pytest.raises(ValueError, match="Box action space"):
        TD3().learn(
            discrete_env, _policy("sac-discrete", discrete_env), 1_000, key=jax.random.key(0)
        )
    with pytest.raises(ValueError, match="Discrete action space"):
        SACDiscrete().learn(ENV, _policy("sac"), 1_000, key=jax.random.key(0))
    unbounded = BoxConstant(action_space=Box(-jnp.inf, jnp.inf, (1,)))
    with pytest.raises(ValueError, match="finite bounds"):
        DDPG().learn(unbounded, _policy("ddpg"), 1_000, key=jax.random.key(0))
    with pytest.raises(TypeError, match="AbstractDeterministicPolicy"):
        DDPG().learn(ENV, _policy("sac"), 1_000, key=jax.random.key(0))
    with pytest.raises(TypeError, match="AbstractSACPolicy"):
        SAC().learn(ENV, _policy("td3"), 1_000, key=jax.random.key(0))
    actor_critic = MLPActorCriticPolicy(discrete_env, key=jax.random.key(0))
    with pytest.raises(TypeError, match="AbstractDiscreteSACPolicy"):
        SACDiscrete().learn(discrete_env, actor_critic, 1_000, key=jax.random.key(0))


def test_critic_network():
    qf = SoftQNetwork(3, 2, width_size=8, depth=2, key=jax.random.key(0))
    x, a = jnp.arange(3.0), jnp.array([0.5, -0.5])
    np.testing.assert_allclose(qf(x, a), qf.mlp(jnp.concatenate([x, a])), rtol=1e-6)
    assert qf(x, a).shape == () and len(qf.mlp.layers) == 3
    with pytest.raises(ValueError, match="width_size"):
        SoftQNetwork(3, 2, width_size=0, key=jax.random.key(0))


def test_documented_defaults():
    sac = SAC()
    assert (sac.buffer_size, sac.gamma, sac.learning_starts, sac.num_envs, sac.num_steps) == (
        1_000_000,
        0.99,
        100,
        4,
        1,
    )
    assert (sac.batch_size, sac.tau, sac.policy_frequency, sac.autotune, sac.initial_alpha) == (
        256,
        0.005,
        2,
        True,
        0.2,
    )
    assert (sac.policy_lr, sac.q_lr, sac.alpha_lr, sac.q_width_size, sac.q_depth) == (
        3e-4,
        3e-4,
        None,
        256,
        2,
    )
    d = SACDiscrete()
    assert (d.learning_starts, d.num_envs, d.num_steps, d.batch_size, d.tau) == (
        20_000,
        1,
        4,
        64,
        1.0,
    )
    assert d.target_entropy_scale == 0.89
    for cls in (DDPG, TD3):
        a = cls()
        assert (a.buffer_size, a.learning_starts, a.num_envs, a.batch_size, a.tau) == (
            1_000_000,
            25_000,
            1,
            256,
            0.005,
        )
        assert (a.actor_lr, a.q_lr, a.q_width_size, a.q_depth) == (3e-4, 3e-4, 256, 2)
    td3 = TD3()
    assert (td3.policy_frequency, td3.policy_noise, td3.noise_clip) == (2, 0.2, 0.5)
