"""lerax PPO on gymnax's Breakout-MinAtar, through `lerax.compatibility.gymnax`.

A learning run, not a speed race: `GymnaxToLeraxEnv(*gymnax.make("Breakout-MinAtar"))`
trained by `lerax.algorithm.PPO` on several seeds vmapped in one compiled call. Each
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

Needs gymnax (``pip install "lerax[gymnax]"``):

    .venv/bin/python bench/gymnax_minatar.py                       # 3 seeds, 2**21 steps each
    .venv/bin/python bench/gymnax_minatar.py --seeds 2 --steps 200000
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

from lerax.algorithm import PPO
from lerax.benchmark import average_reward
from lerax.compatibility.gymnax import GymnaxToLeraxEnv
from lerax.policy import MLPActorCriticPolicy

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
    args = parser.parse_args()

    env = GymnaxToLeraxEnv(*gymnax.make("Breakout-MinAtar"))
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
