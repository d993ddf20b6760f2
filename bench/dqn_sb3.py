"""Learning quality on CartPole-v1: lerax's shipped DQN preset against Stable-Baselines3.

Stable-Baselines3's DQN runs at its RL-Zoo CartPole-v1 settings (5 seeds, one after the
other); lerax's DQN runs with the preset its command line uses (`lerax train --algo dqn
--env CartPole-v1`), 10 seeds vmapped in one compiled call. Each is trained for 50,000 and
for 100,000 steps (separate runs), and only the final policy is scored: its greedy mean
return over 10 episodes. The script prints every seed's return and the medians side by side.

Stable-Baselines3 is a benchmark-only dependency; run with the virtualenv described in
bench/README.md (torch's CPU wheel first, then stable-baselines3):

    .bench-venv-sb3/bin/python bench/dqn_sb3.py
    .bench-venv-sb3/bin/python bench/dqn_sb3.py --skip-sb3      # lerax only (any venv with lerax)
    .bench-venv-sb3/bin/python bench/dqn_sb3.py --preset '{"learning_rate": 1e-3}'
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import time
from typing import Any

# The RL-Zoo's hyperparameters for DQN on CartPole-v1 (hyperparams/dqn.yml).
ZOO = dict(
    learning_rate=2.3e-3,
    batch_size=64,
    buffer_size=100_000,
    learning_starts=1_000,
    gamma=0.99,
    target_update_interval=10,
    train_freq=256,
    gradient_steps=128,
    exploration_fraction=0.16,
    exploration_final_eps=0.04,
    policy_kwargs=dict(net_arch=[256, 256]),
)


def sb3_returns(budget: int, seeds: int, episodes: int) -> tuple[list[float], float]:
    """Train SB3's DQN once per seed and score each final policy greedily."""
    import gymnasium as gym
    import torch
    from stable_baselines3 import DQN
    from stable_baselines3.common.evaluation import evaluate_policy
    from stable_baselines3.common.monitor import Monitor

    # One thread: on a small shared machine torch's thread pool spins and slows down badly.
    torch.set_num_threads(1)

    returns = []
    t0 = time.perf_counter()
    for seed in range(seeds):
        model = DQN("MlpPolicy", "CartPole-v1", seed=seed, verbose=0, **ZOO)
        model.learn(total_timesteps=budget)
        eval_env = Monitor(gym.make("CartPole-v1"))
        eval_env.reset(seed=1_000 + seed)
        mean, _ = evaluate_policy(model, eval_env, n_eval_episodes=episodes, deterministic=True)
        returns.append(float(mean))
        print(f"  sb3 {budget:>7,} steps seed {seed}: {mean:6.1f}", flush=True)
    return returns, time.perf_counter() - t0


