"""A stack of wrappers under one `jit`, `vmap` over environments and `lax.scan` over steps."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from lerax.wrapper import (
    EpisodeStatistics,
    FrameStack,
    NormalizeObservation,
    NormalizeReward,
    RescaleAction,
    TimeLimit,
)

from ._envs import CounterEnv, rollout

NUM_ENVS, NUM_STEPS = 3, 9


def make_env():
    env = RescaleAction(CounterEnv(episode_length=5))  # actions in [-1, 1] -> [-2, 3]
    env = TimeLimit(env, 4)
    env = FrameStack(env, 2)
    env = NormalizeObservation(env, clip=None)
    env = NormalizeReward(env, gamma=0.9)
    return EpisodeStatistics(env)


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def batched_rollout(env, actions, keys):
    return jax.vmap(rollout.__wrapped__, in_axes=(None, 0, 0))(env, actions, keys)


def test_vmapped_stack_matches_each_environment_alone():
    env = make_env()
    actions = jax.random.uniform(
        jax.random.key(0), (NUM_ENVS, NUM_STEPS, 1), minval=-1.0, maxval=1.0
    )
    keys = jax.random.split(jax.random.key(1), NUM_ENVS)
    batched = batched_rollout(env, actions, keys)
    batched_again = batched_rollout(env, 0.5 * actions, keys)  # same shapes: no retrace

    for i in range(NUM_ENVS):
        alone = rollout(env, actions[i], keys[i])
        for a, b in zip(jax.tree.leaves(batched), jax.tree.leaves(alone), strict=True):
            np.testing.assert_allclose(np.asarray(a)[i], np.asarray(b), rtol=1e-5, atol=1e-6)

    # TimeLimit(4) cuts every episode before CounterEnv's own end at 5.
    done = [False, False, False, True] * 2 + [False]
    assert batched.truncate.tolist() == [done] * NUM_ENVS
    assert batched.info["episode_done"].tolist() == [done] * NUM_ENVS
    assert batched.info["episode_count"][:, -1].tolist() == [2] * NUM_ENVS
    # Statistics are kept per environment and survive the auto-resets:
    # 1 initial + 9 steps + 2 resets observations, 9 returns.
    normalize_obs_state = batched.state.env_state.env_state.wrapper_state
    assert normalize_obs_state.statistics.count[:, -1].tolist() == [12] * NUM_ENVS
    normalize_reward_stats = batched.state.env_state.wrapper_state.statistics
    assert normalize_reward_stats.count[:, -1].tolist() == [9] * NUM_ENVS
    means = normalize_obs_state.statistics.mean[:, -1]
    assert not np.allclose(means[0], means[1])
    # NormalizeReward saw the rescaled actions as raw rewards; EpisodeStatistics sums the
    # (normalised) rewards it returns.
    normalize_reward_state = batched.state.env_state.wrapper_state
    raw = -2.0 + 2.5 * (actions[..., 0] + 1.0)
    stored = np.where(done, 0.0, raw)  # the state after an episode end is a fresh one
    np.testing.assert_allclose(normalize_reward_state.reward, stored, rtol=1e-5, atol=1e-6)
    returns, rewards = batched.info["episode_return"], batched.reward
    np.testing.assert_allclose(returns[:, 3], rewards[:, :4].sum(axis=1), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(returns[:, 7], rewards[:, 4:8].sum(axis=1), rtol=1e-5, atol=1e-5)
    assert not np.allclose(batched_again.reward, batched.reward)
    assert jnp.all(jnp.isfinite(batched.obs))
