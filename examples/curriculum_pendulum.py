"""A curriculum on Pendulum: gravity rises from 2 to 10 m/s^2 during SAC training.

The curriculum changes the environment once per iteration inside the compiled training
loop (no recompilation, no host round trip). Written only against the documented lerax
API. Run:

    python examples/curriculum_pendulum.py --timesteps 20000
"""

from __future__ import annotations

import argparse

import jax

from lerax.algorithm import SAC
from lerax.benchmark import average_reward
from lerax.callback import ConsoleBackend, LoggingCallback
from lerax.curriculum import ScheduledCurriculum, linear_schedule
from lerax.env.classic_control import Pendulum
from lerax.policy import MLPSACPolicy
from lerax.wrapper import TimeLimit


def main(total_timesteps: int = 20_000, width: int = 256) -> float:
    env = TimeLimit(Pendulum(g=2.0), max_episode_steps=200)
    policy = MLPSACPolicy(env, feature_size=width, width_size=width, key=jax.random.key(0))
    algo = SAC(num_envs=1, learning_starts=1_000, q_width_size=width)
    iterations = algo.num_iterations(total_timesteps)
    gravity = ScheduledCurriculum(
        where=lambda e: e.env.g,  # TimeLimit(Pendulum): the pendulum is e.env
        schedule_fn=linear_schedule(2.0, 10.0, total=iterations // 2),
    )
    logging = LoggingCallback(ConsoleBackend(), env=env, log_interval=max(1, iterations // 10))
    policy = algo.learn(
        env, policy, total_timesteps, key=jax.random.key(1), callback=[gravity, logging]
    )
    # Evaluate at full gravity, the curriculum's last value.
    final = TimeLimit(Pendulum(g=10.0), max_episode_steps=200)
    score = float(
        average_reward(final, policy, num_episodes=8, deterministic=True, key=jax.random.key(2))
    )
    print(f"mean greedy return at g=10 over 8 episodes: {score:.1f}")
    return score


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timesteps", type=int, default=20_000)
    main(parser.parse_args().timesteps)
