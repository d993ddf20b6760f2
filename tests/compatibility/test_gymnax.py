"""lerax.compatibility.gymnax: spaces, both environment bridges, and training on gymnax.

gymnax is the reference both ways: a gymnax environment behind `GymnaxToLeraxEnv` must
return exactly what gymnax's own `step` returns from the same state, and a lerax
environment behind `LeraxToGymnaxEnv` exactly what lerax's `step` returns for the same
keys, under `jit`, `lax.scan` and `vmap`; lerax's compiled PPO and DQN must train through
the bridge on MinAtar.
"""

import subprocess
import sys

import equinox as eqx
import gymnax
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from gymnax.environments import spaces as gs
from gymnax.wrappers.purerl import LogWrapper

from lerax import space as ls
from lerax.algorithm import DQN, PPO
from lerax.compatibility.gymnax import (
    GymnaxEnvState,
    GymnaxToLeraxEnv,
    LeraxEnvParams,
    LeraxEnvState,
    LeraxToGymnaxEnv,
    gymnax_space_to_lerax_space,
    lerax_to_gymnax_space,
)
from lerax.env.classic_control import CartPole, Pendulum
from lerax.policy import MLPActorCriticPolicy, MLPQPolicy
from lerax.wrapper import EpisodeStatistics, TimeLimit

# --- spaces -----------------------------------------------------------------------------

GYMNAX_SPACES = {
    "box": gs.Box(-1.0, 2.0, (3, 2)),
    "box-bounds": gs.Box(jnp.array([-jnp.inf, 0.0]), jnp.array([jnp.inf, 1.0]), (2,)),
    "discrete": gs.Discrete(5),
    "tuple": gs.Tuple([gs.Discrete(2), gs.Box(0.0, 1.0, (2,))]),
    "dict": gs.Dict({"b": gs.Discrete(3), "a": gs.Tuple([gs.Box(-1.0, 1.0, (1,))])}),
}
LERAX_SPACES = {
    "box": ls.Box(-1.0, 2.0, shape=(3, 2)),
    "box-bounds": ls.Box(np.array([-np.inf, 0.0]), np.array([np.inf, 1.0])),
    "discrete": ls.Discrete(5),
    "tuple": ls.Tuple([ls.Discrete(2), ls.Box(0.0, 1.0, shape=(2,))]),
    "dict": ls.Dict({"b": ls.Discrete(3), "a": ls.Tuple([ls.Box(-1.0, 1.0, shape=(1,))])}),
}


def _same_gymnax_space(a, b):
    """gymnax spaces do not compare by value: compare their kind, sizes, bounds and dtypes."""
    assert type(a) is type(b)
    if isinstance(a, gs.Discrete):
        assert (a.n, a.dtype) == (b.n, b.dtype)
    elif isinstance(a, gs.Box):
        assert tuple(a.shape) == tuple(b.shape) and np.dtype(a.dtype) == np.dtype(b.dtype)
        for x, y in [(a.low, b.low), (a.high, b.high)]:
            np.testing.assert_array_equal(
                np.broadcast_to(np.asarray(x, np.float32), a.shape),
                np.broadcast_to(np.asarray(y, np.float32), b.shape),
            )
    elif isinstance(a, gs.Tuple):
        assert len(a.spaces) == len(b.spaces)
        for x, y in zip(a.spaces, b.spaces, strict=True):
            _same_gymnax_space(x, y)
    else:
        assert list(a.spaces) == list(b.spaces)  # same keys, same order
        for k in a.spaces:
            _same_gymnax_space(a.spaces[k], b.spaces[k])


@pytest.mark.parametrize("name", GYMNAX_SPACES)
def test_space_round_trips(name):
    gymnax_space, lerax_space = GYMNAX_SPACES[name], LERAX_SPACES[name]
    assert gymnax_space_to_lerax_space(gymnax_space) == lerax_space
    assert gymnax_space_to_lerax_space(lerax_to_gymnax_space(lerax_space)) == lerax_space
    _same_gymnax_space(lerax_to_gymnax_space(lerax_space), gymnax_space)
    _same_gymnax_space(
        lerax_to_gymnax_space(gymnax_space_to_lerax_space(gymnax_space)), gymnax_space
    )


