"""DQN with action masks: a bandit whose best arms are sometimes not allowed.

Each episode is one step. Four arms pay 1.0, 0.5, 0.25 and 0.1; at the start of every
episode a random half of the arms is allowed (at least one), and the observation says
which. The best policy pulls the best *allowed* arm; a masked arm must never be pulled.
Written only against the documented lerax API. Run:

    python examples/dqn_masks.py --timesteps 20000
"""

from __future__ import annotations

import argparse
from typing import ClassVar

import equinox as eqx
import jax
import jax.numpy as jnp

from lerax.algorithm import DQN
from lerax.env import AbstractEnv, AbstractEnvState
from lerax.policy import MLPQPolicy
from lerax.space import Box, Discrete

PAYOFFS = jnp.array([1.0, 0.5, 0.25, 0.1])


class BanditState(AbstractEnvState):
    allowed: jax.Array  # bool[4]
    t: jax.Array


class MaskedBandit(AbstractEnv[BanditState, jax.Array, jax.Array, jax.Array]):
    name: ClassVar[str] = "MaskedBandit"
    action_space: Discrete = eqx.field(default_factory=lambda: Discrete(4))
    observation_space: Box = eqx.field(default_factory=lambda: Box(0.0, 1.0, (4,)))

    def initial(self, *, key):
        allowed = jax.random.bernoulli(key, 0.5, (4,))
        allowed = allowed.at[3].set(allowed[3] | ~jnp.any(allowed[:3]))  # at least one
        return BanditState(allowed, jnp.array(0))

    def action_mask(self, state, *, key):
        return state.allowed

    def transition(self, state, action, *, key):
        return BanditState(state.allowed, state.t + 1)

    def observation(self, state, *, key):
        return state.allowed.astype(jnp.float32)

    def reward(self, state, action, next_state, *, key):
        return jnp.where(state.allowed[action], PAYOFFS[action], -1.0)

    def terminal(self, state, *, key):
        return state.t >= 1

    def render(self, state, renderer):
        raise NotImplementedError

    def default_renderer(self):
        raise NotImplementedError


def evaluate(env: MaskedBandit, policy: MLPQPolicy, n: int = 256) -> tuple[float, float]:
    """Fraction of episodes where the greedy arm is the best allowed one, and is allowed."""

    def one(key):
        state = env.initial(key=key)
        mask = env.action_mask(state, key=key)
        _, action = policy(policy.reset(key=key), env.observation(state, key=key), action_mask=mask)
        best = jnp.argmax(jnp.where(mask, PAYOFFS, -jnp.inf))
        return action == best, mask[action]

    best, allowed = jax.vmap(one)(jax.random.split(jax.random.key(7), n))
    return float(jnp.mean(best)), float(jnp.mean(allowed))


def main(total_timesteps: int = 20_000) -> tuple[float, float]:
    env = MaskedBandit()
    policy = MLPQPolicy(env, width_size=64, depth=2, key=jax.random.key(0))
    algo = DQN(
        learning_starts=500,
        batch_size=64,
        target_update_interval=500,
        learning_rate=1e-3,
        gamma=0.0,
    )
    policy = algo.learn(env, policy, total_timesteps, key=jax.random.key(1))
    best, allowed = evaluate(env, policy)
    print(f"best allowed arm chosen: {best:.1%}; allowed arm chosen: {allowed:.1%}")
    return best, allowed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timesteps", type=int, default=20_000)
    main(parser.parse_args().timesteps)
