"""SAC's gradient steps timed part by part: lerax's pieces against the hand-fused reference's.

`bench/sac_pendulum.py` times whole runs. This script times two parts of a SAC gradient
step alone, each as `--iters` steps of plain gradient descent in one compiled `lax.scan`,
for `--seeds` seeds under `jax.vmap`:

- `actor`: the gradient of ``mean(log_prob - sum(action))`` over a batch of observations.
  lerax draws per sample, with a key each, through `MLPSACPolicy.action_and_log_prob`
  under `vmap` (what `SAC` does); the reference draws one batched sample with
  `sac_reference.sac_sample`. Same trunk (3-W-W-W), heads and squashing.
- `critic`: the gradient of the twin critics' squared error to a fixed target. lerax's
  two `SoftQNetwork`s under `vmap` against the reference's batched MLPs ([obs, action] -
  W - W - 1).

The runs alternate between the two (`--rounds` rounds); the report gives each run's
milliseconds per gradient step and lerax's speed over the reference's, as the median of the
rounds' ratios.

    .venv/bin/python bench/sac_parts.py                    # 16 seeds, width 64, batch 256
    .venv/bin/python bench/sac_parts.py --seeds 1 --width 256
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sac_reference as ref  # noqa: E402

LEARNING_RATE = 1e-4


def descend(params, loss: Callable, iters: int):
    """`iters` steps of gradient descent on `loss(params, key)` in one `lax.scan`."""

    def body(params, key):
        grads = jax.grad(loss)(params, key)
        return jax.tree.map(lambda p, g: p - LEARNING_RATE * g, params, grads), None

    return jax.lax.scan(body, params, jax.random.split(jax.random.key(5), iters))[0]


def actor_runs(width: int, batch: int, iters: int) -> dict[str, Callable]:
    from lerax.env import make
    from lerax.policy import MLPSACPolicy

    env = make("Pendulum-v1")
    obs = jax.random.normal(jax.random.key(0), (batch, ref.OBS_SIZE))

    def reference(key):
        def loss(params, k):
            u, log_prob = ref.sac_sample(params, obs, k)
            return jnp.mean(log_prob - u.sum(-1))

        return descend(ref.sac_actor_init(key, width), loss, iters)

    def lerax(key):
        policy = MLPSACPolicy(env, feature_size=width, width_size=width, depth=2, key=key)
        params, static = eqx.partition(policy, eqx.is_inexact_array)

        def loss(params, k):
            policy = eqx.combine(params, static)
            _, action, log_prob = jax.vmap(lambda o, k: policy.action_and_log_prob(None, o, key=k))(
                obs, jax.random.split(k, batch)
            )
            return jnp.mean(log_prob - action.reshape(batch, -1).sum(-1))

        return descend(params, loss, iters)

    return {"reference": reference, "lerax": lerax}


def critic_runs(width: int, batch: int, iters: int) -> dict[str, Callable]:
    from lerax.algorithm import SoftQNetwork

    obs = jax.random.normal(jax.random.key(0), (batch, ref.OBS_SIZE))
    u = jax.random.uniform(jax.random.key(2), (batch, ref.ACT_SIZE), minval=-1.0, maxval=1.0)
    target = jax.random.normal(jax.random.key(3), (batch,))

    def reference(key):
        sizes = (ref.OBS_SIZE + ref.ACT_SIZE, width, width, 1)
        critics = tuple(ref.mlp_init(k, sizes) for k in jax.random.split(key))

        def loss(critics, _):
            return sum(jnp.mean((ref.critic(q, obs, u) - target) ** 2) for q in critics)

        return descend(critics, loss, iters)

    def lerax(key):
        critics = tuple(
            SoftQNetwork(ref.OBS_SIZE, ref.ACT_SIZE, width_size=width, depth=2, key=k)
            for k in jax.random.split(key)
        )
        params, static = eqx.partition(critics, eqx.is_inexact_array)

        def loss(params, _):
            critics = eqx.combine(params, static)
            return sum(jnp.mean((jax.vmap(c)(obs, u) - target) ** 2) for c in critics)

        return descend(params, loss, iters)

    return {"reference": reference, "lerax": lerax}


PARTS = {"actor": actor_runs, "critic": critic_runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", nargs="+", choices=list(PARTS), default=list(PARTS))
    parser.add_argument("--seeds", type=int, default=16)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--iters", type=int, default=300, help="gradient steps per run")
    parser.add_argument("--rounds", type=int, default=6, help="interleaved timed rounds")
    args = parser.parse_args()
    for name, value in vars(args).items():
        if isinstance(value, int) and value < 1:
            parser.error(f"--{name} must be >= 1, got {value}")
    keys = jax.random.split(jax.random.key(1), args.seeds)
    for part in args.parts:
        runs = PARTS[part](args.width, args.batch, args.iters)
        compiled = {n: jax.jit(jax.vmap(f)).lower(keys).compile() for n, f in runs.items()}
        times: dict[str, list[float]] = {n: [] for n in compiled}
        for _ in range(args.rounds):
            for n, f in compiled.items():
                t = time.perf_counter()
                jax.block_until_ready(f(keys))
                times[n].append(time.perf_counter() - t)
        for n, ts in times.items():
            ms = ", ".join(f"{1e3 * t / args.iters:.2f}" for t in ts)
            print(f"{part} {n:9s}: {ms} ms per gradient step ({args.seeds} seeds)")
        ratio = statistics.median(a / b for a, b in zip(times["reference"], times["lerax"]))
        print(f"{part}: lerax / reference speed, median of the rounds: {ratio:.2f}", flush=True)


if __name__ == "__main__":
    main()
