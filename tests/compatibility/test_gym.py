"""lerax.compatibility.gym: spaces, both environment bridges, and training on Gymnasium.

Gymnasium is the reference: `LeraxToGymEnv` must pass its `check_env` and step like
Gymnasium's own CartPole from the same state; `GymToLeraxEnv` must return exactly what the
Gymnasium environment returned (recorded on the host), inside `jit` and `lax.scan`, and be
trainable by lerax's compiled PPO and DQN loops.
"""

import logging
import subprocess
import sys
import warnings

import equinox as eqx
import gymnasium
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from gymnasium import spaces as gs
from gymnasium.utils.env_checker import check_env

from lerax import space as ls
from lerax.algorithm import DQN, PPO
from lerax.compatibility.gym import (
    GymEnvState,
    GymToLeraxEnv,
    LeraxToGymEnv,
    gym_space_to_lerax_space,
    jax_to_numpy,
    lerax_to_gym_space,
    to_numpy_tree,
)
from lerax.env.classic_control import Acrobot, CartPole, Pendulum
from lerax.policy import MLPActorCriticPolicy, MLPQPolicy
from lerax.wrapper import TimeLimit

# --- spaces -----------------------------------------------------------------------------

GYM_SPACES = {
    "box": gs.Box(-1.0, 2.0, (3, 2), np.float32),
    "box-unbounded": gs.Box(
        np.array([-np.inf, 0.0], np.float32), np.array([np.inf, 1.0], np.float32)
    ),
    "discrete": gs.Discrete(5),
    "multi-discrete": gs.MultiDiscrete([2, 3, 4]),
    "multi-binary": gs.MultiBinary(4),
    "tuple": gs.Tuple([gs.Discrete(2), gs.Box(0.0, 1.0, (2,), np.float32)]),
    "dict": gs.Dict(
        {"a": gs.MultiBinary(2), "b": gs.Tuple([gs.Discrete(3)]), "c": gs.Box(-1, 1, (1,))}
    ),
}
LERAX_SPACES = {
    "box": ls.Box(-1.0, 2.0, shape=(3, 2)),
    "box-unbounded": ls.Box(np.array([-np.inf, 0.0]), np.array([np.inf, 1.0])),
    "discrete": ls.Discrete(5),
    "multi-discrete": ls.MultiDiscrete([2, 3, 4]),
    "multi-binary": ls.MultiBinary(4),
    "tuple": ls.Tuple([ls.Discrete(2), ls.Box(0.0, 1.0, shape=(2,))]),
    "dict": ls.Dict(
        {"a": ls.MultiBinary(2), "b": ls.Tuple([ls.Discrete(3)]), "c": ls.Box(-1, 1, shape=(1,))}
    ),
}


@pytest.mark.parametrize("name", GYM_SPACES)
def test_space_round_trips(name):
    gym_space, lerax_space = GYM_SPACES[name], LERAX_SPACES[name]
    assert gym_space_to_lerax_space(gym_space) == lerax_space
    assert lerax_to_gym_space(lerax_space) == gym_space
    assert lerax_to_gym_space(gym_space_to_lerax_space(gym_space)) == gym_space
    assert gym_space_to_lerax_space(lerax_to_gym_space(lerax_space)) == lerax_space


@pytest.mark.parametrize("name", GYM_SPACES)
def test_converted_spaces_hold_each_others_samples(name):
    gym_space, lerax_space = GYM_SPACES[name], LERAX_SPACES[name]
    gym_space.seed(0)
    for _ in range(3):
        assert lerax_space.contains(jax.tree.map(jnp.asarray, gym_space.sample()))
    for i in range(3):
        assert gym_space.contains(to_numpy_tree(lerax_space.sample(key=jax.random.key(i))))


def test_integer_box_becomes_a_float_box_with_its_bounds():
    converted = gym_space_to_lerax_space(gs.Box(0, 255, (2, 2), np.uint8))
    assert converted == ls.Box(0.0, 255.0, shape=(2, 2))


