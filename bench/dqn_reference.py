"""The limit reference: a minimal hand-fused DQN on CartPole in plain JAX.

Everything is inline and the whole run is one jitted `lax.scan`: CartPole-v1 (Gymnasium's
Euler step, 500-step time limit, auto-reset), a 64x64 ReLU MLP, an in-place ring buffer
(`.at[position].set`), uniform integer batch indices, and one Adam step (after global-norm
clipping) on a Double-DQN Huber loss every `train_freq` environment steps, with a hard
target copy every `target_update_interval` steps. It does the same work as
`lerax.algorithm.DQN` with `num_envs=1` and is what `bench/dqn_cartpole.py` measures lerax
against: no library can be expected to go faster than this on the same machine.

The greedy evaluator `greedy_return` (the same inline CartPole, no exploration) is shared by
the benchmark to score every library's final network the same way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import jax
import jax.numpy as jnp

GRAVITY, CART_MASS, POLE_MASS, HALF_LENGTH, FORCE, DT = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
THETA_LIMIT, X_LIMIT, MAX_STEPS = 12 * 2 * math.pi / 360, 2.4, 500


def cartpole_step(y: jax.Array, action: jax.Array) -> tuple[jax.Array, jax.Array]:
    """One Euler step of CartPole; returns the next state and whether it is terminal."""
    x_dot, theta, theta_dot = y[1], y[2], y[3]
    total = CART_MASS + POLE_MASS
    pml = POLE_MASS * HALF_LENGTH
    force = jnp.where(action == 1, FORCE, -FORCE)
    cos, sin = jnp.cos(theta), jnp.sin(theta)
    temp = (force + pml * theta_dot**2 * sin) / total
    theta_acc = (GRAVITY * sin - cos * temp) / (
        HALF_LENGTH * (4.0 / 3.0 - POLE_MASS * cos**2 / total)
    )
    x_acc = temp - pml * theta_acc * cos / total
    y = y + DT * jnp.stack([x_dot, x_acc, theta_dot, theta_acc])
    terminal = (jnp.abs(y[0]) > X_LIMIT) | (jnp.abs(y[2]) > THETA_LIMIT)
    return y, terminal


def cartpole_reset(key: jax.Array) -> jax.Array:
    return jax.random.uniform(key, (4,), jnp.float32, -0.05, 0.05)


def mlp_init(key: jax.Array, sizes: tuple[int, ...]) -> list[tuple[jax.Array, jax.Array]]:
    """Layers `(W, b)` initialised uniformly in +-1/sqrt(fan_in), like `equinox.nn.Linear`."""
    params = []
    for k, (n_in, n_out) in zip(jax.random.split(key, len(sizes) - 1), zip(sizes[:-1], sizes[1:])):
        kw, kb = jax.random.split(k)
        lim = 1.0 / math.sqrt(n_in)
        params.append(
            (
                jax.random.uniform(kw, (n_in, n_out), jnp.float32, -lim, lim),
                jax.random.uniform(kb, (n_out,), jnp.float32, -lim, lim),
            )
        )
    return params


def mlp(params: list, x: jax.Array) -> jax.Array:
    """The Q-network on one observation `(4,)` or a batch `(B, 4)`."""
    for w, b in params[:-1]:
        x = jax.nn.relu(x @ w + b)
    w, b = params[-1]
    return x @ w + b


@dataclass(frozen=True)
class Config:
    """Hyperparameters of the reference loop (defaults: the benchmark's common settings)."""

    total_steps: int = 100_000
    buffer_size: int = 100_000
    learning_starts: int = 1_000
    train_freq: int = 4
    batch_size: int = 64
    width: int = 64
    learning_rate: float = 1e-3
    gamma: float = 0.99
    target_update_interval: int = 500
    exploration_fraction: float = 0.2
    eps_start: float = 1.0
    eps_end: float = 0.05
    max_grad_norm: float = 10.0


def make_train(cfg: Config) -> Callable[[jax.Array], list]:
    """`train(key) -> params`: the whole run, to be jitted (or vmapped over keys, then jitted)."""
    n_iter = cfg.total_steps // cfg.train_freq
    decay = max(cfg.exploration_fraction * cfg.total_steps, 1.0)
    b1, b2, adam_eps = 0.9, 0.999, 1e-8

    def env_step(carry, key):
        params, buf, pos, count, y, t, step = carry
        k_eps, k_rand, k_reset = jax.random.split(key, 3)
        eps = cfg.eps_start + (cfg.eps_end - cfg.eps_start) * jnp.minimum(step / decay, 1.0)
        eps = jnp.where(step < cfg.learning_starts, 1.0, eps)
        greedy = jnp.argmax(mlp(params, y)).astype(jnp.int32)
        random = jax.random.randint(k_rand, (), 0, 2)
        action = jnp.where(jax.random.uniform(k_eps) < eps, random, greedy)
        y_next, terminal = cartpole_step(y, action)
        t_next = t + 1
        done = terminal | (t_next >= MAX_STEPS)
        obs, acts, rews, nobs, terms = buf
        buf = (
            obs.at[pos].set(y),
            acts.at[pos].set(action),
            rews.at[pos].set(1.0),
            nobs.at[pos].set(y_next),
            terms.at[pos].set(terminal),
        )
        pos = (pos + 1) % cfg.buffer_size
        count = jnp.minimum(count + 1, cfg.buffer_size)
        y = jnp.where(done, cartpole_reset(k_reset), y_next)
        t = jnp.where(done, 0, t_next)
        return (params, buf, pos, count, y, t, step + 1), None

    def loss_fn(params, target, batch):
        obs, acts, rews, nobs, terms = batch
        q = jnp.take_along_axis(mlp(params, obs), acts[:, None], axis=1)[:, 0]
        best = jnp.argmax(jax.lax.stop_gradient(mlp(params, nobs)), axis=1)
        q_next = jnp.take_along_axis(mlp(target, nobs), best[:, None], axis=1)[:, 0]
        y = jax.lax.stop_gradient(rews + cfg.gamma * (1.0 - terms.astype(jnp.float32)) * q_next)
        err = q - y
        abs_err = jnp.abs(err)
        return jnp.mean(jnp.where(abs_err < 1.0, 0.5 * err**2, abs_err - 0.5))

    def update(params, target, opt, buf, count, key):
        m, v, k = opt
        idx = jax.random.randint(key, (cfg.batch_size,), 0, count)
        batch = tuple(x[idx] for x in buf)
        grads = jax.grad(loss_fn)(params, target, batch)
        norm = jnp.sqrt(sum(jnp.sum(g**2) for g in jax.tree.leaves(grads)))
        scale = jnp.minimum(1.0, cfg.max_grad_norm / norm)
        grads = jax.tree.map(lambda g: g * scale, grads)
        k = k + 1
        m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
        v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g**2, v, grads)
        lr = cfg.learning_rate * jnp.sqrt(1 - b2**k) / (1 - b1**k)
        params = jax.tree.map(
            lambda p, m, v: p - lr * m / (jnp.sqrt(v) + adam_eps * jnp.sqrt(1 - b2**k)),
            params,
            m,
            v,
        )
        return params, (m, v, k)

    def iteration(carry, key):
        params, target, opt, buf, pos, count, y, t, step = carry
        k_env, k_upd = jax.random.split(key)
        (params, buf, pos, count, y, t, step), _ = jax.lax.scan(
            env_step, (params, buf, pos, count, y, t, step), jax.random.split(k_env, cfg.train_freq)
        )
        learning = step >= cfg.learning_starts
        params, opt = jax.lax.cond(
            learning,
            lambda: update(params, target, opt, buf, count, k_upd),
            lambda: (params, opt),
        )
        crossed = (step // cfg.target_update_interval) > (
            (step - cfg.train_freq) // cfg.target_update_interval
        )
        target = jax.lax.cond(learning & crossed, lambda: params, lambda: target)
        return (params, target, opt, buf, pos, count, y, t, step), None

    def train(key):
        k_init, k_reset, k_loop = jax.random.split(key, 3)
        params = mlp_init(k_init, (4, cfg.width, cfg.width, 2))
        zeros = jax.tree.map(jnp.zeros_like, params)
        n = cfg.buffer_size
        buf = (
            jnp.zeros((n, 4), jnp.float32),
            jnp.zeros((n,), jnp.int32),
            jnp.zeros((n,), jnp.float32),
            jnp.zeros((n, 4), jnp.float32),
            jnp.zeros((n,), bool),
        )
        carry = (
            params,
            params,
            (zeros, zeros, jnp.zeros((), jnp.int32)),
            buf,
            jnp.zeros((), jnp.int32),
            jnp.zeros((), jnp.int32),
            cartpole_reset(k_reset),
            jnp.zeros((), jnp.int32),
            jnp.zeros((), jnp.int32),
        )
        carry, _ = jax.lax.scan(iteration, carry, jax.random.split(k_loop, n_iter))
        return carry[0]

    return train


