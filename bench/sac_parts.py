"""SAC's gradient steps timed part by part: lerax's pieces against the hand-fused reference's.

`bench/sac_pendulum.py` times whole runs. This script times four parts of a SAC gradient
step alone, each as `--iters` steps of plain gradient descent in one compiled `lax.scan`,
for `--seeds` seeds under `jax.vmap`:

- `actor`: the gradient of ``mean(log_prob - sum(action))`` over a batch of observations.
  lerax draws per sample, with a key each, through `MLPSACPolicy.action_and_log_prob`
  under `vmap` (what `SAC` does); the reference draws one batched sample with
  `sac_reference.sac_sample`. Same trunk (3-W-W-W), heads and squashing.
- `critic`: the gradient of the twin critics' squared error to a fixed target. lerax's
  two `SoftQNetwork`s under `vmap` against the reference's batched MLPs ([obs, action] -
  W - W - 1).
- `update`: a whole SAC gradient step on a fixed minibatch (`SAC.update` against the
  reference's `update`: target, critics, the delayed actor and temperature burst, Polyak).
- `learn`: the step as the loops take it, under the learning `cond`, on a minibatch drawn
  from a full buffer of 5,000 transitions (`SAC._learn` against the reference's).

The runs of lerax and the reference alternate (`--rounds` rounds, every other one in reverse
order, so that a machine drifting within a round favours neither); the report gives each run's
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


def _transitions(n: int) -> tuple[jax.Array, ...]:
    """`n` random transitions: observations, unit actions, rewards, next observations and
    terminal flags (none)."""
    k = jax.random.split(jax.random.key(0), 4)
    return (
        jax.random.normal(k[0], (n, ref.OBS_SIZE)),
        jax.random.uniform(k[1], (n, ref.ACT_SIZE), minval=-1.0, maxval=1.0),
        jax.random.normal(k[2], (n,)),
        jax.random.normal(k[3], (n, ref.OBS_SIZE)),
        jnp.zeros((n,), bool),
    )


def actor_runs(width: int, batch: int, iters: int) -> dict[str, Callable]:
    from lerax.env import make
    from lerax.policy import MLPSACPolicy

    env = make("Pendulum-v1")
    obs = _transitions(batch)[0]

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

    obs, u, target, _, _ = _transitions(batch)  # the rewards serve as the fixed target

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


def _lerax_sac(width: int, batch: int, capacity: int):
    from lerax.algorithm import SAC
    from lerax.env import make
    from lerax.policy import MLPSACPolicy

    env = make("Pendulum-v1")
    algo = SAC(
        buffer_size=capacity,
        learning_starts=0,
        num_envs=1,
        batch_size=batch,
        initial_alpha=1.0,
        q_width_size=width,
        policy_lr=3e-4,
        q_lr=3e-4,
        alpha_lr=3e-4,
    )

    def init(key):
        k_policy, k_init = jax.random.split(key)
        policy = MLPSACPolicy(env, feature_size=width, width_size=width, depth=2, key=k_policy)
        return algo.init(env, policy, key=k_init)

    return algo, init


def _scan_state(state, step: Callable, iters: int, key):
    """`iters` calls of ``step(state, key)`` in one `lax.scan`; the policy's arrays after."""
    dynamic, static = eqx.partition(state, eqx.is_array)

    def body(dynamic, k):
        out = step(eqx.combine(dynamic, static), k)
        return eqx.partition(out, eqx.is_array)[0], None

    dynamic = jax.lax.scan(body, dynamic, jax.random.split(key, iters))[0]
    return eqx.filter(eqx.combine(dynamic, static).policy, eqx.is_array)


def update_runs(width: int, batch: int, iters: int) -> dict[str, Callable]:
    """One whole SAC gradient step on a fixed minibatch: target, twin critics, the delayed
    actor and temperature burst, Polyak averaging."""
    cfg = ref.Config(total_steps=iters, width=width, batch_size=batch, initial_alpha=1.0)
    ref_init, _, ref_update = ref.sac_parts(cfg)
    obs, u, reward, next_obs, terminal = _transitions(batch)
    algo, lerax_init = _lerax_sac(width, batch, batch)

    def reference(key):
        def body(s, k):
            return ref_update(s, (obs, u, reward, next_obs, terminal), k), None

        return jax.lax.scan(body, ref_init(key), jax.random.split(key, iters))[0]["actor"]

    def lerax(key):
        state = lerax_init(key)
        minibatch = state.buffer.add(obs, next_obs, ref.MAX_TORQUE * u, reward, terminal, terminal)
        minibatch = minibatch.transitions
        state = eqx.tree_at(lambda s: s.buffer, state, None)

        def step(state, k):
            state = algo.update(state, minibatch, key=k)
            return eqx.tree_at(lambda s: s.updates, state, state.updates + 1)

        return _scan_state(state, step, iters, key)

    return {"reference": reference, "lerax": lerax}


def learn_runs(width: int, batch: int, iters: int, capacity: int = 5_000) -> dict[str, Callable]:
    """A gradient step as the training loops take it: a minibatch drawn from a full
    buffer of `capacity` transitions, and the update, under the learning `cond`."""
    cfg = ref.Config(total_steps=iters, width=width, batch_size=batch, initial_alpha=1.0)
    ref_init, _, ref_update = ref.sac_parts(cfg)
    data = _transitions(capacity)
    obs, u, reward, next_obs, terminal = data
    algo, lerax_init = _lerax_sac(width, batch, capacity)

    def reference(key):
        def body(c, k):
            s, buf, steps = c
            k_idx, k_upd = jax.random.split(k)

            def learn(s):
                idx = jax.random.randint(k_idx, (batch,), 0, jnp.minimum(steps, capacity))
                return ref_update(s, tuple(x[idx] for x in buf), k_upd)

            s = jax.lax.cond(steps >= cfg.learning_starts, learn, lambda s: s, s)
            return (s, buf, steps + 1), None

        carry = (ref_init(key), data, jnp.asarray(capacity, jnp.int32))
        return jax.lax.scan(body, carry, jax.random.split(key, iters))[0][0]["actor"]

    def lerax(key):
        from lerax.utils import filter_cond

        state = lerax_init(key)
        full = state.buffer.add(obs, next_obs, ref.MAX_TORQUE * u, reward, terminal, terminal)
        state = eqx.tree_at(lambda s: s.buffer, state, full)

        def step(state, k):
            buffer = state.buffer
            learner = eqx.tree_at(lambda s: s.buffer, state, None)
            learner = filter_cond(
                state.global_step >= 0,
                lambda s: algo._learn(s, buffer, k),
                lambda s: s,
                learner,
            )
            return eqx.tree_at(lambda s: s.buffer, learner, buffer, is_leaf=lambda x: x is None)

        return _scan_state(state, step, iters, key)

    return {"reference": reference, "lerax": lerax}


PARTS = {"actor": actor_runs, "critic": critic_runs, "update": update_runs, "learn": learn_runs}


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
        for round_ in range(args.rounds):
            order = list(compiled.items())
            for n, f in order if round_ % 2 == 0 else order[::-1]:
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
