"""Deep Q-Networks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, final

import equinox as eqx
import jax
import jax.numpy as jnp
import optax
from jaxtyping import ArrayLike

from .._types import Array, Float, Int, Key, KeyBatch
from ..buffer import ReplayBuffer
from ..callback import AbstractCallback
from ..policy import AbstractQPolicy
from ..space import Discrete
from ..target import HardUpdate, SoftUpdate
from ..utils import filter_cond, filter_scan
from ._checks import check_spaces
from ._collector import Collector, policy_act
from ._dqn_state import DQNState, DQNStats
from ._gradient import gradient_step
from ._params import is_concrete, rate
from .base import AbstractAlgorithm


@final
class DQN(AbstractAlgorithm[AbstractQPolicy, DQNState]):
    """Deep Q-learning (Mnih et al., 2015) with the refinements users expect.

    Each iteration takes `num_steps` steps in each of `num_envs` environments, stores them
    in the replay buffer, then (once `learning_starts` steps have been taken) makes
    `gradient_steps` gradient steps on minibatches of `batch_size`. Exploration is the Q
    policy's epsilon-greedy action with `epsilon` decayed linearly from
    `exploration_initial_eps` to `exploration_final_eps` over the first
    `exploration_fraction` of training; the first `learning_starts` steps act uniformly at
    random (they count towards `total_timesteps`). Targets use Double DQN by default
    (online argmax, target value), respect action masks, and bootstrap through truncations
    from the true final observation. The target network is updated every
    `target_update_interval` environment steps, by copying (`HardUpdate`) or Polyak
    averaging (`SoftUpdate`).

    Array-valued hyperparameters (`gamma`, `learning_rate`, the epsilons, ...) are leaves:
    `eqx.filter_vmap` can sweep them.

    Args:
        buffer_size: Replay buffer capacity.
        gamma: Discount factor.
        learning_starts: Environment steps of uniform random acting before learning.
        num_envs: Parallel environments.
        num_steps: Steps per environment per iteration (SB3's `train_freq`).
        batch_size: Minibatch size.
        target_update_interval: Environment steps between target updates.
        max_grad_norm: Global gradient-norm clip.
        learning_rate: Adam learning rate, or an optax schedule of the gradient step.
        gradient_steps: Gradient steps per iteration.
        exploration_fraction: Fraction of training over which epsilon decays.
        exploration_initial_eps: Epsilon at the start.
        exploration_final_eps: Epsilon after the decay.
        double_dqn: Use the online network's argmax for the next-state value.
        loss: Elementwise regression loss `loss(prediction, target)`; Huber by default,
            `optax.squared_error` gives MSE.
        target_update: `HardUpdate()` or `SoftUpdate(tau)`.

    Example:
        >>> env = lerax.env.make("CartPole-v1")
        >>> policy = MLPQPolicy(env, key=jax.random.key(0))
        >>> algo = DQN(learning_starts=1_000, target_update_interval=1_000)
        >>> policy = algo.learn(env, policy, 50_000, key=jax.random.key(1))
    """

    buffer_size: int = eqx.field(static=True, default=1_000_000, kw_only=True)
    gamma: Float[ArrayLike, ""] = eqx.field(default=0.99, kw_only=True)
    learning_starts: int = eqx.field(static=True, default=100, kw_only=True)
    num_envs: int = eqx.field(static=True, default=1, kw_only=True)
    num_steps: int = eqx.field(static=True, default=4, kw_only=True)
    batch_size: int = eqx.field(static=True, default=32, kw_only=True)
    target_update_interval: int = eqx.field(static=True, default=10_000, kw_only=True)
    max_grad_norm: Float[ArrayLike, ""] = eqx.field(default=10.0, kw_only=True)
    learning_rate: Float[ArrayLike, ""] | optax.Schedule = eqx.field(default=1e-4, kw_only=True)
    gradient_steps: int = eqx.field(static=True, default=1, kw_only=True)
    exploration_fraction: float = eqx.field(static=True, default=0.1, kw_only=True)
    exploration_initial_eps: Float[ArrayLike, ""] = eqx.field(default=1.0, kw_only=True)
    exploration_final_eps: Float[ArrayLike, ""] = eqx.field(default=0.05, kw_only=True)
    double_dqn: bool = eqx.field(static=True, default=True, kw_only=True)
    loss: Callable[[Array, Array], Array] = eqx.field(
        static=True, default=optax.huber_loss, kw_only=True
    )
    target_update: HardUpdate | SoftUpdate = eqx.field(default_factory=HardUpdate, kw_only=True)

    def __check_init__(self):
        for name in (
            "buffer_size",
            "num_envs",
            "num_steps",
            "batch_size",
            "target_update_interval",
            "gradient_steps",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"DQN: {name} must be a positive int, got {value!r}")
        if not isinstance(self.learning_starts, int) or self.learning_starts < 0:
            raise ValueError(
                f"DQN: learning_starts must be an int >= 0, got {self.learning_starts!r}"
            )
        if self.batch_size > self.buffer_size:
            raise ValueError(
                f"DQN: batch_size ({self.batch_size}) must not exceed "
                f"buffer_size ({self.buffer_size})"
            )
        if self.num_envs > self.buffer_size:
            raise ValueError(
                f"DQN: buffer_size ({self.buffer_size}) must hold at least "
                f"num_envs ({self.num_envs}) transitions"
            )
        if not 0.0 < self.exploration_fraction <= 1.0:
            raise ValueError(
                f"DQN: exploration_fraction must be in (0, 1], got {self.exploration_fraction}"
            )
        checks: dict[str, tuple[Any, float, float]] = {
            "gamma": (self.gamma, 0.0, 1.0),
            "learning_rate": (self.learning_rate, 0.0, float("inf")),
            "max_grad_norm": (self.max_grad_norm, 0.0, float("inf")),
            "exploration_initial_eps": (self.exploration_initial_eps, 0.0, 1.0),
            "exploration_final_eps": (self.exploration_final_eps, 0.0, 1.0),
        }
        for name, (value, lo, hi) in checks.items():
            if not callable(value) and is_concrete(value):
                v = jnp.asarray(value)
                if v.ndim == 0 and not bool((v >= lo) & (v <= hi)):
                    raise ValueError(f"DQN: {name} must be in [{lo}, {hi}], got {float(v)}")
        lr = self.learning_rate
        if not callable(lr) and is_concrete(lr) and jnp.ndim(lr) == 0:
            if float(jnp.asarray(lr)) <= 0.0:
                raise ValueError(f"DQN: learning_rate must be > 0, got {float(jnp.asarray(lr))}")

    def check(self, env: Any, policy: AbstractQPolicy) -> None:
        if not isinstance(policy, AbstractQPolicy):
            raise TypeError(f"DQN trains an AbstractQPolicy, got {type(policy).__name__}")
        if not isinstance(env.action_space, Discrete):
            raise ValueError(f"DQN needs a Discrete action space, got {env.action_space!r}")
        check_spaces("DQN", env, policy)

    def optimizer(self) -> optax.GradientTransformation:
        """The optimiser: global-norm clipping then Adam."""
        return optax.chain(
            optax.clip_by_global_norm(self.max_grad_norm), optax.adam(rate(self.learning_rate))
        )

    def epsilon(self, global_step: Int[Array, ""], total_timesteps: int) -> Float[Array, ""]:
        """The exploration rate after `global_step` of `total_timesteps` steps."""
        decay_steps = max(self.exploration_fraction * total_timesteps, 1.0)
        progress = jnp.minimum(global_step / decay_steps, 1.0)
        start = jnp.asarray(self.exploration_initial_eps, jnp.float32)
        end = jnp.asarray(self.exploration_final_eps, jnp.float32)
        return (start + (end - start) * progress).astype(jnp.float32)

    def init(self, env: Any, policy: AbstractQPolicy, *, key: Key) -> DQNState:
        collector_key, key = jax.random.split(key)
        collector = Collector(self.num_envs)
        cstate = collector.reset(env, policy, key=collector_key)
        buffer = ReplayBuffer(
            self.buffer_size,
            env.observation_space,
            env.action_space,
            jax.tree.map(lambda x: x[0], cstate.policy_state),
            action_mask=collector.example_mask(env, cstate),
        )
        params = eqx.filter(policy, policy.trainable())
        return DQNState(
            policy=policy,
            target_policy=policy,
            opt_state=self.optimizer().init(params),
            buffer=buffer,
            collector=cstate,
            key=jax.random.key_data(key),
            global_step=jnp.zeros((), jnp.int32),
        )

    def iteration(
        self,
        env: Any,
        state: DQNState,
        callback: AbstractCallback,
        step_state: Any,
        *,
        total_timesteps: int,
    ) -> tuple[DQNState, Any, DQNStats]:
        start_step = state.global_step
        key, rollout_key, update_key = jax.random.split(jax.random.wrap_key_data(state.key), 3)
        collector = Collector(self.num_envs)
        (state, step_state), _ = filter_scan(
            lambda carry, k: (self._env_step(env, *carry, callback, total_timesteps, k), None),
            (state, step_state),
            collector.keys(rollout_key, self.num_steps),
        )
        state = eqx.tree_at(lambda s: s.key, state, jax.random.key_data(key))
        learning = state.global_step >= self.learning_starts
        state, loss = filter_cond(
            learning,
            lambda s: self._update(s, update_key),
            lambda s: (s, jnp.zeros((), jnp.float32)),
            state,
        )
        interval = self.target_update_interval
        crossed = (state.global_step // interval) > (start_step // interval)
        new_target = filter_cond(
            learning & crossed,
            lambda s: self.target_update(s.policy, s.target_policy),
            lambda s: s.target_policy,
            state,
        )
        state = eqx.tree_at(lambda s: s.target_policy, state, new_target)
        stats = DQNStats(loss=loss, epsilon=self.epsilon(state.global_step, total_timesteps))
        return state, step_state, stats

    def _env_step(
        self,
        env: Any,
        state: DQNState,
        step_state: Any,
        callback: AbstractCallback,
        total_timesteps: int,
        step_key: Key | KeyBatch,
    ) -> tuple[DQNState, Any]:
        # Uniform random acting during warm-up is epsilon-greedy with epsilon = 1.
        epsilon = jnp.where(
            state.global_step < self.learning_starts,
            1.0,
            self.epsilon(state.global_step, total_timesteps),
        )
        policy = eqx.tree_at(lambda p: p.epsilon, state.policy, epsilon)
        cstate, step_state, record = Collector(self.num_envs).step(
            env,
            policy,
            policy_act(policy),
            state.collector,
            callback,
            step_state,
            state.global_step,
            key=step_key,
        )
        buffer = state.buffer.add(
            record.observation,
            record.next_observation,
            record.action,
            record.reward,
            record.terminal,
            record.truncation,
            record.policy_state,
            record.next_policy_state,
            record.action_mask,
            next_action_mask=record.next_action_mask,
        )
        state = DQNState(
            policy=state.policy,
            target_policy=state.target_policy,
            opt_state=state.opt_state,
            buffer=buffer,
            collector=cstate,
            key=state.key,
            global_step=state.global_step + self.num_envs,
        )
        return state, step_state

    def _update(self, state: DQNState, key: Key) -> tuple[DQNState, Float[Array, ""]]:
        spec = state.policy.trainable()
        optimizer = self.optimizer()

        def one_step(carry, step_key):
            policy, opt_state = carry
            batch = state.buffer.sample(self.batch_size, key=step_key)
            policy, opt_state, loss, _ = gradient_step(
                optimizer, policy, spec, opt_state, self._loss, state.target_policy, batch
            )
            return (policy, opt_state), loss

        (policy, opt_state), losses = filter_scan(
            one_step,
            (state.policy, state.opt_state),
            jax.random.split(key, self.gradient_steps),
        )
        state = eqx.tree_at(lambda s: (s.policy, s.opt_state), state, (policy, opt_state))
        return state, jnp.mean(losses)

    def _loss(
        self, policy: AbstractQPolicy, target: AbstractQPolicy, batch: Any
    ) -> tuple[Float[Array, ""], None]:

        def online(state: Any, obs: Any) -> tuple[Any, Float[Array, " n"]]:
            return policy.q_values(state, obs)

        # A stateful policy's Q-values at the next observation are those of the state it
        # reached after reading the stored observation in its stored state.
        next_state, q = jax.vmap(online)(batch.state, batch.observation)
        q_taken = jnp.take_along_axis(q, batch.action[:, None], axis=-1)[:, 0]
        next_target = jax.vmap(lambda st, o: target.q_values(st, o)[1])(
            next_state, batch.next_observation
        )
        next_target = jax.lax.stop_gradient(next_target)
        mask = batch.next_action_mask
        if self.double_dqn:
            next_online = jax.lax.stop_gradient(
                jax.vmap(lambda st, o: online(st, o)[1])(next_state, batch.next_observation)
            )
            if mask is not None:
                next_online = jnp.where(mask, next_online, -jnp.inf)
            best = jnp.argmax(next_online, axis=-1)
            next_value = jnp.take_along_axis(next_target, best[:, None], axis=-1)[:, 0]
        else:
            if mask is not None:
                next_target = jnp.where(mask, next_target, -jnp.inf)
            next_value = jnp.max(next_target, axis=-1)
        next_value = jnp.where(jnp.isfinite(next_value), next_value, 0.0)
        not_terminal = 1.0 - batch.terminal.astype(jnp.float32)
        target_value = batch.reward + self.gamma * not_terminal * next_value
        target_value = jax.lax.stop_gradient(target_value)
        return jnp.mean(self.loss(q_taken, target_value)), None