@pytest.mark.parametrize(
    "space, match",
    [
        (gs.Discrete(3, start=1), "start"),
        (gs.MultiDiscrete([2, 3], start=[0, 1]), "start"),
        (gs.MultiDiscrete([[2, 3], [4, 5]]), "one-dimensional"),
        (gs.MultiBinary([2, 3]), "one-dimensional"),
    ],
)
def test_gym_spaces_lerax_cannot_represent_raise_value_error(space, match):
    with pytest.raises(ValueError, match=match):
        gym_space_to_lerax_space(space)


@pytest.mark.parametrize("space", [gs.Text(5), gs.Sequence(gs.Discrete(2))])
def test_unsupported_gym_space_is_named(space):
    with pytest.raises(TypeError, match=f"{type(space).__name__}.*no lerax counterpart"):
        gym_space_to_lerax_space(space)


class Interval(ls.AbstractSpace):
    """A space of lerax's that Gymnasium has no counterpart for."""

    shape = ()
    flat_size = 1
    sample = contains = flatten_sample = canonical = None  # type: ignore[assignment]

    def __eq__(self, other):
        return isinstance(other, Interval)

    def __hash__(self):
        return 0

    def __repr__(self):
        return "Interval()"


def test_unsupported_lerax_space_is_named():
    with pytest.raises(TypeError, match=r"Interval\(\) \(Interval\) has no Gymnasium counterpart"):
        lerax_to_gym_space(Interval())


def test_jax_to_numpy_and_to_numpy_tree():
    array = jax_to_numpy(jnp.arange(3, dtype=jnp.int32))
    assert isinstance(array, np.ndarray) and array.dtype == np.int32
    assert jax_to_numpy(1.5) == 1.5 and jax_to_numpy(True) is True
    tree = to_numpy_tree({"a": jnp.ones(2), "b": (jnp.zeros(()), 3), "c": None})
    assert isinstance(tree["a"], np.ndarray) and isinstance(tree["b"][0], np.ndarray)
    assert tree["b"][1] == 3 and tree["c"] is None


# --- LeraxToGymEnv ----------------------------------------------------------------------


@pytest.mark.parametrize("make_env", [CartPole, Pendulum, Acrobot], ids=lambda e: e.__name__)
def test_lerax_env_passes_gymnasium_check_env(make_env):
    env = LeraxToGymEnv(make_env())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env, skip_render_check=True)
    # Only Gymnasium's advice on the bounds of the spaces, nothing about the API.
    assert all("space" in str(w.message) for w in caught), [str(w.message) for w in caught]


def test_reset_is_reproducible_from_its_seed():
    env = LeraxToGymEnv(CartPole())
    first, _ = env.reset(seed=3)
    again, _ = env.reset(seed=3)
    other, _ = env.reset(seed=4)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    big, _ = env.reset(seed=2**40 + 3)  # high bits are folded in, not dropped
    assert not np.array_equal(first, big)
    # Unseeded resets draw their keys from np_random: reproducible after a seeded reset.
    env.reset(seed=3)
    unseeded = [env.reset()[0] for _ in range(2)]
    env.reset(seed=3)
    np.testing.assert_array_equal(np.stack(unseeded), np.stack([env.reset()[0] for _ in range(2)]))
    assert not np.array_equal(*unseeded)
    # The episode's key is jax.random.key(seed), split into the reset's and the steps' keys.
    _, expected, _ = CartPole().reset(key=jax.random.split(jax.random.key(3))[0])
    np.testing.assert_array_equal(first, np.asarray(expected))


