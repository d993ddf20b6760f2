"""SAC, TD3, DDPG and SACDiscrete reach the known values and actions of probe environments."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.algorithm import DDPG, SAC, TD3, SACDiscrete
from lerax.policy import MLPDeterministicPolicy, MLPDiscreteSACPolicy, MLPSACPolicy
from lerax.wrapper import TimeLimit

from ._box_probes import BoxConstant, BoxDiscounting, BoxTarget, BoxTimeout
from ._probes import Discounting, MaskedBest, ObservedReward

GAMMA = 0.9
COMMON = dict(
    buffer_size=4_000,
    gamma=GAMMA,
    learning_starts=256,
    num_envs=4,
    num_steps=1,
    batch_size=64,
    tau=0.05,
    q_width_size=32,
    q_depth=1,
)


def _make(name):
    if name in ("SAC", "SAC-gSDE"):
        # A small fixed temperature: the soft values are then the plain ones to within ~0.01.
        algo = SAC(
            **COMMON,
            autotune=False,
            initial_alpha=0.01,
            policy_lr=3e-3,
            q_lr=3e-3,
            policy_frequency=1,
        )
        sde = dict(use_sde=True, log_std_init=-1.0, sde_sample_freq=8) if name == "SAC-gSDE" else {}
        return algo, lambda env: MLPSACPolicy(
            env, feature_size=16, width_size=16, depth=1, **sde, key=jax.random.key(0)
        )
    cls = TD3 if name == "TD3" else DDPG
    algo = cls(**COMMON, actor_lr=3e-3, q_lr=3e-3)
    return algo, lambda env: MLPDeterministicPolicy(
        env, width_size=16, depth=1, key=jax.random.key(0)
    )


def _train(name, env, steps=3_000):
    algo, policy = _make(name)
    state = algo.init(env, policy(env), key=jax.random.key(1))
    return algo.train(env, state, steps // algo.steps_per_iteration)


def _critics(state):
    return [getattr(state, f) for f in ("qf1", "qf2", "qf") if hasattr(state, f)]


def _q(state, obs, action):
    """Every critic's Q(obs, action), the action rescaled from [-2, 2] to [-1, 1] by hand."""
    o = jnp.asarray([obs], jnp.float32)
    a = jnp.asarray([action / 2.0], jnp.float32)
    return np.array([float(qf(o, a)) for qf in _critics(state)])


def _greedy(state, obs):
    policy_state = state.policy.reset(key=jax.random.key(0))
    return float(state.policy(policy_state, jnp.asarray([obs], jnp.float32))[1][0])


ALGOS = ["SAC", "TD3", "DDPG"]


@pytest.mark.parametrize("name", ALGOS)
def test_constant_reward(name):
    state = _train(name, BoxConstant())  # the observation is always 0
    for action in (-1.5, 0.0, 1.5):
        np.testing.assert_allclose(_q(state, 0.0, action), 1.0, atol=0.05)


@pytest.mark.parametrize("name", [*ALGOS, "SAC-gSDE"])
def test_action_dependent_reward_finds_the_optimum(name):
    state = _train(name, BoxTarget(), steps=8_000 if name.startswith("SAC") else 6_000)
    for y in (-1.0, 1.0):
        assert _greedy(state, y) == pytest.approx(y, abs=0.15)
        np.testing.assert_allclose(_q(state, y, y), 0.0, atol=0.15)
        np.testing.assert_allclose(_q(state, y, -y), -4.0, atol=0.6)


@pytest.mark.parametrize("name", ALGOS)
def test_discounting(name):
    state = _train(name, BoxDiscounting())
    for action in (-1.0, 1.0):
        np.testing.assert_allclose(_q(state, 0.0, action), GAMMA, atol=0.08)
        np.testing.assert_allclose(_q(state, 1.0, action), 1.0, atol=0.08)


@pytest.mark.parametrize("name", ALGOS)
def test_truncation_bootstraps_from_the_final_observation(name):
    state = _train(name, TimeLimit(BoxTimeout(), 5), steps=5_000)
    np.testing.assert_allclose(_q(state, 0.0, 0.0), 1 / (1 - GAMMA), rtol=0.1)


# --- SACDiscrete ------------------------------------------------------------------------


def _train_discrete(env, steps=3_000, **kw):
    algo = SACDiscrete(
        **{**COMMON, "tau": 0.05, **kw},
        policy_lr=3e-3,
        q_lr=3e-3,
        autotune=False,
        initial_alpha=0.01,
    )
    policy = MLPDiscreteSACPolicy(env, width_size=16, depth=1, key=jax.random.key(0))
    state = algo.init(env, policy, key=jax.random.key(1))
    return algo.train(env, state, steps // algo.steps_per_iteration)


def _dq(state, obs):
    o = jnp.asarray([obs], jnp.float32)
    return np.stack([np.asarray(state.qf1(o)), np.asarray(state.qf2(o))])


def test_discrete_observation_dependent_reward():
    state = _train_discrete(ObservedReward())
    np.testing.assert_allclose(_dq(state, 1.0), 1.0, atol=0.1)
    np.testing.assert_allclose(_dq(state, -1.0), -1.0, atol=0.1)


def test_discrete_discounting():
    state = _train_discrete(Discounting())
    np.testing.assert_allclose(_dq(state, 0.0), GAMMA, atol=0.08)
    np.testing.assert_allclose(_dq(state, 1.0), 1.0, atol=0.08)


def test_discrete_masks_are_honoured():
    env = MaskedBest()
    state = _train_discrete(env)
    obs = jnp.zeros((1,), jnp.float32)
    mask = jnp.array([True, True, False])
    _, probs, _ = state.policy.action_probs_and_log_probs(None, obs, action_mask=mask)
    assert float(probs[2]) == 0.0 and float(probs[1]) > 0.9
    # Action 2 (reward 2) was never taken, so its stored actions never include it.
    actions = np.asarray(state.buffer.transitions.action[: int(state.buffer.count)])
    assert (actions != 2).all()
    np.testing.assert_allclose(_dq(state, 0.0)[:, 1], 1.0, atol=0.1)
