"""lerax PPO and DQN on gymnax's Breakout-MinAtar, through `lerax.compatibility.gymnax`.

A learning run, not a speed race: `GymnaxToLeraxEnv(*gymnax.make("Breakout-MinAtar"))`
trained by `lerax.algorithm.PPO` (or `DQN`) on several seeds vmapped in one compiled call. Each
seed's key is split into the policy's initial weights, the training run and the
evaluation episodes. The script prints, per seed, the final policy's greedy return (mode
action) and its mean return (sampled actions), each averaged over `--episodes` episodes
of at most 1,000 steps (gymnax's time limit for MinAtar), next to a uniformly random
policy's return on the same episodes' keys; then the wall time (compiling included) and
the environment steps per second.

Settings (PPO in the style of PureJaxRL's MinAtar runs, scaled down to a CPU budget):
64 environments x 128 steps per iteration, 4 epochs of 8 minibatches, GAE (lambda 0.95,
gamma 0.99), clip 0.2, entropy coefficient 0.01, Adam at 1e-3 annealed linearly to zero,
gradients clipped to norm 0.5; the policy is `MLPActorCriticPolicy` with a 400-64-64
ReLU trunk and 64-wide heads.

`--algo dqn` (in the style of the MinAtar paper's DQN, scaled down): 4 environments, one
Adam step (learning rate 2.5e-4, batch 64) every 4 environment steps after 5,000 random
steps, a 100,000-transition buffer, Double DQN with a Huber loss, hard target updates every
1,000 steps, epsilon from 1 to 0.05 over the first 20 % of the run; `MLPQPolicy` 400-64-64.

Needs gymnax (``pip install "lerax[gymnax]"``):

    .venv/bin/python bench/gymnax_minatar.py                       # 3 seeds, 2**21 steps each
    .venv/bin/python bench/gymnax_minatar.py --seeds 2 --steps 200000
    .venv/bin/python bench/gymnax_minatar.py --algo dqn --steps 500000
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from importlib import metadata

import equinox as eqx
import gymnax
import jax
import jax.numpy as jnp
import optax

from lerax.algorithm import DQN, PPO
from lerax.benchmark import average_reward
from lerax.compatibility.gymnax import GymnaxToLeraxEnv
from lerax.policy import MLPActorCriticPolicy, MLPQPolicy

NUM_ENVS, NUM_STEPS, NUM_EPOCHS, NUM_BATCHES = 64, 128, 4, 8
POLICY = dict(
    feature_size=64,
    feature_width=64,
    feature_depth=1,
    value_width=64,
    value_depth=1,
    action_width=64,
    action_depth=1,
)
MAX_EPISODE_STEPS = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds, vmapped (default 3)")
    parser.add_argument("--steps", type=int, default=2**21, help="steps per seed (default 2**21)")
    parser.add_argument("--episodes", type=int, default=16, help="evaluation episodes")
    parser.add_argument("--seed-set", type=int, default=0, help="split jax.random.key(N)")
    parser.add_argument("--algo", choices=["ppo", "dqn"], default="ppo")
    args = parser.parse_args()

    env = GymnaxToLeraxEnv(*gymnax.make("Breakout-MinAtar"))
    if args.algo == "dqn":
        run_dqn(env, args)
        return
    batch = NUM_ENVS * NUM_STEPS
    iterations = args.steps // batch
    steps = iterations * batch
    updates = iterations * NUM_EPOCHS * NUM_BATCHES
    algo = PPO(
        num_envs=NUM_ENVS,
        num_steps=NUM_STEPS,
        num_epochs=NUM_EPOCHS,
        num_batches=NUM_BATCHES,
        gamma=0.99,
        gae_lambda=0.95,
        clip_coefficient=0.2,
        entropy_loss_coefficient=0.01,
        value_loss_coefficient=0.5,
        max_grad_norm=0.5,
        learning_rate=optax.linear_schedule(1e-3, 0.0, updates),
    )

    def train(key):
        init_key, train_key, _ = jax.random.split(key, 3)
        policy = MLPActorCriticPolicy(env, **POLICY, key=init_key)
        return algo.learn(env, policy, steps, key=train_key)

    def score(policy, key):
        _, _, eval_key = jax.random.split(key, 3)

        def returns(p, deterministic):
            return average_reward(
                env, p, args.episodes, MAX_EPISODE_STEPS, deterministic, key=eval_key
            )

        return returns(policy, True), returns(policy, False), _random_return(env, eval_key, args)

    print(
        f"# Breakout-MinAtar (gymnax {metadata.version('gymnax')}), jax {jax.__version__}, "
        f"{platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, {jax.devices()[0].platform}"
    )
    print(
        f"# PPO {NUM_ENVS} envs x {NUM_STEPS} steps, {NUM_EPOCHS} epochs x {NUM_BATCHES} "
        f"batches, {iterations} iterations = {steps:,} steps per seed; policy {POLICY}"
    )
    keys = jax.random.split(jax.random.key(args.seed_set), args.seeds)
    t0 = time.perf_counter()
    policies = eqx.filter_jit(eqx.filter_vmap(train))(keys)
    jax.block_until_ready(eqx.filter(policies, eqx.is_array))
    train_s = time.perf_counter() - t0
    greedy, sampled, random = jax.device_get(eqx.filter_jit(eqx.filter_vmap(score))(policies, keys))
    print("seed  greedy  mean  random")
    for i in range(args.seeds):
        print(f"{i:4d}  {greedy[i]:6.2f}  {sampled[i]:5.2f}  {random[i]:6.2f}")
    medians = [statistics.median(x.tolist()) for x in (greedy, sampled, random)]
    print("median greedy {:.2f}, mean return {:.2f}, random {:.2f}".format(*medians))
    print(
        f"train wall {train_s:.1f} s (compiling included) for {args.seeds} x {steps:,} steps: "
        f"{args.seeds * steps / train_s:,.0f} steps/s"
    )


def run_dqn(env, args) -> None:
    """Train and score DQN on `env` (the `--algo dqn` settings of the module docstring)."""
    steps = args.steps // 4 * 4
    algo = DQN(
        buffer_size=100_000,
        gamma=0.99,
        learning_starts=5_000,
        num_envs=4,
        num_steps=1,
        batch_size=64,
        target_update_interval=1_000,
        learning_rate=2.5e-4,
        exploration_fraction=0.2,
        exploration_final_eps=0.05,
    )

    def train(key):
        init_key, train_key, _ = jax.random.split(key, 3)
        policy = MLPQPolicy(env, width_size=64, depth=2, key=init_key)
        return algo.learn(env, policy, steps, key=train_key)

    def score(policy, key):
        _, _, eval_key = jax.random.split(key, 3)
        greedy = average_reward(env, policy, args.episodes, MAX_EPISODE_STEPS, True, key=eval_key)
        return greedy, _random_return(env, eval_key, args)

    print(f"# Breakout-MinAtar (gymnax {metadata.version('gymnax')}), jax {jax.__version__}")
    print(f"# DQN, {steps:,} steps per seed, MLPQPolicy 400-64-64")
    keys = jax.random.split(jax.random.key(args.seed_set), args.seeds)
    t0 = time.perf_counter()
    policies = eqx.filter_jit(eqx.filter_vmap(train))(keys)
    jax.block_until_ready(eqx.filter(policies, eqx.is_array))
    train_s = time.perf_counter() - t0
    greedy, random = jax.device_get(eqx.filter_jit(eqx.filter_vmap(score))(policies, keys))
    print("seed  greedy  random")
    for i in range(args.seeds):
        print(f"{i:4d}  {greedy[i]:6.2f}  {random[i]:6.2f}")
    print(f"median greedy {statistics.median(greedy.tolist()):.2f}")
    print(
        f"train wall {train_s:.1f} s (compiling included) for {args.seeds} x {steps:,} steps: "
        f"{args.seeds * steps / train_s:,.0f} steps/s"
    )


def _random_return(env, key, args):
    """The mean return of uniformly random actions over the evaluation episodes."""

    def episode(k):
        reset_key, k = jax.random.split(k)
        state, _, _ = env.reset(key=reset_key)

        def body(carry, k):
            state, total, alive = carry
            action_key, step_key = jax.random.split(k)
            action = env.action_space.sample(key=action_key)
            state, _, reward, terminal, truncate, _ = env.step(state, action, key=step_key)
            total = total + jnp.where(alive, reward, 0.0)
            return (state, total, alive & ~(terminal | truncate)), None

        init = (state, jnp.zeros((), jnp.float32), jnp.array(True))
        (_, total, _), _ = jax.lax.scan(body, init, jax.random.split(k, MAX_EPISODE_STEPS))
        return total

    return jnp.mean(jax.vmap(episode)(jax.random.split(key, args.episodes)))


if __name__ == "__main__":
    main()
