"""The limit reference: a minimal hand-fused PPO on CartPole in plain JAX.

The whole run is one jitted `lax.scan` over iterations, each of which is

- a rollout: a `lax.scan` of `num_steps` steps of `num_envs` CartPole-v1 environments
  (Gymnasium's Euler step, 500-step time limit, auto-reset, reward 1 on every step; the
  inline CartPole of `bench/dqn_reference.py`), actions sampled from the policy's logits;
- generalised advantage estimation by a reverse `lax.scan`: a terminal step has no next
  value, a truncated one (time limit) bootstraps from the critic's value of its true final
  observation, as lerax's PPO does (`bootstrap_truncation=False` treats truncations as
  terminals instead, as PureJaxRL does);
- `num_epochs` epochs of `num_minibatches` shuffled minibatches, each one Adam step
  (hand-written, after global-norm clipping; learning rate linearly annealed to zero over
  all minibatch updates) on the clipped-surrogate loss with advantages normalised per
  minibatch, plus `value_coefficient` times the mean squared value error (unclipped; as
  lerax's PPO and Stable-Baselines3 weigh it, where PureJaxRL and rejax take half of it),
  minus `entropy_coefficient` times the entropy.

The network is the one lerax's `MLPActorCriticPolicy(feature_size=64, feature_depth=0,
value_width=64, value_depth=1, action_width=64, action_depth=1, activation=jax.nn.tanh)`
builds: a shared Linear(4, 64) + tanh, a value head Linear(64, 64) + tanh + Linear(64, 1)
and an action head Linear(64, 64) + tanh + Linear(64, 2) giving Categorical logits, every
layer initialised like `equinox.nn.Linear` (uniform in +-1/sqrt(fan_in)) and the action
head's last layer then scaled by 0.01 with a zero bias.

It is what `bench/ppo_cartpole.py` measures lerax's PPO against: the same work written as
directly as plain JAX allows. Run it alone to check that it learns:

    .venv/bin/python bench/ppo_reference.py --steps 150000
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jax
import jax.numpy as jnp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dqn_reference import MAX_STEPS, cartpole_step, greedy_return  # noqa: E402

OBS_SIZE, NUM_ACTIONS = 4, 2


@dataclass(frozen=True)
class Config:
    """Hyperparameters of the reference loop (defaults: PureJaxRL's CartPole PPO)."""

    total_steps: int = 500_000
    num_envs: int = 4
    num_steps: int = 128
    num_epochs: int = 4
    num_minibatches: int = 4
    gamma: float = 0.99
    gae_lambda: float = 0.95
    clip_coefficient: float = 0.2
    entropy_coefficient: float = 0.01
    value_coefficient: float = 0.5
    max_grad_norm: float = 0.5
    learning_rate: float = 2.5e-4
    anneal_learning_rate: bool = True
    width: int = 64
    bootstrap_truncation: bool = True

    @property
    def batch_size(self) -> int:
        return self.num_envs * self.num_steps

    @property
    def num_iterations(self) -> int:
        """Whole iterations that fit in `total_steps` (the run takes this many)."""
        return self.total_steps // self.batch_size

    @property
    def num_updates(self) -> int:
        """Adam steps of the whole run: the learning rate reaches zero after the last."""
        return self.num_iterations * self.num_epochs * self.num_minibatches


# --------------------------------------------------------------------------- network


def _linear(key: jax.Array, n_in: int, n_out: int) -> tuple[jax.Array, jax.Array]:
    kw, kb = jax.random.split(key)
    lim = 1.0 / math.sqrt(n_in)
    return (
        jax.random.uniform(kw, (n_in, n_out), jnp.float32, -lim, lim),
        jax.random.uniform(kb, (n_out,), jnp.float32, -lim, lim),
    )


def init_params(key: jax.Array, width: int = 64) -> dict[str, tuple[jax.Array, jax.Array]]:
    """The actor-critic's layers `(W, b)`, `W` shaped `(in, out)`."""
    k = jax.random.split(key, 5)
    w_out, _ = _linear(k[4], width, NUM_ACTIONS)
    return {
        "features": _linear(k[0], OBS_SIZE, width),
        "value_hidden": _linear(k[1], width, width),
        "value_out": _linear(k[2], width, 1),
        "action_hidden": _linear(k[3], width, width),
        "action_out": (0.01 * w_out, jnp.zeros((NUM_ACTIONS,), jnp.float32)),
    }


def _dense(layer: tuple[jax.Array, jax.Array], x: jax.Array) -> jax.Array:
    w, b = layer
    return x @ w + b


def _features(params: dict, obs: jax.Array) -> jax.Array:
    return jnp.tanh(_dense(params["features"], obs))


def _value_head(params: dict, h: jax.Array) -> jax.Array:
    return _dense(params["value_out"], jnp.tanh(_dense(params["value_hidden"], h)))[..., 0]


def _action_head(params: dict, h: jax.Array) -> jax.Array:
    return _dense(params["action_out"], jnp.tanh(_dense(params["action_hidden"], h)))


def logits_and_value(params: dict, obs: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Action logits `(..., 2)` and state value `(...)` of one `(4,)` or many `(..., 4)`."""
    h = _features(params, obs)
    return _action_head(params, h), _value_head(params, h)


def logits(params: dict, obs: jax.Array) -> jax.Array:
    """The policy's logits: their argmax is the greedy (mode) action."""
    return _action_head(params, _features(params, obs))


def value(params: dict, obs: jax.Array) -> jax.Array:
    return _value_head(params, _features(params, obs))


# --------------------------------------------------------------------------- training


def make_train(cfg: Config) -> Callable[[jax.Array], dict]:
    """`train(key) -> params`: the whole run, to be jitted (or vmapped over keys, then jitted)."""
    n, t_len = cfg.num_envs, cfg.num_steps
    if cfg.num_iterations < 1:
        raise ValueError(f"total_steps must be at least num_envs * num_steps = {cfg.batch_size}")
    if cfg.batch_size % cfg.num_minibatches:
        raise ValueError("num_minibatches must divide num_envs * num_steps")
    mb_size = cfg.batch_size // cfg.num_minibatches
    b1, b2, adam_eps = 0.9, 0.999, 1e-8
    vmap_step = jax.vmap(cartpole_step)

    def rollout(params, y, t, key):
        def step(carry, k):
            y, t = carry
            k_act, k_reset = jax.random.split(k)
            lg, v = logits_and_value(params, y)
            action = jax.random.categorical(k_act, lg)
            logp = jnp.take_along_axis(jax.nn.log_softmax(lg), action[:, None], axis=1)[:, 0]
            y_next, terminal = vmap_step(y, action)
            t_next = t + 1
            truncated = ~terminal & (t_next >= MAX_STEPS)
            done = terminal | truncated
            fresh = jax.random.uniform(k_reset, (n, OBS_SIZE), jnp.float32, -0.05, 0.05)
            y_new = jnp.where(done[:, None], fresh, y_next)
            t_new = jnp.where(done, 0, t_next)
            return (y_new, t_new), (y, action, logp, v, y_next, terminal, done)

        (y, t), traj = jax.lax.scan(step, (y, t), jax.random.split(key, t_len))
        return y, t, traj

    def advantages(params, traj, y_last):
        _, _, _, values, final_obs, terminal, done = traj
        if cfg.bootstrap_truncation:
            # The value after each step: zero after a terminal, else the value of the step's
            # true next observation (the following state, or the final one at a truncation).
            next_values = jnp.where(terminal, 0.0, value(params, final_obs))
        else:
            following = jnp.concatenate([values[1:], value(params, y_last)[None]], axis=0)
            next_values = jnp.where(done, 0.0, following)
        deltas = 1.0 + cfg.gamma * next_values - values
        decay = cfg.gamma * cfg.gae_lambda * (1.0 - done.astype(jnp.float32))

        def back(adv, x):
            delta, d = x
            adv = delta + d * adv
            return adv, adv

        _, adv = jax.lax.scan(back, jnp.zeros((n,), jnp.float32), (deltas, decay), reverse=True)
        return adv, adv + values

    def loss_fn(params, batch):
        obs, action, old_logp, adv, ret = batch
        lg, v = logits_and_value(params, obs)
        log_probs = jax.nn.log_softmax(lg)
        logp = jnp.take_along_axis(log_probs, action[:, None], axis=1)[:, 0]
        entropy = -jnp.mean(jnp.sum(jnp.exp(log_probs) * log_probs, axis=1))
        adv = (adv - adv.mean()) / (adv.std() + 1e-8)
        ratio = jnp.exp(logp - old_logp)
        clipped = jnp.clip(ratio, 1.0 - cfg.clip_coefficient, 1.0 + cfg.clip_coefficient)
        policy_loss = -jnp.mean(jnp.minimum(ratio * adv, clipped * adv))
        value_loss = jnp.mean((v - ret) ** 2)  # as lerax (and SB3); PureJaxRL halves it
        return policy_loss + cfg.value_coefficient * value_loss - cfg.entropy_coefficient * entropy

    def adam_step(params, opt, batch):
        m, v, k = opt
        grads = jax.grad(loss_fn)(params, batch)
        norm = jnp.sqrt(sum(jnp.sum(g**2) for g in jax.tree.leaves(grads)))
        scale = jnp.minimum(1.0, cfg.max_grad_norm / norm)
        grads = jax.tree.map(lambda g: g * scale, grads)
        lr = cfg.learning_rate
        if cfg.anneal_learning_rate:  # optax.linear_schedule(lr, 0, num_updates) at count k
            lr = lr * jnp.clip(1.0 - k / cfg.num_updates, 0.0, 1.0)
        k = k + 1
        m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
        v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g**2, v, grads)
        step = lr * jnp.sqrt(1 - b2**k) / (1 - b1**k)
        params = jax.tree.map(
            lambda p, m, v: p - step * m / (jnp.sqrt(v) + adam_eps * jnp.sqrt(1 - b2**k)),
            params,
            m,
            v,
        )
        return params, (m, v, k)

    def epoch(carry, key, data):
        perm = jax.random.permutation(key, cfg.batch_size)
        minibatches = jax.tree.map(
            lambda x: x.reshape(cfg.batch_size, *x.shape[2:])[perm].reshape(
                cfg.num_minibatches, mb_size, *x.shape[2:]
            ),
            data,
        )
        return jax.lax.scan(lambda c, mb: (adam_step(*c, mb), None), carry, minibatches)

    def iteration(carry, key):
        params, opt, y, t = carry
        k_roll, k_epochs = jax.random.split(key)
        y, t, traj = rollout(params, y, t, k_roll)
        adv, ret = advantages(params, traj, y)
        obs, action, logp = traj[:3]
        data = (obs, action, logp, adv, ret)
        (params, opt), _ = jax.lax.scan(
            lambda c, k: epoch(c, k, data),
            (params, opt),
            jax.random.split(k_epochs, cfg.num_epochs),
        )
        return (params, opt, y, t), None

    def train(key):
        k_init, k_reset, k_loop = jax.random.split(key, 3)
        params = init_params(k_init, cfg.width)
        zeros = jax.tree.map(jnp.zeros_like, params)
        carry = (
            params,
            (zeros, zeros, jnp.zeros((), jnp.int32)),
            jax.random.uniform(k_reset, (n, OBS_SIZE), jnp.float32, -0.05, 0.05),
            jnp.zeros((n,), jnp.int32),
        )
        carry, _ = jax.lax.scan(iteration, carry, jax.random.split(k_loop, cfg.num_iterations))
        return carry[0]

    return train


def build(
    cfg: Config, seeds: int = 1
) -> tuple[Callable[[jax.Array], dict], Callable[[dict, jax.Array], jax.Array]]:
    """The whole training run for `seeds` seeds (vmapped when more than one), jitted, and
    its greedy evaluator.

    Returns:
        `(run, evaluate)`: `run(key) -> params` trains from one key (split into `seeds`
        keys when `seeds > 1`; the parameters then have a leading seed axis), and
        `evaluate(params, key) -> returns` gives each seed's greedy mean return over 10
        episodes, shaped `(seeds,)`. Both are jitted; `run.lower(key).compile()` compiles
        ahead of time.
    """
    train = make_train(cfg)

    def one(params, key):
        return greedy_return(lambda obs: logits(params, obs), key, num_episodes=10)

    if seeds == 1:
        return jax.jit(train), jax.jit(lambda p, k: one(p, k)[None])

    def run(key):
        return jax.vmap(train)(jax.random.split(key, seeds))

    def evaluate(params, key):
        return jax.vmap(one)(params, jax.random.split(key, seeds))

    return jax.jit(run), jax.jit(evaluate)


if __name__ == "__main__":
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Train the reference PPO once and score it.")
    parser.add_argument("--steps", type=int, default=Config.total_steps)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    cfg = Config(total_steps=args.steps)
    run, evaluate = build(cfg, args.seeds)
    key = jax.random.key(args.seed)
    w0, p0 = time.perf_counter(), time.process_time()
    compiled = run.lower(key).compile()
    w1, p1 = time.perf_counter(), time.process_time()
    params = jax.block_until_ready(compiled(key))
    w2, p2 = time.perf_counter(), time.process_time()
    returns = [float(r) for r in evaluate(params, jax.random.key(123))]
    steps = cfg.num_iterations * cfg.batch_size * args.seeds
    print(
        f"compile {w1 - w0:.1f} s ({p1 - p0:.1f} CPU s); {steps:,} steps in {w2 - w1:.1f} s: "
        f"{steps / (w2 - w1):,.0f} steps/s ({steps / (p2 - p1):,.0f} per CPU s); "
        f"greedy return {', '.join(f'{r:.1f}' for r in returns)}"
    )
