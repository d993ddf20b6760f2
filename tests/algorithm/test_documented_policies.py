"""Policies written only against the documented abstract contracts train.

`DocumentedActorCritic` implements just `action_and_value`, `evaluate_action`, `value` and
`__call__` (plus `name`, the spaces and `reset`) on `AbstractActorCriticPolicy`;
`DocumentedDeterministic` implements just `__call__` on `AbstractDeterministicPolicy`. Neither
uses lerax's distributions or its intermediate policy classes."""

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.algorithm import A2C, DDPG, PPO, REINFORCE, TD3
from lerax.env import make
from lerax.policy import (
    AbstractActorCriticPolicy,
    AbstractDeterministicPolicy,
    AbstractDistributionActorCriticPolicy,
    AbstractNoisyDeterministicPolicy,
)
from lerax.space import Box, Discrete

from ._callbacks import max_one_trace

# ------------------------------------------------------------------ the policies


@final
class DocumentedActorCritic(AbstractActorCriticPolicy[None, Any, Any, Any]):
    """A Categorical actor and a value head, each its own MLP on the raw observation."""

    name: ClassVar[str] = "DocumentedActorCritic"
    action_space: Discrete
    observation_space: Box
    actor: eqx.nn.MLP
    critic: eqx.nn.MLP

    def __init__(self, env: Any, *, key: Any):
        self.action_space = env.action_space
        self.observation_space = env.observation_space
        k_actor, k_critic = jax.random.split(key)
        size = env.observation_space.flat_size
        self.actor = eqx.nn.MLP(size, env.action_space.n, 32, 1, activation=jnp.tanh, key=k_actor)
        self.critic = eqx.nn.MLP(size, "scalar", 32, 1, activation=jnp.tanh, key=k_critic)

    def reset(self, *, key: Any) -> None:
        return None

    def _log_probs(self, observation: Any, action_mask: Any) -> jax.Array:
        logits = self.actor(jnp.ravel(observation))
        if action_mask is not None:
            logits = jnp.where(action_mask, logits, -1e30)
        return jax.nn.log_softmax(logits)

    def action_and_value(self, state, observation, *, key, action_mask=None):
        log_probs = self._log_probs(observation, action_mask)
        action = jax.random.categorical(key, log_probs)
        return state, action, self.critic(jnp.ravel(observation)), log_probs[action]

    def evaluate_action(self, state, observation, action, *, action_mask=None):
        log_probs = self._log_probs(observation, action_mask)
        entropy = -jnp.sum(jnp.exp(log_probs) * log_probs)
        return state, self.critic(jnp.ravel(observation)), log_probs[action], entropy

    def value(self, state, observation):
        return state, self.critic(jnp.ravel(observation))

    def __call__(self, state, observation, *, action_mask=None, key=None):
        log_probs = self._log_probs(observation, action_mask)
        if key is None:
            return state, jnp.argmax(log_probs)
        return state, jax.random.categorical(key, log_probs)


@final
class DocumentedDeterministic(AbstractDeterministicPolicy[None, Any]):
    """A tanh MLP scaled to the Box bounds; a key adds Gaussian noise, then clips."""

    name: ClassVar[str] = "DocumentedDeterministic"
    action_space: Box
    observation_space: Box
    net: eqx.nn.MLP

    def __init__(self, env: Any, *, key: Any):
        self.action_space = env.action_space
        self.observation_space = env.observation_space
        self.net = eqx.nn.MLP(
            env.observation_space.flat_size,
            env.action_space.flat_size,
            32,
            1,
            final_activation=jnp.tanh,
            key=key,
        )

    def reset(self, *, key: Any) -> None:
        return None

    def __call__(self, state, observation, *, action_mask=None, key=None):
        low, high = jax.lax.stop_gradient((self.action_space.low, self.action_space.high))
        out = self.net(jnp.ravel(observation)).reshape(self.action_space.shape)
        action = low + (high - low) * (out + 1) / 2
        if key is not None:
            action = action + 0.1 * (high - low) / 2 * jax.random.normal(key, action.shape)
        return state, jnp.clip(action, low, high)


