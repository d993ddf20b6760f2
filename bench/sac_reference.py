"""The limit references: minimal hand-fused SAC and TD3 on Pendulum in plain JAX.

Each whole run is one jitted `lax.scan` over environment steps. Every step acts in one
inline Pendulum-v1 (Gymnasium's dynamics: semi-implicit Euler, max speed 8, max torque 2,
dt 0.05, g 10, m 1, l 1; reward ``-(angle_normalize(th)^2 + 0.1 thdot^2 + 0.001 u^2)``;
200-step time limit as a truncation, so targets always bootstrap; reset
``th ~ U(-pi, pi), thdot ~ U(-1, 1)``; observation ``[cos th, sin th, thdot]``), writes
the transition into a ring buffer (`.at[position].set`, the true final observation at a
truncation) and, once `learning_starts` steps have been taken, takes one gradient step on a
minibatch of uniform integer indices (with replacement). Actions are uniformly random
before `learning_starts` (the actor is evaluated all the same, as lerax does). Adam is
hand-written (optax's formula); targets are Polyak-averaged at rate `tau`.

- SAC (`make_sac_train`), with CleanRL's delayed schedule as `lerax.algorithm.SAC` has it:
  twin critics regress on ``r + gamma (1 - terminal) (min(Q1', Q2')(s', a') - alpha log
  pi(a'|s'))`` (sum of the two mean squared errors), then every `policy_frequency`
  gradient steps `policy_frequency` actor steps on ``E[alpha log pi(a|s) - min(Q1, Q2)(s,
  a)]``, each followed by a temperature step on ``log_alpha (entropy - target_entropy)``;
  the target critics move after every gradient step. The actor is lerax's `MLPSACPolicy`:
  a ReLU trunk 3-W-W-W (activation after the feature layer too), linear heads for the
  mean and the raw log-std, ``log_std = -5 + 7 (tanh(raw) + 1) / 2``, a tanh-squashed
  Gaussian scaled to ``[-2, 2]`` whose log-density includes the squash's Jacobian (the
  affine part too, as lerax's `SquashedNormal`).
- TD3 (`make_td3_train`): twin critics regress on ``r + gamma (1 - terminal) min(Q1',
  Q2')(s', clip(mu'(s') + clip(N(0, policy_noise), +-noise_clip), -1, 1))``; every
  `policy_frequency` gradient steps the actor ascends ``Q1(s, mu(s))`` and the target
  actor and critics are Polyak-averaged. Exploration adds ``N(0, exploration_noise)``
  and clips. The actor is lerax's `MLPDeterministicPolicy`: ReLU 3-W-W-1 and a tanh.

Both critics are lerax's `SoftQNetwork`: ReLU ``[obs, action] - W - W - 1`` reading the
action rescaled to ``[-1, 1]``. Noise scales are relative to the half-width of the bounds,
so in the ``[-1, 1]`` units used here they are the plain numbers. Every layer is
initialised like `equinox.nn.Linear` (uniform in +-1/sqrt(fan_in)).

It is what `bench/sac_pendulum.py` measures lerax's SAC and TD3 against. Run it alone to
check that it learns (Pendulum is solved around -150 to -200):

    .venv/bin/python bench/sac_reference.py --algo sac --steps 10000
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
from dqn_reference import mlp_init  # noqa: E402

OBS_SIZE, ACT_SIZE = 3, 1
MAX_SPEED, MAX_TORQUE, DT, GRAVITY, MASS, LENGTH = 8.0, 2.0, 0.05, 10.0, 1.0, 1.0
MAX_STEPS = 200
LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0
LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


@dataclass(frozen=True)
class Config:
    """Hyperparameters of the reference loops (defaults: the benchmark's settings)."""

    total_steps: int = 5_000
    buffer_size: int | None = None  # None: total_steps
    learning_starts: int = 1_000
    batch_size: int = 256
    width: int = 256
    gamma: float = 0.99
    tau: float = 0.005
    learning_rate: float = 3e-4  # actor, critics and temperature alike
    policy_frequency: int = 2
    # SAC
    initial_alpha: float = 1.0
    target_entropy: float = -float(ACT_SIZE)
    # TD3
    policy_noise: float = 0.2
    noise_clip: float = 0.5
    exploration_noise: float = 0.1

    @property
    def capacity(self) -> int:
        return self.total_steps if self.buffer_size is None else self.buffer_size

    @property
    def gradient_steps(self) -> int:
        """Gradient steps of the whole run (one per step from `learning_starts` on)."""
        return max(self.total_steps - self.learning_starts + 1, 0)


# --------------------------------------------------------------------------- environment


def pendulum_reset(key: jax.Array) -> jax.Array:
    """A fresh state ``[th, thdot]``."""
    high = jnp.array([math.pi, 1.0], jnp.float32)
    return jax.random.uniform(key, (2,), jnp.float32, -high, high)


def pendulum_obs(y: jax.Array) -> jax.Array:
    return jnp.stack([jnp.cos(y[0]), jnp.sin(y[0]), y[1]])


def pendulum_step(y: jax.Array, torque: jax.Array) -> tuple[jax.Array, jax.Array]:
    """One step under a scalar `torque`; returns the next state and the reward."""
    th, thdot = y[0], y[1]
    u = jnp.clip(torque, -MAX_TORQUE, MAX_TORQUE)
    angle = (th + math.pi) % (2 * math.pi) - math.pi
    reward = -(angle**2 + 0.1 * thdot**2 + 0.001 * u**2)
    acc = 3 * GRAVITY / (2 * LENGTH) * jnp.sin(th) + 3.0 / (MASS * LENGTH**2) * u
    thdot = jnp.clip(thdot + acc * DT, -MAX_SPEED, MAX_SPEED)
    return jnp.stack([th + thdot * DT, thdot]), reward


def greedy_return(
    act_fn: Callable[[jax.Array], jax.Array], key: jax.Array, num_episodes: int = 10
) -> jax.Array:
    """Mean return of `act_fn(obs) -> torque` (shape `(1,)` or `()`) over `num_episodes`
    episodes of 200 steps; jit-able and vmap-able."""

    def episode(k):
        def body(c, _):
            y, ret = c
            y, r = pendulum_step(y, jnp.reshape(act_fn(pendulum_obs(y)), ()))
            return (y, ret + r), None

        return jax.lax.scan(body, (pendulum_reset(k), jnp.zeros(())), None, MAX_STEPS)[0][1]

    return jnp.mean(jax.vmap(episode)(jax.random.split(key, num_episodes)))


# --------------------------------------------------------------------------- networks


def _relu_stack(layers: list, x: jax.Array) -> jax.Array:
    for w, b in layers:
        x = jax.nn.relu(x @ w + b)
    return x


def critic(params: list, obs: jax.Array, u: jax.Array) -> jax.Array:
    """Q of observations `(..., 3)` and unit actions `(..., 1)`, shaped `(...)`."""
    x = _relu_stack(params[:-1], jnp.concatenate([obs, u], axis=-1))
    w, b = params[-1]
    return (x @ w + b)[..., 0]


def sac_actor_init(key: jax.Array, width: int) -> dict:
    k_trunk, k_mean, k_std = jax.random.split(key, 3)
    return {
        "trunk": mlp_init(k_trunk, (OBS_SIZE, width, width, width)),
        "mean": mlp_init(k_mean, (width, ACT_SIZE))[0],
        "log_std": mlp_init(k_std, (width, ACT_SIZE))[0],
    }


def sac_mean_log_std(params: dict, obs: jax.Array) -> tuple[jax.Array, jax.Array]:
    h = _relu_stack(params["trunk"], obs)
    mean = h @ params["mean"][0] + params["mean"][1]
    raw = h @ params["log_std"][0] + params["log_std"][1]
    return mean, LOG_STD_MIN + (LOG_STD_MAX - LOG_STD_MIN) * (jnp.tanh(raw) + 1) / 2


def sac_sample(params: dict, obs: jax.Array, key: jax.Array) -> tuple[jax.Array, jax.Array]:
    """A reparameterised unit action `(..., 1)` and the log-density of its torque `(...)`."""
    mean, log_std = sac_mean_log_std(params, obs)
    eps = jax.random.normal(key, mean.shape, mean.dtype)
    x = mean + jnp.exp(log_std) * eps
    log_det = math.log(MAX_TORQUE) + 2 * (math.log(2.0) - x - jax.nn.softplus(-2 * x))
    log_prob = -0.5 * eps**2 - log_std - LOG_SQRT_2PI - log_det
    return jnp.tanh(x), jnp.sum(log_prob, axis=-1)


def sac_torque(params: dict, obs: jax.Array) -> jax.Array:
    """The greedy torque: the squashed mean."""
    return MAX_TORQUE * jnp.tanh(sac_mean_log_std(params, obs)[0])


def td3_actor_init(key: jax.Array, width: int) -> list:
    return mlp_init(key, (OBS_SIZE, width, width, ACT_SIZE))


def td3_unit_action(params: list, obs: jax.Array) -> jax.Array:
    x = _relu_stack(params[:-1], obs)
    w, b = params[-1]
    return jnp.tanh(x @ w + b)


def td3_torque(params: list, obs: jax.Array) -> jax.Array:
    return MAX_TORQUE * td3_unit_action(params, obs)


# --------------------------------------------------------------------------- optimisation

B1, B2, ADAM_EPS = 0.9, 0.999, 1e-8


def adam_init(params):
    zeros = jax.tree.map(jnp.zeros_like, params)
    return zeros, zeros, jnp.zeros((), jnp.int32)


def adam(params, grads, opt, lr: float):
    """One Adam step (optax's `adam`: bias-corrected moments, eps outside the root)."""
    m, v, k = opt
    k = k + 1
    m = jax.tree.map(lambda m, g: B1 * m + (1 - B1) * g, m, grads)
    v = jax.tree.map(lambda v, g: B2 * v + (1 - B2) * g**2, v, grads)
    c1, c2 = 1 - B1**k, 1 - B2**k
    params = jax.tree.map(
        lambda p, m, v: p - lr * (m / c1) / (jnp.sqrt(v / c2) + ADAM_EPS), params, m, v
    )
    return params, (m, v, k)


def polyak(params, target, tau: float):
    return jax.tree.map(lambda p, t: t + tau * (p - t), params, target)


# --------------------------------------------------------------------------- the loop


def _empty_buffer(n: int) -> tuple[jax.Array, ...]:
    """Observations, unit actions, rewards, next observations, terminal flags."""
    return (
        jnp.zeros((n, OBS_SIZE), jnp.float32),
        jnp.zeros((n, ACT_SIZE), jnp.float32),
        jnp.zeros((n,), jnp.float32),
        jnp.zeros((n, OBS_SIZE), jnp.float32),
        jnp.zeros((n,), bool),
    )


def _make_loop(
    cfg: Config,
    init: Callable[[jax.Array], dict],
    explore: Callable[[dict, jax.Array, jax.Array], jax.Array],
    update: Callable[[dict, tuple, jax.Array], dict],
    result: Callable[[dict], object],
) -> Callable[[jax.Array], object]:
    """The shared off-policy loop: act, step, store, and update once learning has started.

    `init(key)` builds the learner's state, `explore(state, obs, key)` gives the policy's
    exploring unit action, `update(state, batch, key)` takes one gradient step and
    `result(state)` is what `train` returns.
    """
    n = cfg.capacity
    if cfg.batch_size > n:
        raise ValueError("batch_size must not exceed the buffer size")

    def step(c, key):
        k_act, k_rand, k_reset, k_idx, k_upd = jax.random.split(key, 5)
        learner, buf, y, obs, t, steps = c
        random = jax.random.uniform(k_rand, (ACT_SIZE,), jnp.float32, -1.0, 1.0)
        u = jnp.where(steps < cfg.learning_starts, random, explore(learner, obs, k_act))
        y_next, reward = pendulum_step(y, MAX_TORQUE * u[0])
        next_obs = pendulum_obs(y_next)
        pos = steps % n
        transition = (obs, u, reward, next_obs, jnp.zeros((), bool))  # Pendulum never ends
        buf = tuple(x.at[pos].set(v) for x, v in zip(buf, transition))
        t = t + 1
        truncated = t >= MAX_STEPS
        y_reset = pendulum_reset(k_reset)
        y = jnp.where(truncated, y_reset, y_next)
        obs = jnp.where(truncated, pendulum_obs(y_reset), next_obs)
        t = jnp.where(truncated, 0, t)
        steps = steps + 1

        def learn(learner):
            idx = jax.random.randint(k_idx, (cfg.batch_size,), 0, jnp.minimum(steps, n))
            return update(learner, tuple(x[idx] for x in buf), k_upd)

        learner = jax.lax.cond(steps >= cfg.learning_starts, learn, lambda s: s, learner)
        return (learner, buf, y, obs, t, steps), None

    def train(key):
        k_init, k_reset, k_loop = jax.random.split(key, 3)
        y = pendulum_reset(k_reset)
        zero = jnp.zeros((), jnp.int32)
        carry = (init(k_init), _empty_buffer(n), y, pendulum_obs(y), zero, zero)
        carry, _ = jax.lax.scan(step, carry, jax.random.split(k_loop, cfg.total_steps))
        return result(carry[0])

    return train


def _twin_critic_step(cfg: Config, s: dict, obs, u, target) -> tuple:
    def loss(critics):
        return sum(jnp.mean((critic(q, obs, u) - target) ** 2) for q in critics)

    grads = jax.grad(loss)(s["critics"])
    return adam(s["critics"], grads, s["q_opt"], cfg.learning_rate)


def make_sac_train(cfg: Config) -> Callable[[jax.Array], dict]:
    """`train(key) -> actor params`: the whole SAC run, to be jitted (or vmapped, then jitted)."""
    return _make_loop(cfg, *sac_parts(cfg), lambda s: s["actor"])


def sac_parts(cfg: Config) -> tuple[Callable, Callable, Callable]:
    """SAC's `(init, explore, update)` as `_make_loop` takes them (also timed alone by
    `bench/sac_parts.py`)."""

    def init(key):
        k_actor, k1, k2 = jax.random.split(key, 3)
        actor = sac_actor_init(k_actor, cfg.width)
        critics = tuple(
            mlp_init(k, (OBS_SIZE + ACT_SIZE, cfg.width, cfg.width, 1)) for k in (k1, k2)
        )
        log_alpha = jnp.log(jnp.asarray(cfg.initial_alpha, jnp.float32))
        return {
            "actor": actor,
            "actor_opt": adam_init(actor),
            "critics": critics,
            "targets": critics,
            "q_opt": adam_init(critics),
            "log_alpha": log_alpha,
            "alpha_opt": adam_init(log_alpha),
            "updates": jnp.zeros((), jnp.int32),
        }

    def explore(s, obs, key):
        return sac_sample(s["actor"], obs, key)[0]

    def update(s, batch, key):
        obs, u, reward, next_obs, terminal = batch
        k_next, k_actor = jax.random.split(key)
        alpha = jnp.exp(s["log_alpha"])
        next_u, next_log_prob = sac_sample(s["actor"], next_obs, k_next)
        q1t, q2t = (critic(q, next_obs, next_u) for q in s["targets"])
        not_done = 1.0 - terminal.astype(jnp.float32)
        target = reward + cfg.gamma * not_done * (jnp.minimum(q1t, q2t) - alpha * next_log_prob)
        critics, q_opt = _twin_critic_step(cfg, s, obs, u, target)

        def actor_loss(actor, alpha, key):
            a, log_prob = sac_sample(actor, obs, key)
            q = jnp.minimum(critic(critics[0], obs, a), critic(critics[1], obs, a))
            return jnp.mean(alpha * log_prob - q), log_prob

        def one(c, key):
            actor, actor_opt, log_alpha, alpha_opt = c
            grads, log_prob = jax.grad(actor_loss, has_aux=True)(actor, jnp.exp(log_alpha), key)
            actor, actor_opt = adam(actor, grads, actor_opt, cfg.learning_rate)
            # d/d(log_alpha) of log_alpha * (entropy - target_entropy)
            alpha_grad = -jnp.mean(log_prob) - cfg.target_entropy
            log_alpha, alpha_opt = adam(log_alpha, alpha_grad, alpha_opt, cfg.learning_rate)
            return (actor, actor_opt, log_alpha, alpha_opt), None

        def burst(c):
            return jax.lax.scan(one, c, jax.random.split(k_actor, cfg.policy_frequency))[0]

        c = (s["actor"], s["actor_opt"], s["log_alpha"], s["alpha_opt"])
        c = jax.lax.cond(s["updates"] % cfg.policy_frequency == 0, burst, lambda c: c, c)
        actor, actor_opt, log_alpha, alpha_opt = c
        return {
            "actor": actor,
            "actor_opt": actor_opt,
            "critics": critics,
            "targets": polyak(critics, s["targets"], cfg.tau),
            "q_opt": q_opt,
            "log_alpha": log_alpha,
            "alpha_opt": alpha_opt,
            "updates": s["updates"] + 1,
        }

    return init, explore, update


def make_td3_train(cfg: Config) -> Callable[[jax.Array], list]:
    """`train(key) -> actor params`: the whole TD3 run, to be jitted (or vmapped, then jitted)."""

    def init(key):
        k_actor, k1, k2 = jax.random.split(key, 3)
        actor = td3_actor_init(k_actor, cfg.width)
        critics = tuple(
            mlp_init(k, (OBS_SIZE + ACT_SIZE, cfg.width, cfg.width, 1)) for k in (k1, k2)
        )
        return {
            "actor": actor,
            "actor_target": actor,
            "actor_opt": adam_init(actor),
            "critics": critics,
            "targets": critics,
            "q_opt": adam_init(critics),
            "updates": jnp.zeros((), jnp.int32),
        }

    def explore(s, obs, key):
        noise = cfg.exploration_noise * jax.random.normal(key, (ACT_SIZE,), jnp.float32)
        return jnp.clip(td3_unit_action(s["actor"], obs) + noise, -1.0, 1.0)

    def update(s, batch, key):
        obs, u, reward, next_obs, terminal = batch
        noise = cfg.policy_noise * jax.random.normal(key, u.shape, u.dtype)
        noise = jnp.clip(noise, -cfg.noise_clip, cfg.noise_clip)
        next_u = jnp.clip(td3_unit_action(s["actor_target"], next_obs) + noise, -1.0, 1.0)
        q1t, q2t = (critic(q, next_obs, next_u) for q in s["targets"])
        not_done = 1.0 - terminal.astype(jnp.float32)
        target = reward + cfg.gamma * not_done * jnp.minimum(q1t, q2t)
        critics, q_opt = _twin_critic_step(cfg, s, obs, u, target)
        due = s["updates"] % cfg.policy_frequency == 0  # gradient steps 0, f, 2f, ...
        s = dict(s, critics=critics, q_opt=q_opt, updates=s["updates"] + 1)

        def actor_step(s):
            def loss(actor):
                return -jnp.mean(critic(critics[0], obs, td3_unit_action(actor, obs)))

            actor, actor_opt = adam(
                s["actor"], jax.grad(loss)(s["actor"]), s["actor_opt"], cfg.learning_rate
            )
            return dict(
                s,
                actor=actor,
                actor_opt=actor_opt,
                actor_target=polyak(actor, s["actor_target"], cfg.tau),
                targets=polyak(critics, s["targets"], cfg.tau),
            )

        return jax.lax.cond(due, actor_step, lambda s: s, s)

    return _make_loop(cfg, init, explore, update, lambda s: s["actor"])


TRAINERS = {"sac": (make_sac_train, sac_torque), "td3": (make_td3_train, td3_torque)}


if __name__ == "__main__":
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Train a reference once and score it.")
    parser.add_argument("--algo", choices=list(TRAINERS), default="sac")
    parser.add_argument("--steps", type=int, default=Config.total_steps)
    parser.add_argument("--width", type=int, default=Config.width)
    parser.add_argument("--seeds", type=int, default=1)
    args = parser.parse_args()
    cfg = Config(total_steps=args.steps, width=args.width)
    make_train, torque = TRAINERS[args.algo]
    train = make_train(cfg)
    keys = jax.random.split(jax.random.key(0), args.seeds)
    w0, p0 = time.perf_counter(), time.process_time()
    compiled = jax.jit(jax.vmap(train)).lower(keys).compile()
    w1, p1 = time.perf_counter(), time.process_time()
    params = jax.block_until_ready(compiled(keys))
    w2, p2 = time.perf_counter(), time.process_time()
    returns = jax.jit(
        jax.vmap(lambda p, k: greedy_return(lambda o: torque(p, o), k, num_episodes=10))
    )(params, jax.random.split(jax.random.key(123), args.seeds))
    steps = cfg.total_steps * args.seeds
    print(
        f"{args.algo}: compile {w1 - w0:.1f} s ({p1 - p0:.1f} CPU s); {steps:,} steps in "
        f"{w2 - w1:.1f} s: {steps / (w2 - w1):,.0f} steps/s ({steps / (p2 - p1):,.0f} per CPU s);"
        f" greedy return {', '.join(f'{float(r):.1f}' for r in returns)}"
    )
