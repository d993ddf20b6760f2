"""One compile per run, for every algorithm: `learn` and `train` are each traced once, and a
second call with the same shapes (another key, other array-valued hyperparameters, another
starting state) compiles nothing.

The count comes from `eqx.debug.assert_max_traces` on a function that the training loop
calls exactly once per trace (a callback's `reset`): a retrace raises inside the entry point.
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import pytest

from lerax.algorithm import A2C, DDPG, DQN, PPO, REINFORCE, SAC, TD3, SACDiscrete
from lerax.policy import (
    MLPActorCriticPolicy,
    MLPDeterministicPolicy,
    MLPDiscreteSACPolicy,
    MLPQPolicy,
    MLPSACPolicy,
)

from ._box_probes import BoxTarget
from ._callbacks import max_one_trace
from ._probes import BestAction

ON = dict(num_envs=2, num_steps=8)
OFF = dict(buffer_size=256, learning_starts=16, num_envs=2, batch_size=8, q_width_size=8, q_depth=1)
ACTOR_CRITIC = dict(
    feature_size=4,
    feature_width=8,
    feature_depth=1,
    value_width=8,
    value_depth=1,
    action_width=8,
    action_depth=1,
)
# name -> (algorithm for a gamma, environment, policy for a key)
CASES: dict[str, tuple[Callable, object, Callable]] = {
    "ppo": (
        lambda g: PPO(**ON, num_epochs=1, num_batches=2, gamma=g),
        BestAction(),
        lambda env, k: MLPActorCriticPolicy(env, **ACTOR_CRITIC, key=k),
    ),
    "a2c": (
        lambda g: A2C(**ON, gamma=g),
        BestAction(),
        lambda env, k: MLPActorCriticPolicy(env, **ACTOR_CRITIC, key=k),
    ),
    "reinforce": (
        lambda g: REINFORCE(**ON, gamma=g),
        BestAction(),
        lambda env, k: MLPActorCriticPolicy(env, **ACTOR_CRITIC, key=k),
    ),
    "dqn": (
        lambda g: DQN(
            buffer_size=256,
            learning_starts=16,
            num_envs=2,
            num_steps=2,
            batch_size=8,
            target_update_interval=8,
            gamma=g,
        ),
        BestAction(),
        lambda env, k: MLPQPolicy(env, width_size=8, depth=1, key=k),
    ),
    "sac": (
        lambda g: SAC(**OFF, gamma=g),
        BoxTarget(),
        lambda env, k: MLPSACPolicy(env, feature_size=4, width_size=8, depth=1, key=k),
    ),
    "sac-discrete": (
        lambda g: SACDiscrete(**OFF, gamma=g),
        BestAction(),
        lambda env, k: MLPDiscreteSACPolicy(env, width_size=8, depth=1, key=k),
    ),
    "td3": (
        lambda g: TD3(**OFF, gamma=g),
        BoxTarget(),
        lambda env, k: MLPDeterministicPolicy(env, width_size=8, depth=1, key=k),
    ),
    "ddpg": (
        lambda g: DDPG(**OFF, gamma=g),
        BoxTarget(),
        lambda env, k: MLPDeterministicPolicy(env, width_size=8, depth=1, key=k),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_learn_and_train_compile_once(name):
    make_algo, env, make_policy = CASES[name]
    steps = 4 * make_algo(jnp.asarray(0.9)).steps_per_iteration
    learn_cb, train_cb = max_one_trace(), max_one_trace()
    states = []
    for seed, gamma in ((0, 0.9), (1, 0.5)):
        algo = make_algo(jnp.asarray(gamma))
        policy = make_policy(env, jax.random.key(seed))
        trained = algo.learn(env, policy, steps, key=jax.random.key(seed), callback=learn_cb)
        state = algo.init(env, trained, key=jax.random.key(seed + 10))
        states.append(algo.train(env, state, 4, callback=train_cb))
    # The two runs really differ: the same program ran on other values.
    params = [eqx.filter(s.policy, eqx.is_inexact_array) for s in states]
    assert not bool(eqx.tree_equal(*params))


def test_a_second_trace_is_caught():
    """The check can fail: another static configuration (the number of iterations) is
    another program, and the second trace raises."""
    make_algo, env, make_policy = CASES["a2c"]
    algo, callback = make_algo(jnp.asarray(0.9)), max_one_trace()
    policy = make_policy(env, jax.random.key(0))
    state = algo.init(env, policy, key=jax.random.key(0))
    algo.train(env, state, 2, callback=callback)
    with pytest.raises(RuntimeError, match="traced"):
        algo.train(env, state, 3, callback=callback)