@pytest.mark.parametrize("name", ["box", "discrete", "tuple", "dict"])
def test_converted_spaces_hold_each_others_samples(name):
    gymnax_space, lerax_space = GYMNAX_SPACES[name], LERAX_SPACES[name]
    for i in range(3):
        assert lerax_space.contains(gymnax_space.sample(jax.random.key(i)))
    if name != "dict":  # gymnax's Dict.contains reads attributes, so no dict passes it
        for i in range(3):
            sample = lerax_space.sample(key=jax.random.key(i))
            assert lerax_to_gymnax_space(lerax_space).contains(sample)


def test_integer_box_becomes_a_float_box_with_its_bounds():
    converted = gymnax_space_to_lerax_space(gs.Box(0, 255, (2, 2), jnp.uint8))
    assert converted == ls.Box(0.0, 255.0, shape=(2, 2))


class Ring(gs.Space):
    """A gymnax space lerax has no counterpart for."""


@pytest.mark.parametrize(
    "space, match",
    [
        (ls.MultiBinary(3), r"MultiBinary\(3\) \(MultiBinary\) has no gymnax counterpart"),
        (ls.MultiDiscrete([2, 3]), "Tuple of Discrete"),
        (ls.Tuple([ls.Discrete(2), ls.MultiBinary(2)]), "MultiBinary.*no gymnax counterpart"),
    ],
)
def test_unsupported_lerax_space_is_named(space, match):
    with pytest.raises(TypeError, match=match):
        lerax_to_gymnax_space(space)


def test_unsupported_gymnax_spaces_raise():
    with pytest.raises(TypeError, match=r"\(Ring\) has no lerax counterpart.*Box, Discrete"):
        gymnax_space_to_lerax_space(gs.Dict({"x": Ring()}))
    with pytest.raises(ValueError, match="no elements"):
        gymnax_space_to_lerax_space(gs.Discrete(0))


# --- LeraxToGymnaxEnv -------------------------------------------------------------------

# Pushing one way topples the pole (terminal); alternating pushes last (truncation).
ACTIONS = jnp.asarray(([1] * 20 + [0, 1] * 15) * 2, jnp.int32)


def _check_time_limit(terminal, truncate, limit):
    """Episodes are truncated exactly at `limit` steps, and terminal ones end before."""
    ends = np.flatnonzero(terminal | truncate)
    lengths = np.diff(np.concatenate([[-1], ends]))
    assert (lengths[truncate[ends]] == limit).all() and (lengths[terminal[ends]] < limit).all()


def _lerax_cartpole():
    # EpisodeStatistics counts episodes across resets: it shows that the bridge restarts
    # episodes with lerax's reset_episode, as lerax's own step does.
    return EpisodeStatistics(TimeLimit(CartPole(), 15))


@eqx.filter_jit
def _lerax_rollout(env, key, actions):
    keys = jax.random.split(key, actions.shape[0] + 1)
    state, obs, _ = env.reset(key=keys[0])

    def body(state, x):
        action, k = x
        state, obs, reward, terminal, truncate, info = env.step(state, action, key=k)
        return state, (obs, reward, terminal, truncate, info, state)

    return obs, jax.lax.scan(body, state, (actions, keys[1:]))[1]


@eqx.filter_jit
def _gymnax_rollout(env, key, actions):
    keys = jax.random.split(key, actions.shape[0] + 1)
    params = env.default_params
    obs, state = env.reset(keys[0], params)

    def body(state, x):
        action, k = x
        obs, state, reward, terminated, truncated, info = env.step(k, state, action, params)
        return state, (obs, reward, terminated, truncated, info, state)

    return obs, jax.lax.scan(body, state, (actions, keys[1:]))[1]


