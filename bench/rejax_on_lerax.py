"""rejax trains on a lerax environment: rejax 0.1.3's PPO on gymnax's CartPole-v1 and on lerax's.

Two runs of the same rejax PPO, same settings, same seeds, same budget:

- `gymnax`: rejax's own `CartPole-v1` (gymnax 0.0.9's CartPole, 500-step limit);
- `lerax`: `lerax.env.make("CartPole-v1")` (`TimeLimit(CartPole(), 500)`) seen through lerax's
  gymnax bridge `LeraxToGymnaxEnv`, behind the thin adapter `LeraxCartPoleForRejax` below.

The adapter is needed because rejax 0.1.3 only runs with gymnax 0.0.9, whose `step` returns 5
values `(obs, state, reward, done, info)`, and because rejax's evaluation reads
`env_params.max_steps_in_episode`. lerax's bridge targets gymnax >= 1.0: its `step` returns 6
values (`terminated` and `truncated` apart) and its `LeraxEnvParams` are empty. The adapter merges
`terminated | truncated` into `done` and gives gymnax 0.0.9's `EnvParams` with
`max_steps_in_episode` set to the lerax `TimeLimit`'s 500. Nothing else changes: lerax's
environment steps and auto-resets itself.

PPO settings (those `bench/ppo_cartpole.py` gives rejax, PureJaxRL's CartPole PPO; nothing tuned):
4 environments x 128 steps per iteration, 4 epochs of 4 minibatches, GAE lambda 0.95, gamma
0.99, clip 0.2, entropy coefficient 0.01, value coefficient 0.5, max_grad_norm 0.5, Adam at
2.5e-4 annealed linearly to 0, actor and critic 4-64-64 tanh MLPs. Budget: 131,072 steps (256
iterations of 512) by default. Seeds: the 4 keys of `jax.random.split(jax.random.key(0), 4)`,
vmapped over `algo.train`.

Scores are rejax's own evaluation, run once at the end of training (`eval_freq` = the budget,
no initial evaluation): 128 episodes of the stochastic policy on the environment it trained on,
capped at `max_steps_in_episode` (500) steps; the mean return per seed is reported. Times: the
ahead-of-time compile of the vmapped run, and the fastest of `--repeats` runs of it (the two
environments alternate), wall clock and process CPU seconds. Last, a cross-check: every seed's
final policy evaluated on both environments with rejax's episode loop and one fixed key.

    .bench-venv-rejax/bin/python bench/rejax_on_lerax.py                # ~1-2 min on 2 cores
    .bench-venv-rejax/bin/python bench/rejax_on_lerax.py --steps 200704 --repeats 1
"""

from __future__ import annotations

import argparse
import datetime
import platform
import time
import warnings
from importlib import metadata

import jax
import jax.numpy as jnp
import numpy as np
import optax
import rejax
from gymnax import make as gymnax_make
from gymnax.environments.environment import Environment, EnvParams
from rejax.evaluate import evaluate_single

import lerax.env

# Imported from the bridge's implementation module, not the public
# `lerax.compatibility.gymnax`: the public module refuses gymnax < 1.0 with an ImportError, and
# rejax 0.1.3 requires gymnax 0.0.9. The implementation module itself loads under 0.0.9.
from lerax.compatibility._gymnax_from_lerax import LeraxToGymnaxEnv

SEED = 0
NUM_SEEDS = 4
# rejax's PPO config, at the settings bench/ppo_cartpole.py gives it.
WIDTH = 64
PPO = dict(
    num_envs=4,
    num_steps=128,
    num_epochs=4,
    num_minibatches=4,
    gamma=0.99,
    gae_lambda=0.95,
    clip_eps=0.2,
    ent_coef=0.01,
    vf_coef=0.5,
    max_grad_norm=0.5,
)
LEARNING_RATE = 2.5e-4


class LeraxCartPoleForRejax(Environment):
    """A lerax environment as a gymnax 0.0.9 `Environment`, the way rejax 0.1.3 calls one.

    Wraps `LeraxToGymnaxEnv(env)`; `step` returns `(obs, state, reward, done, info)` with
    `done = terminated | truncated`, and `default_params` is gymnax 0.0.9's `EnvParams` with
    `max_steps_in_episode` = the lerax `TimeLimit`'s `max_episode_steps` (rejax's evaluation
    caps its episodes with it). The params are otherwise unused: the lerax environment holds
    its own.
    """

    def __init__(self, env):
        self.bridge = LeraxToGymnaxEnv(env)
        self.max_steps_in_episode = int(env.max_episode_steps)  # `make` wraps in a TimeLimit

    @property
    def default_params(self) -> EnvParams:
        return EnvParams(max_steps_in_episode=self.max_steps_in_episode)

    def step(self, key, state, action, params=None):
        obs, state, reward, terminated, truncated, info = self.bridge.step(key, state, action)
        return obs, state, reward, jnp.logical_or(terminated, truncated), info

    def reset(self, key, params=None):
        return self.bridge.reset(key)

    def reset_env(self, key, params):
        return self.bridge.reset_env(key, None)

    @property
    def name(self) -> str:
        return self.bridge.name

    @property
    def num_actions(self) -> int:
        return self.bridge.num_actions

    def action_space(self, params=None):
        return self.bridge.action_space()

    def observation_space(self, params=None):
        return self.bridge.observation_space()


