"""Learning quality of lerax's presets: DQN, PPO, A2C, REINFORCE, SAC, SACDiscrete, TD3, DDPG.

Each preset of `lerax.algorithm.presets` (the ones `lerax train --algo ... --env ...` uses)
trains 10 seeds vmapped in one compiled call at its goal budget; only the final policy is
scored, by its greedy mean return over 10 episodes (of the environment's time limit). The
script prints every seed's return, the median against the goal and the wall time (with
compiling).

Two seed sets: `tune` (the seeds of `jax.random.key(0)`, the ones the presets were tuned
on) and `heldout` (those of `jax.random.key(1000)`, never used for tuning). Each seed's key
is split into the policy's initial weights, the training run and the evaluation episodes.

    .venv/bin/python bench/learning.py --seeds tune
    .venv/bin/python bench/learning.py --seeds heldout --only ppo-cartpole sac-pendulum
    .venv/bin/python bench/learning.py --only a2c-cartpole --set gamma=0.98
"""

from __future__ import annotations

import argparse
import ast
import datetime
import inspect
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import equinox as eqx
import jax

from lerax.algorithm import A2C, DDPG, DQN, PPO, REINFORCE, SAC, TD3, SACDiscrete, presets as p
from lerax.benchmark import average_reward
from lerax.env import make
from lerax.policy import (
    MLPActorCriticPolicy,
    MLPDeterministicPolicy,
    MLPDiscreteSACPolicy,
    MLPQPolicy,
    MLPSACPolicy,
)

SEED_SETS = {"tune": 0, "heldout": 1000}
"""Seed set name -> the integer of the key split into the seeds."""


class Preset(NamedTuple):
    algorithm: type[Any]
    kwargs: Callable[[int], dict[str, Any]]
    policy_kwargs: dict[str, Any]
    env_id: str
    timesteps: int
    goal: float
    policy: type[Any] = MLPActorCriticPolicy
    max_steps: int = 500


PRESETS = {
    "dqn-cartpole": Preset(
        DQN,
        p.dqn_cartpole_kwargs,
        p.CARTPOLE_DQN_POLICY,
        "CartPole-v1",
        50_000,
        475.0,
        MLPQPolicy,
    ),
    "dqn-cartpole-100k": Preset(
        DQN,
        p.dqn_cartpole_kwargs,
        p.CARTPOLE_DQN_POLICY,
        "CartPole-v1",
        100_000,
        475.0,
        MLPQPolicy,
    ),
    "ppo-cartpole": Preset(
        PPO, p.ppo_cartpole_kwargs, p.CARTPOLE_PPO_POLICY, "CartPole-v1", 100_000, 475.0
    ),
    "a2c-cartpole": Preset(
        A2C, p.a2c_cartpole_kwargs, p.CARTPOLE_A2C_POLICY, "CartPole-v1", 500_000, 475.0
    ),
    "reinforce-cartpole": Preset(
        REINFORCE,
        p.reinforce_cartpole_kwargs,
        p.CARTPOLE_REINFORCE_POLICY,
        "CartPole-v1",
        500_000,
        475.0,
    ),
    "ppo-acrobot": Preset(
        PPO, p.ppo_acrobot_kwargs, p.ACROBOT_PPO_POLICY, "Acrobot-v1", 500_000, -100.0
    ),
    "sac-pendulum": Preset(
        SAC,
        p.sac_pendulum_kwargs,
        p.PENDULUM_SAC_POLICY,
        "Pendulum-v1",
        20_000,
        -200.0,
        MLPSACPolicy,
        200,
    ),
    "td3-pendulum": Preset(
        TD3,
        p.td3_pendulum_kwargs,
        p.PENDULUM_DETERMINISTIC_POLICY,
        "Pendulum-v1",
        20_000,
        -200.0,
        MLPDeterministicPolicy,
        200,
    ),
    "ddpg-pendulum": Preset(
        DDPG,
        p.ddpg_pendulum_kwargs,
        p.PENDULUM_DETERMINISTIC_POLICY,
        "Pendulum-v1",
        20_000,
        -200.0,
        MLPDeterministicPolicy,
        200,
    ),
    "sac-mountain-car": Preset(
        SAC,
        p.sac_mountain_car_kwargs,
        p.MOUNTAIN_CAR_SAC_POLICY,
        "MountainCarContinuous-v0",
        50_000,
        90.0,
        MLPSACPolicy,
        999,
    ),
    # MuJoCo (lerax[mujoco]): Pendulum's SAC settings unchanged, nothing tuned.
    "sac-inverted-pendulum": Preset(
        SAC,
        p.sac_pendulum_kwargs,
        p.PENDULUM_SAC_POLICY,
        "InvertedPendulum-v5",
        100_000,
        950.0,
        MLPSACPolicy,
        1000,
    ),
    "sac-discrete-cartpole": Preset(
        SACDiscrete,
        p.sac_discrete_cartpole_kwargs,
        p.CARTPOLE_SAC_DISCRETE_POLICY,
        "CartPole-v1",
        100_000,
        475.0,
        MLPDiscreteSACPolicy,
    ),
}


