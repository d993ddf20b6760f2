"""Documented names called as the documented API calls them, with the documented return
shapes (cheap calls; training itself is tested per algorithm and by `examples/`)."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

KEY = jax.random.key(0)


def test_spaces_sample_and_contain():
    from lerax.space import Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple

    spaces = [
        Box(-1.0, 1.0, shape=(3,)),
        Discrete(4),
        MultiBinary(5),
        MultiDiscrete(np.array([2, 3])),
        Tuple((Discrete(2), Box(0.0, 1.0, shape=(2,)))),
        Dict({"a": Discrete(3), "b": Box(-2.0, 2.0, shape=(1,))}),
    ]
    for space in spaces:
        x = space.sample(key=KEY)
        assert bool(space.contains(x)) and x in space
        assert space.flatten_sample(x).shape == (space.flat_size,)


@pytest.mark.parametrize(
    "name", ["CartPole", "Acrobot", "MountainCar", "ContinuousMountainCar", "Pendulum"]
)
def test_classic_control_reset_and_step(name):
    import lerax.env.classic_control as cc

    env = getattr(cc, name)()
    state, obs, info = env.reset(key=KEY)
    assert obs.shape == env.observation_space.shape and isinstance(info, dict)
    action = env.action_space.sample(key=KEY)
    state, obs, reward, terminal, truncate, info = env.step(state, action, key=KEY)
    assert obs.shape == env.observation_space.shape
    assert reward.shape == terminal.shape == truncate.shape == ()
    assert env.unwrapped is env and isinstance(env.name, str)


def test_wrappers_construct_with_documented_arguments():
    from lerax.env.classic_control import CartPole, Pendulum
    from lerax.space import Box
    from lerax.wrapper import (
        ClipAction,
        ClipObservation,
        ClipReward,
        FlattenObservation,
        Identity,
        RescaleAction,
        RescaleObservation,
        TimeLimit,
        TransformAction,
        TransformObservation,
        TransformReward,
    )

    pendulum = Pendulum()
    wrapped = [
        Identity(CartPole()),
        TimeLimit(CartPole(), 10),
        TransformAction(pendulum, lambda a: 2.0 * a, Box(-1.0, 1.0, shape=(1,))),
        ClipAction(pendulum),
        RescaleAction(pendulum, min=jnp.array(-1.0), max=jnp.array(1.0)),
        ClipObservation(pendulum),
        FlattenObservation(pendulum),
        RescaleObservation(pendulum, min=jnp.array(-1.0), max=jnp.array(1.0)),
        TransformObservation(pendulum, lambda o: o * 2.0, Box(-20.0, 20.0, shape=(3,))),
        ClipReward(pendulum, min=jnp.asarray(-1.0), max=jnp.asarray(1.0)),
        TransformReward(pendulum, lambda r: r / 10.0),
    ]
    for env in wrapped:
        state, obs, _ = env.reset(key=KEY)
        action = env.action_space.sample(key=KEY)
        _, obs2, reward, *_ = env.step(state, action, key=KEY)
        assert obs2.shape == obs.shape and reward.shape == ()


def test_policies_act_as_documented():
    from lerax.env.classic_control import CartPole, Pendulum
    from lerax.policy import (
        MLPActorCriticPolicy,
        MLPDeterministicPolicy,
        MLPDiscreteSACPolicy,
        MLPQPolicy,
        MLPSACPolicy,
    )

    cartpole, pendulum = CartPole(), Pendulum()
    obs_c = jnp.zeros(4)
    obs_p = jnp.array([1.0, 0.0, 0.0])
    for policy, env, obs in [
        (MLPQPolicy(cartpole, epsilon=0.1, width_size=8, depth=1, key=KEY), cartpole, obs_c),
        (MLPActorCriticPolicy(cartpole, key=KEY), cartpole, obs_c),
        (MLPActorCriticPolicy(pendulum, key=KEY), pendulum, obs_p),
        (MLPDeterministicPolicy(pendulum, width_size=8, depth=1, key=KEY), pendulum, obs_p),
        (MLPSACPolicy(pendulum, feature_size=8, width_size=8, depth=1, key=KEY), pendulum, obs_p),
        (MLPDiscreteSACPolicy(cartpole, width_size=8, depth=1, key=KEY), cartpole, obs_c),
    ]:
        state = policy.reset(key=KEY)
        state, action = policy(state, obs, key=KEY)
        assert action in env.action_space
        state, greedy = policy(state, obs)  # key=None: deterministic
        assert greedy in env.action_space

    ac = MLPActorCriticPolicy(cartpole, key=KEY)
    state, action, value, log_prob = ac.action_and_value(None, obs_c, key=KEY)
    assert value.shape == log_prob.shape == ()
    state, value, log_prob, entropy = ac.evaluate_action(None, obs_c, action)
    assert value.shape == log_prob.shape == entropy.shape == ()
    assert ac.value(None, obs_c)[1].shape == ()


def test_distributions_sample_and_score():
    from lerax.distribution import (
        Bernoulli,
        Categorical,
        MultiCategorical,
        MultivariateNormalDiag,
        Normal,
        SquashedMultivariateNormalDiag,
        SquashedNormal,
    )

    loc, scale = jnp.zeros(2), jnp.ones(2)
    for dist, shape in [
        (Bernoulli(logits=jnp.zeros(3)), (3,)),
        (Categorical(logits=jnp.zeros(4)), ()),
        (Normal(loc, scale), (2,)),
        (MultivariateNormalDiag(loc=loc, scale_diag=scale), (2,)),
        (SquashedNormal(loc, scale, high=jnp.array(2.0), low=jnp.array(-2.0)), (2,)),
        (SquashedMultivariateNormalDiag(loc, scale), (2,)),
        (MultiCategorical(logits=jnp.zeros(5), action_dims=(2, 3)), (2,)),
    ]:
        x = dist.sample(KEY)
        assert x.shape == shape
        sample, log_prob = dist.sample_and_log_prob(KEY)
        assert sample.shape == shape
        np.testing.assert_allclose(dist.log_prob(sample), log_prob, rtol=1e-5)
        dist.entropy(), dist.mode()
    masked = Categorical(logits=jnp.zeros(3)).mask(jnp.array([False, True, False]))
    assert int(masked.sample(KEY)) == 1


def test_buffers_advantages_and_targets():
    from lerax.advantage import GAE, BootstrappedReturn, NStepReturn, discounted_returns
    from lerax.buffer import ReplayBuffer, RolloutBuffer
    from lerax.space import Box, Discrete
    from lerax.target import HardUpdate, SoftUpdate
    from lerax.utils import polyak_average

    buffer = ReplayBuffer(8, Box(-1.0, 1.0, shape=(2,)), Discrete(3), None)
    buffer = buffer.add(jnp.ones(2), 2 * jnp.ones(2), 1, 0.5, False, True, None, None)
    assert int(buffer.current_size) == 1
    batch = buffer.sample(4, key=KEY)
    np.testing.assert_array_equal(batch.next_observation, 2 * np.ones((4, 2)))

    n = 5
    rewards, values, dones = jnp.ones(n), jnp.zeros(n), jnp.zeros(n, bool)
    rollout = RolloutBuffer(
        jnp.zeros((n, 2)), jnp.zeros(n, jnp.int32), rewards, dones, jnp.zeros(n), values, None
    )
    rollout = rollout.compute_returns_and_advantages(jnp.array(0.0), 0.95, 0.99)
    assert rollout.returns.shape == rollout.advantages.shape == (n,)
    for estimator in (GAE(gamma=0.99, lam=0.95), BootstrappedReturn(gamma=0.99), NStepReturn(2)):
        advantages, returns = estimator(rewards, values, dones, jnp.array(0.0))
        assert advantages.shape == returns.shape == (n,)
    np.testing.assert_allclose(
        discounted_returns(rewards, dones, jnp.array(0.0), 0.5), [1.9375, 1.875, 1.75, 1.5, 1.0]
    )

    online = {"w": jnp.ones(2)}
    target = {"w": jnp.zeros(2)}
    assert HardUpdate()(online, target) is online
    np.testing.assert_allclose(SoftUpdate(tau=0.25)(online, target)["w"], 0.25)
    np.testing.assert_allclose(polyak_average(online, target, 0.5)["w"], 0.5)


def test_benchmark_functions_return_scalars():
    from lerax.benchmark import average_reward, rollout_scan, rollout_while
    from lerax.env.classic_control import CartPole
    from lerax.policy import MLPQPolicy
    from lerax.wrapper import TimeLimit

    env = TimeLimit(CartPole(), 50)
    policy = MLPQPolicy(env, width_size=8, depth=1, key=KEY)
    assert rollout_scan(env, policy, key=KEY, deterministic=True, max_steps=64).shape == ()
    assert rollout_while(env, policy, key=KEY, deterministic=True).shape == ()
    score = average_reward(env, policy, 2, None, True, key=KEY)
    assert jnp.shape(score) == () and 1.0 <= float(score) <= 50.0


def test_utils_as_documented(tmp_path):
    from lerax.utils import (
        Serializable,
        callback_with_list_wrapper,
        callback_with_numpy_wrapper,
        callback_wrapper,
        filter_cond,
        filter_scan,
        unstack_pytree,
    )

    carry, ys = filter_scan(lambda c, _: (c + 1, c), jnp.array(0), length=3)
    assert int(carry) == 3 and ys.tolist() == [0, 1, 2]
    assert int(filter_cond(jnp.array(True), lambda x: x + 1, lambda x: x - 1, jnp.array(1))) == 2
    parts = unstack_pytree({"a": jnp.arange(3)}, axis=0)
    assert [int(p["a"]) for p in parts] == [0, 1, 2]
    got = []
    for wrap in (callback_wrapper, callback_with_numpy_wrapper, callback_with_list_wrapper):
        jax.jit(lambda x, w=wrap: w(got.append, ordered=True)(x))(jnp.arange(2))
    jax.effects_barrier()
    assert len(got) == 3 and got[2] == [0, 1]

    class Tiny(Serializable):
        w: jax.Array

        def __init__(self, *, key):
            self.w = jax.random.normal(key, (2,))

    tiny = Tiny(key=KEY)
    tiny.serialize(tmp_path / "tiny")
    again = Tiny.deserialize(tmp_path / "tiny", key=jax.random.key(1))
    assert eqx.tree_equal(tiny, again)


def test_curriculum_and_callbacks_construct():
    from lerax.callback import (
        CallbackList,
        ConsoleBackend,
        EmptyCallback,
        LoggingCallback,
        ProgressBarCallback,
        TensorBoardBackend,
    )
    from lerax.callback.logging import LoggingCallback as LoggingCallbackToo
    from lerax.curriculum import LevelCurriculum, ScheduledCurriculum, linear_schedule

    assert LoggingCallbackToo is LoggingCallback
    CallbackList([EmptyCallback(), ProgressBarCallback(100, "run", None, None)])
    LoggingCallback(ConsoleBackend(), "run", None, None, 0.9, {"lr": 1e-3})
    assert str(TensorBoardBackend().log_dir) == "logs"
    ScheduledCurriculum(lambda env: env.g, linear_schedule(2.0, 10.0, 10))
    LevelCurriculum(lambda env: env.g, [2.0, 10.0], lambda ctx: ctx.reward, -200.0)