def make_algo(env_name: str, steps: int):
    """rejax's PPO on gymnax's CartPole-v1 (`"gymnax"`) or on the adapted lerax one."""
    if env_name == "gymnax":
        env_kwargs = dict(env="CartPole-v1")
    else:
        env = LeraxCartPoleForRejax(lerax.env.make("CartPole-v1"))
        env_kwargs = dict(env=env, env_params=env.default_params)
    iteration = PPO["num_envs"] * PPO["num_steps"]
    updates = (steps // iteration) * PPO["num_epochs"] * PPO["num_minibatches"]
    return rejax.PPO.create(
        **env_kwargs,
        agent_kwargs={"activation": "tanh", "hidden_layer_sizes": (WIDTH, WIDTH)},
        total_timesteps=steps,
        eval_freq=steps,  # one evaluation, at the end of training
        skip_initial_evaluation=True,
        learning_rate=optax.linear_schedule(LEARNING_RATE, 0.0, updates),
        **PPO,
    )


def compile_run(algo, keys):
    def train(key):
        ts, (lengths, returns) = algo.train(rng=key)
        return lengths, returns, ts.actor_ts.params

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w0, p0 = time.perf_counter(), time.process_time()
        compiled = jax.jit(jax.vmap(train)).lower(keys).compile()
    return compiled, (time.perf_counter() - w0, time.process_time() - p0)


def cross_evaluate(actor, params, env, env_params, key):
    """Each seed's final policy on `env`: rejax's own episode loop (`evaluate_single`, as in
    its evaluation: 128 episodes, stochastic policy, capped at 500 steps), the same key for
    every policy and environment. Mean return per seed."""

    def one(p):
        def act(obs, rng):  # rejax PPO's `make_act`, without observation normalisation
            return jnp.squeeze(actor.apply(p, obs[None], rng, method="act"))

        episodes = jax.vmap(evaluate_single, in_axes=(None, None, None, 0, None))
        _, returns = episodes(act, env, env_params, jax.random.split(key, 128), 500)
        return returns.mean()

    return np.asarray(jax.jit(jax.vmap(one))(params))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=131_072, help="steps per seed")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs, fastest kept")
    args = parser.parse_args()
    iteration = PPO["num_envs"] * PPO["num_steps"]
    steps = (args.steps // iteration) * iteration

    # The adapter is what rejax expects: 5 return values and a step limit in the params.
    env = LeraxCartPoleForRejax(lerax.env.make("CartPole-v1"))
    params = env.default_params
    obs, state = env.reset(jax.random.key(1), params)
    out = env.step(jax.random.key(2), state, jnp.int32(1), params)
    assert len(out) == 5 and out[3].dtype == jnp.bool_, out
    assert params.max_steps_in_episode == 500, params

    print(
        f"# {datetime.date.today()} {platform.node()} python {platform.python_version()} "
        + " ".join(
            f"{p} {metadata.version(p)}" for p in ("jax", "equinox", "gymnax", "rejax", "lerax")
        )
    )
    print(f"# rejax PPO, CartPole-v1, {steps:,} steps per seed, {NUM_SEEDS} seeds vmapped")
    keys = jax.random.split(jax.random.key(SEED), NUM_SEEDS)
    names = ["gymnax", "lerax"]
    compiled, algos = {}, {}
    for name in names:
        algos[name] = make_algo(name, steps)
        compiled[name] = compile_run(algos[name], keys)
    best = {name: [float("inf"), float("inf"), None] for name in names}
    for _ in range(args.repeats):
        for name in names:
            fn = compiled[name][0]
            w0, p0 = time.perf_counter(), time.process_time()
            out = jax.block_until_ready(fn(keys))
            wall, cpu = time.perf_counter() - w0, time.process_time() - p0
            b = best[name]
            b[0], b[1], b[2] = min(b[0], wall), min(b[1], cpu), out

    print(
        "\n| environment | compile s (CPU s) | run s (CPU s) | steps/s | "
        + " | ".join(f"seed {i}" for i in range(NUM_SEEDS))
        + " | mean |"
    )
    print("|---|---:|---:|---:|" + "---:|" * (NUM_SEEDS + 1))
    for name in names:
        (cw, cc), (wall, cpu, (lengths, returns, _)) = compiled[name][1], best[name]
        per_seed = np.asarray(returns)[:, -1, :].mean(axis=-1)  # last (only) evaluation
        cells = " | ".join(f"{r:.1f}" for r in per_seed)
        print(
            f"| {name} | {cw:.1f} ({cc:.1f}) | {wall:.2f} ({cpu:.2f}) | "
            f"{steps * NUM_SEEDS / wall:,.0f} | {cells} | {per_seed.mean():.1f} |"
        )
    for name in names:
        lengths, returns, _ = best[name][2]
        lengths, returns = np.asarray(lengths)[:, -1], np.asarray(returns)[:, -1]
        print(
            f"# {name}: episodes reaching 500 steps per seed: "
            f"{(lengths >= 500).sum(axis=-1).tolist()} of {lengths.shape[-1]}; "
            f"min return per seed {returns.min(axis=-1).tolist()}"
        )

    # Cross-check: every final policy on both environments, same evaluation key.
    gymnax_env, gymnax_params = gymnax_make("CartPole-v1")
    targets = {"gymnax": (gymnax_env, gymnax_params), "lerax": (env, env.default_params)}
    print(
        "\nCross-evaluation (mean return of 128 episodes per seed, same key everywhere):\n"
        "\n| trained on | evaluated on | "
        + " | ".join(f"seed {i}" for i in range(NUM_SEEDS))
        + " | mean |"
    )
    print("|---|---|" + "---:|" * (NUM_SEEDS + 1))
    for trained in names:
        for target, (t_env, t_params) in targets.items():
            r = cross_evaluate(
                algos[trained].actor, best[trained][2][2], t_env, t_params, jax.random.key(123)
            )
            cells = " | ".join(f"{x:.1f}" for x in r)
            print(f"| {trained} | {target} | {cells} | {r.mean():.1f} |")


if __name__ == "__main__":
    main()