def lerax_preset(
    budget: int, override: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The CLI's DQN preset for CartPole-v1 at `budget` steps, with `override` applied."""
    try:
        from lerax.cli._presets import preset
    except ImportError:
        algo_kwargs, policy_kwargs, source = {}, dict(width_size=64, depth=2), "DQN defaults"
    else:
        try:  # presets are functions of the run's length
            algo_kwargs, policy_kwargs = preset("dqn", "CartPole-v1", budget)
        except TypeError:
            algo_kwargs, policy_kwargs = preset("dqn", "CartPole-v1")
        source = "lerax.cli preset"
    if override:
        override = dict(override)
        for name in ("width_size", "depth"):
            if name in override:
                policy_kwargs[name] = override.pop(name)
        algo_kwargs.update(override)
        source += " + override"
    return algo_kwargs, policy_kwargs, source


def describe(kwargs: dict[str, Any]) -> str:
    """`kwargs` printed readably (schedules by name)."""
    return ", ".join(
        f"{k}={v!r}" if isinstance(v, int | float | str | bool) else f"{k}=<{type(v).__name__}>"
        for k, v in kwargs.items()
    )


def lerax_returns(
    budget: int, seeds: int, episodes: int, override: dict[str, Any] | None
) -> tuple[list[float], float]:
    """Train lerax's DQN preset on `seeds` vmapped seeds and score each final policy greedily."""
    import equinox as eqx
    import jax

    import lerax.env
    from lerax.algorithm import DQN
    from lerax.benchmark import average_reward
    from lerax.policy import MLPQPolicy

    algo_kwargs, policy_kwargs, _ = lerax_preset(budget, override)
    env = lerax.env.make("CartPole-v1")
    algo = DQN(**algo_kwargs)

    def train_one(init, key):
        policy = MLPQPolicy(env, **policy_kwargs, key=init)
        return algo.learn(env, policy, budget, key=key)

    def score(policy, key):
        return average_reward(
            env, policy, num_episodes=episodes, max_steps=500, deterministic=True, key=key
        )

    init_keys = jax.random.split(jax.random.key(0), seeds)
    train_keys = jax.random.split(jax.random.key(1), seeds)
    t0 = time.perf_counter()
    policies = eqx.filter_vmap(train_one)(init_keys, train_keys)
    jax.block_until_ready(eqx.filter(policies, eqx.is_array))
    elapsed = time.perf_counter() - t0
    out = eqx.filter_vmap(score)(policies, jax.random.split(jax.random.key(2), seeds))
    returns = [float(x) for x in out]
    for i, r in enumerate(returns):
        print(f"  lerax {budget:>7,} steps seed {i}: {r:6.1f}", flush=True)
    return returns, elapsed


def summary(returns: list[float]) -> str:
    solved = sum(r >= 475 for r in returns)
    return f"median {statistics.median(returns):6.1f}, {solved}/{len(returns)} >= 475"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budgets", nargs="+", type=int, default=[50_000, 100_000])
    parser.add_argument("--sb3-seeds", type=int, default=5)
    parser.add_argument("--lerax-seeds", type=int, default=10)
    parser.add_argument("--episodes", type=int, default=10, help="greedy episodes per policy")
    parser.add_argument("--skip-sb3", action="store_true")
    parser.add_argument("--skip-lerax", action="store_true")
    parser.add_argument(
        "--preset",
        type=json.loads,
        default=None,
        help="JSON overrides of the lerax preset (algorithm kwargs, width_size, depth)",
    )
    parser.add_argument("--json", default=None, help="also write the results to this file")
    args = parser.parse_args()

    print(f"# DQN CartPole-v1 learning quality, {datetime.date.today()}")
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if not args.skip_lerax:
        for budget in args.budgets:
            algo_kwargs, policy_kwargs, source = lerax_preset(budget, args.preset)
            print(f"# lerax {budget:,} ({source}): {describe(algo_kwargs)}; policy {policy_kwargs}")
    if not args.skip_sb3:
        print(f"# sb3 (RL Zoo): {ZOO}")
    rows: dict[int, dict[str, Any]] = {}
    for budget in args.budgets:
        row = rows.setdefault(budget, {})
        if not args.skip_lerax:
            row["lerax"] = lerax_returns(budget, args.lerax_seeds, args.episodes, args.preset)
        if not args.skip_sb3:
            row["sb3"] = sb3_returns(budget, args.sb3_seeds, args.episodes)
    print()
    print("| steps | library | seeds | greedy returns | median | >= 475 | wall time |")
    print("|---:|---|---:|---|---:|---:|---:|")
    for budget, row in rows.items():
        for name, (returns, seconds) in row.items():
            listed = ", ".join(f"{r:.0f}" for r in returns)
            solved = sum(r >= 475 for r in returns)
            print(
                f"| {budget:,} | {name} | {len(returns)} | {listed} | "
                f"{statistics.median(returns):.1f} | {solved}/{len(returns)} | {seconds:.0f} s |"
            )
    if args.json:
        with open(args.json, "w") as f:
            json.dump({str(b): {k: v[0] for k, v in row.items()} for b, row in rows.items()}, f)


if __name__ == "__main__":
    main()