# ------------------------------------------------------------------ helpers


def _params(policy) -> list[np.ndarray]:
    return [np.asarray(x) for x in jax.tree.leaves(eqx.filter(policy, policy.trainable()))]


def _changed(before, after) -> bool:
    pairs = zip(_params(before), _params(after), strict=True)
    return any(not np.array_equal(x, y) for x, y in pairs)


def _finite(policy) -> bool:
    return all(np.isfinite(x).all() for x in _params(policy))


# ------------------------------------------------------------------ actor-critic


def test_documented_actor_critic_is_only_the_documented_contract():
    env = make("CartPole-v1")
    policy = DocumentedActorCritic(env, key=jax.random.key(0))
    assert isinstance(policy, AbstractActorCriticPolicy)
    assert not isinstance(policy, AbstractDistributionActorCriticPolicy)
    # The default declaration of what trains: every float array outside the spaces.
    spec = policy.trainable()
    assert spec.actor.layers[0].weight is True and spec.critic.layers[-1].bias is True
    assert spec.action_space is False and spec.observation_space is False


def test_ppo_trains_a_documented_actor_critic_in_one_compile():
    env = make("CartPole-v1")
    policy = DocumentedActorCritic(env, key=jax.random.key(0))
    algo = PPO(num_envs=4, num_steps=64, num_epochs=2, num_batches=2, learning_rate=3e-3)
    # One trace: a second one would raise inside `learn`.
    trained = algo.learn(env, policy, 4_096, key=jax.random.key(1), callback=max_one_trace())
    assert _changed(policy, trained) and _finite(trained)
    # The critic learned: near the start states (CartPole starts within +-0.05) the
    # critic moved from about 0.5 towards the discounted returns of the episodes (about 3.5
    # after this budget, on several seeds).
    starts = jax.random.uniform(jax.random.key(7), (64, 4), minval=-0.05, maxval=0.05)
    before = jax.vmap(lambda o: policy.value(None, o)[1])(starts)
    after = jax.vmap(lambda o: trained.value(None, o)[1])(starts)
    assert float(jnp.mean(after)) > float(jnp.mean(before)) + 1.5


@pytest.mark.parametrize(
    "algo", [A2C(num_envs=4, num_steps=8), REINFORCE(num_envs=2, num_steps=64)]
)
def test_a2c_and_reinforce_train_a_documented_actor_critic(algo):
    env = make("CartPole-v1")
    policy = DocumentedActorCritic(env, key=jax.random.key(0))
    trained = algo.learn(env, policy, 512, key=jax.random.key(2))
    assert _changed(policy, trained) and _finite(trained)


# ------------------------------------------------------------------ deterministic


@pytest.mark.parametrize(
    "make_algo",
    [DDPG, TD3],
    ids=["ddpg", "td3"],
)
def test_a_documented_deterministic_policy_trains(make_algo):
    env = make("Pendulum-v1")
    policy = DocumentedDeterministic(env, key=jax.random.key(0))
    assert isinstance(policy, AbstractDeterministicPolicy)
    assert not isinstance(policy, AbstractNoisyDeterministicPolicy)
    algo = make_algo(
        buffer_size=1_000,
        learning_starts=64,
        batch_size=16,
        q_width_size=16,
        q_depth=1,
    )
    state = algo.init(env, policy, key=jax.random.key(3))
    state = algo.train(env, state, 256)
    assert _changed(policy, state.policy) and _finite(state.policy)
    assert np.isfinite(np.asarray(state.stats.actor_loss))
    assert np.asarray(state.stats.actor_loss) != 0.0  # the actor was updated
    # Acting: no key is the deterministic action; a key explores, inside the bounds.
    obs = env.observation_space.sample(key=jax.random.key(4))
    _, a = state.policy(None, obs)
    _, b = state.policy(None, obs, key=jax.random.key(5))
    assert a.shape == b.shape == env.action_space.shape
    assert bool(env.action_space.contains(a)) and bool(env.action_space.contains(b))