def greedy_return(
    q_fn: Callable[[jax.Array], jax.Array], key: jax.Array, num_episodes: int = 10
) -> jax.Array:
    """Mean return of acting greedily on `q_fn(obs) -> q_values` for `num_episodes` episodes.

    Each episode is capped at 500 steps (CartPole-v1's limit); jit-able and vmap-able.
    """

    def episode(k):
        def body(c):
            y, t, ret, done = c
            y, terminal = cartpole_step(y, jnp.argmax(q_fn(y)))
            return y, t + 1, ret + 1.0, terminal

        def cond(c):
            return ~c[3] & (c[1] < MAX_STEPS)

        init = (cartpole_reset(k), jnp.zeros((), jnp.int32), jnp.zeros(()), jnp.zeros((), bool))
        return jax.lax.while_loop(cond, body, init)[2]

    return jnp.mean(jax.vmap(episode)(jax.random.split(key, num_episodes)))


if __name__ == "__main__":
    import time

    cfg = Config()
    train = jax.jit(make_train(cfg))
    key = jax.random.key(0)
    t0 = time.perf_counter()
    compiled = train.lower(key).compile()
    t1 = time.perf_counter()
    params = jax.block_until_ready(compiled(key))
    t2 = time.perf_counter()
    ret = greedy_return(lambda o: mlp(params, o), jax.random.key(1))
    sps = cfg.total_steps / (t2 - t1)
    print(f"compile {t1 - t0:.1f}s, {sps:,.0f} steps/s, greedy return {float(ret):.1f}")
