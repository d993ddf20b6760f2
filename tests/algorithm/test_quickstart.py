"""The documented quick start runs unchanged and improves on the untrained policy."""

import jax
import numpy as np


def test_documented_ppo_quick_start():
    from lerax.algorithm import PPO
    from lerax.env.classic_control import CartPole
    from lerax.policy import MLPActorCriticPolicy

    env = CartPole()
    policy = MLPActorCriticPolicy(env=env, key=jax.random.key(0))
    algo = PPO()
    trained = algo.learn(env, policy, total_timesteps=2**16, key=jax.random.key(1))

    from lerax.benchmark import average_reward
    from lerax.wrapper import TimeLimit

    limited = TimeLimit(env, 500)
    before = average_reward(limited, policy, num_episodes=8, max_steps=500, key=jax.random.key(2))
    after = average_reward(limited, trained, num_episodes=8, max_steps=500, key=jax.random.key(2))
    assert np.isfinite(float(after)) and float(after) > float(before) + 20.0