def test_lerax_env_in_gymnax_equals_lerax_for_the_same_keys():
    env = _lerax_cartpole()
    bridged = LeraxToGymnaxEnv(env)
    key = jax.random.key(0)
    first, (obs, reward, terminal, truncate, info, states) = _lerax_rollout(env, key, ACTIONS)
    g_first, (g_obs, g_reward, g_terminated, g_truncated, g_info, g_states) = _gymnax_rollout(
        bridged, key, ACTIONS
    )
    # Exactly the same discrete outcomes; the same floats up to float32 rounding (the two
    # compiled programs may fuse the physics differently, one ulp apart).
    for ours, theirs in [
        (terminal, g_terminated),
        (truncate, g_truncated),
        (terminal, g_info["terminated"]),
        (truncate, g_info["truncated"]),
        (info["episode_count"], g_info["episode_count"]),
        (reward, g_reward),
    ]:
        np.testing.assert_array_equal(ours, theirs)
    for ours, theirs in [
        (first, g_first),
        (obs, g_obs),
        (info["final_observation"], g_info["final_observation"]),
    ]:
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    assert isinstance(g_states, LeraxEnvState)
    for a, b in zip(jax.tree.leaves(states), jax.tree.leaves(g_states.env_state), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # Both ways of ending an episode happened, never both at once, and the statistics of
    # the stateful wrapper survived every reset.
    done = np.asarray(terminal | truncate)
    assert np.asarray(terminal).any() and np.asarray(truncate).any()
    assert not np.asarray(g_terminated & g_truncated).any()
    np.testing.assert_array_equal(g_info["episode_count"], np.cumsum(done))
    # `time` counts the steps of the current episode.
    expected_time, t = [], 0
    for d in done:
        t = 0 if d else t + 1
        expected_time.append(t)
    np.testing.assert_array_equal(g_states.time, expected_time)
    _check_time_limit(np.asarray(terminal), np.asarray(truncate), 15)


def test_lerax_env_in_gymnax_api():
    env = LeraxToGymnaxEnv(TimeLimit(CartPole(), 500))
    params = env.default_params
    assert params == LeraxEnvParams()
    assert env.name == "CartPole-v1" and env.num_actions == 2
    _same_gymnax_space(env.action_space(params), gs.Discrete(2))
    assert gymnax_space_to_lerax_space(env.observation_space(None)) == CartPole().observation_space
    obs, state = env.reset(jax.random.key(0))  # params default to the empty ones
    np.testing.assert_array_equal(env.observe(jax.random.key(1), state, None, params), obs)
    assert not env.is_truncated(state, params)
    # step_env is one step without the auto-reset.
    obs, next_state, reward, terminated, info = env.step_env(jax.random.key(2), state, 1, params)
    assert int(next_state.time) == 1 and float(reward) == 1.0 and not terminated
    assert Pendulum().action_space.flat_size == LeraxToGymnaxEnv(Pendulum()).num_actions == 1
    # The message is ours, or the run-time type checker's when one is active (as in tests).
    with pytest.raises(TypeError, match="lerax environment|AbstractEnvLike"):
        LeraxToGymnaxEnv(gymnax.make("CartPole-v1")[0])  # type: ignore[arg-type]


def _compiled_once(rollout):
    """`rollout` vmapped over 8 keys (twice), and looped over 3 of them: one trace each."""
    batched = eqx.filter_jit(eqx.debug.assert_max_traces(jax.vmap(rollout), max_traces=1))
    single = eqx.filter_jit(eqx.debug.assert_max_traces(rollout, max_traces=1))
    keys = jax.random.split(jax.random.key(0), 8)
    batched(jax.random.split(jax.random.key(1), 8))  # other keys: no new trace
    return batched(keys), [single(k) for k in keys[:3]]


def test_gymnax_log_wrapper_on_a_lerax_env_vmapped_matches_a_loop():
    env = LogWrapper(LeraxToGymnaxEnv(TimeLimit(CartPole(), 30)))
    params = LeraxEnvParams()

    def rollout(key):
        reset_key, key = jax.random.split(key)
        _, state = env.reset(reset_key, params)

        def body(state, k):
            action_key, step_key = jax.random.split(k)
            action = env.action_space(params).sample(action_key)
            _, state, reward, _, _, info = env.step(step_key, state, action, params)
            return state, (reward, info["returned_episode"], info["returned_episode_returns"])

        return jax.lax.scan(body, state, jax.random.split(key, 100))[1]

    batched, looped = _compiled_once(rollout)
    for i, one in enumerate(looped):
        for a, b in zip(batched, one, strict=True):
            np.testing.assert_array_equal(a[i], b)
    reward, ended, returns = (np.asarray(x) for x in batched)
    assert ended.any(axis=1).all()
    # CartPole pays 1 a step, so each finished episode returns its length (at most 30).
    assert set(returns[ended].tolist()) <= set(range(1, 31)) and 30 in returns[ended]


# --- GymnaxToLeraxEnv -------------------------------------------------------------------


@pytest.fixture(scope="module")
def gymnax_cartpole():
    env, params = gymnax.make("CartPole-v1")
    return env, params.replace(max_steps_in_episode=15)


def test_initial_and_transition_are_gymnax_reset_env_and_step_env(gymnax_cartpole):
    genv, params = gymnax_cartpole
    env = GymnaxToLeraxEnv(genv, params)
    assert env.name == "CartPole-v1" and env.action_space == ls.Discrete(2)
    k0, k1 = jax.random.split(jax.random.key(0))
    state = env.initial(key=k0)
    ref_obs, ref_state = genv.reset_env(k0, params)
    assert isinstance(state, GymnaxEnvState) and state.unwrapped is state
    np.testing.assert_array_equal(state.observation, ref_obs)
    for a, b in zip(jax.tree.leaves(state.env_state), jax.tree.leaves(ref_state), strict=True):
        np.testing.assert_array_equal(a, b)
        assert isinstance(a, jax.Array)  # gymnax's Python `time=0` is an int32 array here
    next_state = env.transition(state, jnp.int32(1), key=k1)
    obs, ref_next, reward, terminated, info = genv.step_env(k1, ref_state, 1, params)
    np.testing.assert_array_equal(next_state.observation, obs)
    np.testing.assert_array_equal(next_state.env_state.x_dot, ref_next.x_dot)
    assert next_state.reward == reward and next_state.terminal == terminated
    assert next_state.transition_info["discount"] == info["discount"]


def test_gymnax_env_in_lerax_equals_gymnax_step_by_step(gymnax_cartpole):
    genv, params = gymnax_cartpole
    env = GymnaxToLeraxEnv(genv, params)

    @eqx.filter_jit
    def lockstep(key, actions):
        state, _, _ = env.reset(key=key)

        def body(carry, x):
            state, g_state = carry
            action, k = x
            state, obs, reward, terminal, truncate, info = env.step(state, action, key=k)
            g_obs, g_next, g_reward, g_term, g_trunc, g_info = genv.step(k, g_state, action, params)
            # The resets draw from different keys: continue gymnax from our new episode.
            done = terminal | truncate
            g_state = jax.tree.map(lambda a, b: jnp.where(done, a, b), state.env_state, g_next)
            ours = (obs, reward, terminal, truncate, info["final_observation"], info["discount"])
            theirs = (g_obs, g_reward, g_term, g_trunc, g_info["final_observation"])
            return (state, g_state), (ours, theirs, state.env_state.time)

        return jax.lax.scan(body, (state, state.env_state), (actions, jax.random.split(key, 100)))

    _, (ours, theirs, time) = lockstep(jax.random.key(1), ACTIONS[:100])
    obs, reward, terminal, truncate, final, discount = (np.asarray(x) for x in ours)
    g_obs, g_reward, g_term, g_trunc, g_final = (np.asarray(x) for x in theirs)
    np.testing.assert_array_equal(final, g_final)
    np.testing.assert_array_equal(reward, g_reward)
    np.testing.assert_array_equal(terminal, g_term)
    np.testing.assert_array_equal(truncate, g_trunc & ~g_term)
    np.testing.assert_array_equal(discount, 1.0 - g_term)
    done = terminal | truncate
    np.testing.assert_array_equal(obs[~done], g_obs[~done])
    assert terminal.any() and truncate.any()
    # After the end of an episode: a fresh one, from gymnax's reset distribution.
    assert (time[done] == 0).all() and (np.abs(obs[done]) <= 0.05).all()
    _check_time_limit(terminal, truncate, params.max_steps_in_episode)


def test_gymnax_env_jits_and_vmaps_over_8_envs_like_a_loop(gymnax_cartpole):
    env = GymnaxToLeraxEnv(*gymnax_cartpole)

    def rollout(key):
        reset_key, key = jax.random.split(key)
        state, _, _ = env.reset(key=reset_key)

        def body(state, k):
            action_key, step_key = jax.random.split(k)
            action = env.action_space.sample(key=action_key)
            state, obs, reward, terminal, truncate, _ = env.step(state, action, key=step_key)
            return state, (obs, reward, terminal | truncate)

        return jax.lax.scan(body, state, jax.random.split(key, 50))[1]

    batched, looped = _compiled_once(rollout)
    assert batched[0].shape == (8, 50, 4)
    for i, one in enumerate(looped):
        for a, b in zip(batched, one, strict=True):
            np.testing.assert_array_equal(a[i], b)
    assert np.asarray(batched[2]).any()


def test_gymnax_params_are_leaves_that_vmap(gymnax_cartpole):
    base = GymnaxToLeraxEnv(*gymnax_cartpole)

    def fall(gravity):
        env = eqx.tree_at(lambda e: e.params.gravity, base, gravity)
        state = env.initial(key=jax.random.key(0))
        for i in range(5):
            state = env.transition(state, jnp.int32(1), key=jax.random.key(i))
        return state.observation

    gravities = jnp.array([1.0, 9.8, 30.0])
    batched = jax.jit(jax.vmap(fall))(gravities)
    for i, gravity in enumerate(gravities):
        np.testing.assert_allclose(batched[i], fall(gravity), rtol=1e-5, atol=1e-6)
    # Each environment of the batch ran with its own gravity.
    angular_velocities = np.asarray(batched[:, 3])
    assert len(set(angular_velocities.tolist())) == 3


def test_gymnax_env_errors():
    genv, params = gymnax.make("CartPole-v1")
    # The message is ours, or the run-time type checker's when one is active (as in tests).
    for not_an_env in [CartPole(), LogWrapper(genv)]:
        with pytest.raises(TypeError, match=r"gymnax(\.environments\.environment\.| )Environment"):
            GymnaxToLeraxEnv(not_an_env, params)  # type: ignore[arg-type]
    assert GymnaxToLeraxEnv(genv, None).params == genv.default_params


# --- training on MinAtar ----------------------------------------------------------------


@pytest.fixture(scope="module")
def breakout():
    return GymnaxToLeraxEnv(*gymnax.make("Breakout-MinAtar"))


def _params(policy):
    return jax.tree.leaves(eqx.filter(policy, policy.trainable()))


@pytest.mark.parametrize("algorithm", ["ppo", "dqn"])
def test_lerax_algorithms_train_on_minatar_through_the_bridge(algorithm, breakout):
    env = breakout
    assert env.observation_space == ls.Box(0.0, 1.0, shape=(10, 10, 4))
    assert env.action_space == ls.Discrete(3)
    key = jax.random.key(0)
    if algorithm == "ppo":
        policy = MLPActorCriticPolicy(
            env,
            feature_size=8,
            feature_width=16,
            feature_depth=1,
            value_width=8,
            value_depth=1,
            action_width=8,
            action_depth=1,
            key=key,
        )
        algo = PPO(num_envs=4, num_steps=32, num_epochs=2, num_batches=2)
        steps = 512
    else:
        policy = MLPQPolicy(env, width_size=16, depth=1, key=key)
        algo = DQN(
            num_envs=4,
            num_steps=4,
            buffer_size=512,
            learning_starts=64,
            batch_size=16,
            target_update_interval=64,
        )
        steps = 512
    trained = algo.learn(env, policy, steps, key=jax.random.key(1))
    assert type(trained) is type(policy)
    before, after = _params(policy), _params(trained)
    assert any(not np.allclose(a, b) for a, b in zip(before, after, strict=True))
    assert all(np.isfinite(a).all() for a in after)


# --- packaging --------------------------------------------------------------------------


def test_lerax_does_not_need_gymnax():
    code = (
        "import sys\n"
        "import lerax, lerax.compatibility, lerax.env, lerax.algorithm, lerax.wrapper\n"
        "assert 'gymnax' not in sys.modules, 'gymnax was imported'\n"
        "sys.modules['gymnax'] = None\n"
        "try:\n"
        "    import lerax.compatibility.gymnax\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "lerax[gymnax]"' in out.stdout