def test_steps_like_gymnasium_cartpole_from_the_same_state():
    ours = LeraxToGymEnv(CartPole())
    theirs = gymnasium.make("CartPole-v1")
    obs, _ = ours.reset(seed=0)
    theirs.reset(seed=0)
    theirs.unwrapped.state = np.asarray(obs, np.float64)  # type: ignore[attr-defined]
    rng = np.random.default_rng(0)
    for step in range(200):
        action = int(rng.integers(2))
        obs, reward, terminated, truncated, info = ours.step(action)
        ref_obs, ref_reward, ref_terminated, ref_truncated, _ = theirs.step(action)
        assert isinstance(obs, np.ndarray) and obs.dtype == np.float32
        assert type(reward) is float and type(terminated) is bool and type(truncated) is bool
        # Only float32 (ours) against float64 (theirs) rounding separates the trajectories.
        np.testing.assert_allclose(obs, ref_obs, rtol=1e-4, atol=1e-5)
        assert (reward, terminated, truncated) == (ref_reward, ref_terminated, ref_truncated)
        assert info == {}
        if terminated:
            break
    assert terminated and step > 5  # a whole episode, ended by Gymnasium's own rule


def test_step_compiles_once(caplog):
    env = LeraxToGymEnv(CartPole())
    env.reset(seed=0)
    env.step(0)  # compiles reset and step (at most: other tests may have already)
    other = LeraxToGymEnv(CartPole(gravity=9.0))  # same structure: no new compile either
    other.reset(seed=1)
    with jax.log_compiles(), caplog.at_level(logging.WARNING):
        for action in [0, 1, np.int64(1), np.int32(0)] * 5:
            env.step(action)
            other.step(action)
        env.reset(seed=2)
    assert not [r for r in caplog.records if "Compiling" in r.getMessage()]
    with jax.log_compiles(), caplog.at_level(logging.WARNING):  # the check can fail
        jax.jit(lambda x: x * 3)(jnp.ones(7))
    assert [r for r in caplog.records if "Compiling" in r.getMessage()]


def test_step_before_reset_and_bad_render_modes_raise():
    env = LeraxToGymEnv(CartPole())
    with pytest.raises(gymnasium.error.ResetNeeded, match="reset"):
        env.step(0)
    env.reset(seed=0)
    env.close()
    with pytest.raises(gymnasium.error.ResetNeeded):
        env.step(0)
    with pytest.warns(UserWarning, match="render mode is None"):
        assert env.render() is None
    assert env.render_mode is None
    assert env.metadata["render_modes"] == ["human", "rgb_array"]
    with pytest.raises(ValueError, match="render_mode must be None, 'rgb_array' or 'human'"):
        LeraxToGymEnv(CartPole(), render_mode="ansi")
    with pytest.raises(ValueError, match="options"):
        env.reset(options={"low": -0.1})
    with pytest.raises(TypeError):
        LeraxToGymEnv(gymnasium.make("CartPole-v1"))  # type: ignore[arg-type]


def test_spaces_are_converted():
    env = LeraxToGymEnv(Pendulum())
    assert env.action_space == gs.Box(-2.0, 2.0, (1,), np.float32)
    assert gym_space_to_lerax_space(env.observation_space) == Pendulum().observation_space


# --- GymToLeraxEnv ----------------------------------------------------------------------


class Recorder(gymnasium.Wrapper):
    """Records, on the host, every reset seed and step of the Gymnasium environment."""

    def __init__(self, env):
        super().__init__(env)
        self.seeds, self.resets, self.steps = [], [], []

    def reset(self, *, seed=None, options=None):
        obs, info = self.env.reset(seed=seed, options=options)
        self.seeds.append(seed)
        self.resets.append((len(self.steps), obs))
        return obs, info

    def step(self, action):
        obs, reward, terminated, truncated, info = self.env.step(action)
        self.steps.append((action, obs, reward, terminated, truncated))
        return obs, reward, terminated, truncated, info


def _cartpole(max_episode_steps=None):
    return Recorder(gymnasium.make("CartPole-v1", max_episode_steps=max_episode_steps))