def describe(kwargs: dict[str, Any]) -> str:
    """`kwargs` printed readably (schedules by name)."""
    return ", ".join(
        f"{k}={v!r}" if isinstance(v, int | float | str | bool) else f"{k}=<schedule>"
        for k, v in kwargs.items()
    )


def run(
    preset: Preset,
    seed_set: int,
    timesteps: int,
    overrides: dict[str, Any],
    episodes: int,
    num_seeds: int = 10,
) -> tuple[list[float], float]:
    """Train `preset` on `num_seeds` vmapped seeds; return each final greedy return and the
    wall time."""
    algo_kwargs = preset.kwargs(timesteps)
    policy_kwargs = dict(preset.policy_kwargs)
    policy_names = set(inspect.signature(preset.policy).parameters) - {"env", "key"}
    for name, value in overrides.items():
        (policy_kwargs if name in policy_names else algo_kwargs)[name] = value
    print(f"#   {describe(algo_kwargs)}; policy {policy_kwargs}", flush=True)
    env = make(preset.env_id)
    algo = preset.algorithm(**algo_kwargs)

    def train(key):
        init_key, train_key, _ = jax.random.split(key, 3)
        policy = preset.policy(env, **policy_kwargs, key=init_key)
        return algo.learn(env, policy, timesteps, key=train_key)

    def score(policy, key):
        _, _, eval_key = jax.random.split(key, 3)
        return average_reward(
            env,
            policy,
            num_episodes=episodes,
            max_steps=preset.max_steps,
            deterministic=True,
            key=eval_key,
        )

    keys = jax.random.split(jax.random.key(seed_set), num_seeds)
    t0 = time.perf_counter()
    policies = eqx.filter_vmap(train)(keys)
    jax.block_until_ready(eqx.filter(policies, eqx.is_array))
    wall = time.perf_counter() - t0
    returns = eqx.filter_vmap(score)(policies, keys)
    return [float(r) for r in returns], wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=list(PRESETS), default=list(PRESETS))
    parser.add_argument("--seeds", choices=list(SEED_SETS), default="tune")
    parser.add_argument(
        "--timesteps", type=int, default=None, help="override every preset's budget"
    )
    parser.add_argument("--episodes", type=int, default=10, help="greedy episodes per policy")
    parser.add_argument(
        "--num-seeds",
        type=int,
        default=10,
        help="seeds of the set (default 10; the first 10 of any larger number are the same)",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override an algorithm or policy keyword (a Python literal; repeatable)",
    )
    parser.add_argument("--json", default=None, help="also write the results to this file")
    args = parser.parse_args()
    overrides = {}
    for item in args.overrides:
        name, _, text = item.partition("=")
        overrides[name.strip()] = ast.literal_eval(text.strip())

    print(f"# learning of the presets, seeds {args.seeds}, {datetime.date.today()}")
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}; jax {jax.__version__}",
        flush=True,
    )
    rows = {}
    for name in args.only:
        preset = PRESETS[name]
        timesteps = args.timesteps or preset.timesteps
        print(f"# {name}: {preset.env_id}, {timesteps:,} steps", flush=True)
        returns, wall = run(
            preset, SEED_SETS[args.seeds], timesteps, overrides, args.episodes, args.num_seeds
        )
        median = statistics.median(returns)
        verdict = "meets" if median >= preset.goal else "misses"
        print(f"  returns {', '.join(f'{r:.1f}' for r in returns)}")
        print(
            f"  median {median:.1f} ({verdict} the goal {preset.goal:g}), wall {wall:.0f} s",
            flush=True,
        )
        rows[name] = dict(returns=returns, median=median, wall_s=wall, timesteps=timesteps)
    print()
    print("| preset | steps | seeds | greedy returns | median | goal | wall time |")
    print("|---|---:|---|---|---:|---:|---:|")
    for name, row in rows.items():
        listed = ", ".join(f"{r:.0f}" for r in row["returns"])
        print(
            f"| {name} | {row['timesteps']:,} | {args.seeds} | {listed} | "
            f"{row['median']:.1f} | {PRESETS[name].goal:g} | {row['wall_s']:.0f} s |"
        )
    print(f"# load average at the end: {os.getloadavg()[0]:.1f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
