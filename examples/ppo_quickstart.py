"""PPO on CartPole with console and TensorBoard logging and a progress bar.

Written only against the documented lerax API. Run:

    python examples/ppo_quickstart.py --timesteps 100000 --log-dir logs

then `tensorboard --logdir logs`.
"""

from __future__ import annotations

import argparse

import jax

from lerax.algorithm import PPO
from lerax.benchmark import average_reward
from lerax.callback import ConsoleBackend, LoggingCallback, ProgressBarCallback, TensorBoardBackend
from lerax.env.classic_control import CartPole
from lerax.policy import MLPActorCriticPolicy
from lerax.wrapper import TimeLimit


def main(total_timesteps: int = 100_000, log_dir: str = "logs", num_steps: int = 512) -> float:
    env = TimeLimit(CartPole(), max_episode_steps=500)
    policy = MLPActorCriticPolicy(env, key=jax.random.key(0))
    algo = PPO(num_envs=4, num_steps=num_steps, num_epochs=10, num_batches=32)
    callbacks = [
        ProgressBarCallback(total_timesteps, env=env),
        LoggingCallback([ConsoleBackend(), TensorBoardBackend(log_dir)], env=env, policy=policy),
    ]
    policy = algo.learn(env, policy, total_timesteps, key=jax.random.key(1), callback=callbacks)
    score = float(
        average_reward(env, policy, num_episodes=8, deterministic=True, key=jax.random.key(2))
    )
    print(f"mean greedy return over 8 episodes: {score:.1f}")
    return score


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timesteps", type=int, default=100_000)
    parser.add_argument("--log-dir", default="logs")
    args = parser.parse_args()
    main(args.timesteps, args.log_dir)