@eqx.filter_jit
def _rollout(env, actions, key):
    state, obs, _ = env.reset(key=key)

    def body(state, x):
        action, k = x
        state, obs, reward, terminal, truncate, info = env.step(state, action, key=k)
        return state, (obs, reward, terminal, truncate, info["final_observation"])

    keys = jax.random.split(key, actions.shape[0])
    return obs, jax.lax.scan(body, state, (actions, keys))[1]


def test_gym_env_in_a_jitted_scan_returns_what_gymnasium_returned():
    gym_env = _cartpole(max_episode_steps=15)  # short episodes, so truncation happens
    env = GymToLeraxEnv(gym_env)
    assert env.name == "CartPole-v1"
    assert env.observation_space == CartPole().observation_space
    assert env.action_space == ls.Discrete(2)
    # Pushing one way topples the pole (terminal); alternating pushes last (truncation).
    actions = jnp.asarray([1] * 20 + [0, 1] * 20, jnp.int32)
    first, (obs, reward, terminal, truncate, final) = jax.device_get(
        _rollout(env, actions, jax.random.key(0))
    )
    # Every step reached Gymnasium, in order, with our actions.
    assert [int(a) for a, *_ in gym_env.steps] == actions.tolist()
    _, ref_obs, ref_reward, ref_term, ref_trunc = (np.array(x) for x in zip(*gym_env.steps))
    np.testing.assert_array_equal(final, ref_obs.astype(np.float32))
    np.testing.assert_array_equal(reward, ref_reward.astype(np.float32))
    np.testing.assert_array_equal(terminal, ref_term)
    np.testing.assert_array_equal(truncate, ref_trunc & ~ref_term)
    assert ref_term.any() and (ref_trunc & ~ref_term).any()
    # The host environment was reset exactly at the ends of its episodes, and the observation
    # returned there is the one of the new episode.
    done = terminal | truncate
    reset_after = [i for i, _ in gym_env.resets]
    assert reset_after == [0] + [i + 1 for i in np.flatnonzero(done)]
    np.testing.assert_array_equal(first, gym_env.resets[0][1])
    for i, reset_obs in gym_env.resets[1:]:
        np.testing.assert_array_equal(obs[i - 1], reset_obs)
    np.testing.assert_array_equal(obs[~done], final[~done])
    # Seeds come from the lerax keys: all different, and the same again for the same key.
    seeds = list(gym_env.seeds)
    assert len(set(seeds)) == len(seeds)
    again = jax.device_get(_rollout(env, actions, jax.random.key(0)))
    assert gym_env.seeds[len(seeds) :] == seeds
    np.testing.assert_array_equal(again[1][0], obs)


def test_gym_env_state_and_functional_api():
    env = GymToLeraxEnv(gymnasium.make("CartPole-v1"))
    state = env.initial(key=jax.random.key(0))
    assert isinstance(state, GymEnvState)
    assert state.unwrapped is state and not state.terminal and not state.truncated
    next_state = env.transition(state, 1, key=jax.random.key(1))
    assert env.reward(state, 1, next_state, key=jax.random.key(2)) == 1.0
    np.testing.assert_array_equal(
        env.observation(next_state, key=jax.random.key(3)), next_state.observation
    )


def test_rendering_a_gym_env_points_to_gymnasium_rendering():
    env = GymToLeraxEnv(gymnasium.make("CartPole-v1"))
    state = env.initial(key=jax.random.key(0))
    for call in (lambda: env.render(state, None), env.default_renderer):
        with pytest.raises(NotImplementedError, match="render_mode='rgb_array'") as info:
            call()
        assert "GymToLeraxEnv(CartPole-v1)" in str(info.value)


@pytest.fixture(scope="module")
def actor_critic():
    """A tiny CartPole actor-critic (built once: building a policy takes seconds)."""
    return MLPActorCriticPolicy(
        CartPole(),
        feature_size=4,
        feature_width=8,
        feature_depth=1,
        value_width=8,
        value_depth=1,
        action_width=8,
        action_depth=1,
        key=jax.random.key(0),
    )


def test_vmapping_a_gym_env_raises_a_clear_error(actor_critic):
    env = GymToLeraxEnv(gymnasium.make("CartPole-v1"))
    keys = jax.random.split(jax.random.key(0), 3)
    with pytest.raises(ValueError, match=r"cannot be vmapped over 3 environments.*num_envs=1"):
        jax.vmap(lambda k: env.reset(key=k))(keys)
    state, _, _ = env.reset(key=keys[0])
    states = jax.tree.map(lambda x: jnp.stack([x, x]), state)
    with pytest.raises(ValueError, match="single Gymnasium environment"):
        jax.vmap(lambda s: env.step(s, 0, key=keys[1]))(states)
    with pytest.raises(ValueError, match="single Gymnasium environment"):
        jax.vmap(lambda k: env.transition(state, 0, key=k))(keys)
    with pytest.raises(ValueError, match="cannot be vmapped over 2 environments"):
        PPO(num_envs=2, num_steps=8, num_batches=2).learn(env, actor_critic, 16, key=keys[2])
    # One environment under vmap is fine: it is stepped once, unbatched.
    _, obs, _ = jax.vmap(lambda k: env.reset(key=k))(keys[:1])
    assert obs.shape == (1, 4)


def test_a_lerax_wrapper_ending_episodes_is_refused_at_run_time():
    env = TimeLimit(GymToLeraxEnv(gymnasium.make("CartPole-v1")), max_episode_steps=3)
    actions = jnp.zeros(6, jnp.int32)  # episodes of CartPole are longer than 3 steps
    with pytest.raises(RuntimeError, match="max_episode_steps"):
        jax.block_until_ready(_rollout(env, actions, jax.random.key(0)))


def _params(policy):
    return jax.tree.leaves(eqx.filter(policy, policy.trainable()))


@pytest.mark.parametrize("algorithm", ["ppo", "dqn"])
def test_lerax_algorithms_train_on_a_gymnasium_env(algorithm, actor_critic):
    gym_env = _cartpole()
    env = GymToLeraxEnv(gym_env)
    key = jax.random.key(0)
    if algorithm == "ppo":
        policy = actor_critic  # built for lerax's CartPole: the same spaces
        algo = PPO(num_envs=1, num_steps=64, num_epochs=2, num_batches=2)
    else:
        policy = MLPQPolicy(env, width_size=8, depth=1, key=key)
        algo = DQN(
            num_envs=1,
            num_steps=4,
            buffer_size=256,
            learning_starts=64,
            batch_size=16,
            target_update_interval=32,
        )
    steps = 256
    trained = algo.learn(env, policy, steps, key=jax.random.key(1))
    assert type(trained) is type(policy)
    # Every environment step of the compiled run went to Gymnasium; episodes were restarted.
    assert len(gym_env.steps) == steps
    assert len(gym_env.resets) == 1 + sum(te or tr for *_, te, tr in gym_env.steps)
    assert len(gym_env.resets) > 3
    before, after = _params(policy), _params(trained)
    assert any(not np.allclose(a, b) for a, b in zip(before, after, strict=True))
    assert all(np.isfinite(a).all() for a in after)
    # The run is reproducible from its key (the Gymnasium seeds come from it).
    again = algo.learn(env, policy, steps, key=jax.random.key(1))
    for a, b in zip(after, _params(again), strict=True):
        np.testing.assert_array_equal(a, b)


# --- packaging --------------------------------------------------------------------------


def test_lerax_does_not_need_gymnasium():
    code = (
        "import sys\n"
        "import lerax, lerax.compatibility, lerax.env, lerax.algorithm, lerax.wrapper\n"
        "assert 'gymnasium' not in sys.modules, 'gymnasium was imported'\n"
        "sys.modules['gymnasium'] = None\n"
        "try:\n"
        "    import lerax.compatibility.gym\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "lerax[gym]"' in out.stdout
