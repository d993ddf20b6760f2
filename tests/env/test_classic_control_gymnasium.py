"""Classic-control dynamics, rewards and terminals equal Gymnasium's step by step.

Lerax runs in one jitted `lax.scan` (or one `vmap`) per environment; Gymnasium is then stepped
in Python from each recorded lerax state, so float32-vs-float64 rounding never compounds.
"""

import equinox as eqx
import jax
import numpy as np
import pytest
from _classic_control_cases import CASE_IDS, CASES

NUM_STEPS = 3000
NUM_STATES = 2000
NUM_RESETS = 20000
NUM_GYM_RESETS = 2000
RTOL = 2e-5


def _rollout(env, sample_action, key, num_steps):
    """`num_steps` random-action steps through `env.step` (auto-reset), recording everything."""

    def body(state, key):
        k_action, k_step = jax.random.split(key)
        action = sample_action(k_action)
        next_state, obs, reward, terminal, truncate, info = env.step(state, action, key=k_step)
        record = dict(
            y=state.y,
            action=action,
            final_obs=info["final_observation"],
            obs=obs,
            reward=reward,
            terminal=terminal,
            truncate=truncate,
            done=info["done"],
            next_t=next_state.t,
        )
        return next_state, record

    k_reset, k_steps = jax.random.split(key)
    state, _, _ = env.reset(key=k_reset)
    _, records = jax.lax.scan(body, state, jax.random.split(k_steps, num_steps))
    return records


def _one_step(env, ys, actions, key):
    """From each physical state `ys[i]`, one `transition` with `actions[i]`, vmapped."""
    template = env.initial(key=key)

    def one(y, action):
        state = eqx.tree_at(lambda s: s.y, template, y)
        next_state = env.transition(state, action, key=key)
        return dict(
            y=next_state.y,
            obs=env.observation(next_state, key=key),
            reward=env.reward(state, action, next_state, key=key),
            terminal=env.terminal(next_state, key=key),
        )

    return jax.vmap(one)(ys, actions)


@eqx.filter_jit
def _lerax_runs(env, sample_action, sample_states, key):
    """Everything lerax computes for one environment, in one compiled call."""
    k_roll, k_states, k_actions, k_env, k_reset = jax.random.split(key, 5)
    ys = sample_states(k_states, NUM_STATES)
    actions = jax.vmap(sample_action)(jax.random.split(k_actions, NUM_STATES))
    resets = jax.vmap(lambda k: env.initial(key=k).y)(jax.random.split(k_reset, NUM_RESETS))
    return dict(
        rollout=_rollout(env, sample_action, k_roll, NUM_STEPS),
        arbitrary=dict(ys=ys, actions=actions, **_one_step(env, ys, actions, k_env)),
        resets=resets,
    )


@pytest.fixture(scope="module", params=CASES, ids=CASE_IDS)
def runs(request):
    case = request.param
    return case, _numpy(
        _lerax_runs(case.env, case.sample_action, case.sample_states, jax.random.key(0))
    )


def _numpy(tree):
    return jax.tree.map(np.asarray, tree)


def _gym_reference(case, ys, actions):
    gym_env = case.gym_env()
    out = dict(obs=[], reward=[], terminal=[], y=[])
    for y, action in zip(ys, actions, strict=True):
        obs, reward, terminated = case.gym_step(gym_env, y, action)
        out["obs"].append(obs)
        out["reward"].append(reward)
        out["terminal"].append(terminated)
        out["y"].append(np.asarray(gym_env.state, np.float64))
    return {k: np.asarray(v) for k, v in out.items()}


def test_rollout_matches_gymnasium(runs):
    case, lerax_runs = runs
    rec = lerax_runs["rollout"]
    ref = _gym_reference(case, rec["y"], rec["action"])

    assert rec["obs"].dtype == rec["final_obs"].dtype == np.float32
    np.testing.assert_allclose(rec["final_obs"], ref["obs"], rtol=RTOL, atol=case.atol)
    np.testing.assert_allclose(rec["reward"], ref["reward"], rtol=RTOL, atol=case.atol)
    np.testing.assert_array_equal(rec["terminal"], ref["terminal"])
    assert not rec["truncate"].any()  # environments never truncate by themselves
    np.testing.assert_array_equal(rec["done"], rec["terminal"])

    # Within an episode the next lerax state is Gymnasium's next state; after a terminal
    # step it is a fresh episode (t == 0) whose observation is the one returned.
    cont = ~rec["done"][:-1]
    np.testing.assert_allclose(rec["y"][1:][cont], ref["y"][:-1][cont], rtol=RTOL, atol=case.atol)
    np.testing.assert_array_equal(rec["next_t"][rec["done"]], 0)
    np.testing.assert_array_equal(rec["obs"][~rec["done"]], rec["final_obs"][~rec["done"]])
    if case.id == "CartPole-v1":
        assert rec["terminal"].sum() >= 50  # many episodes, each ending in a terminal step
        restarted = rec["y"][1:][rec["done"][:-1]]
        assert np.all(np.abs(restarted) <= 0.05)
        np.testing.assert_array_equal(rec["obs"][:-1][rec["done"][:-1]], restarted)


def test_transition_from_arbitrary_states_matches_gymnasium(runs):
    case, lerax_runs = runs
    out = lerax_runs["arbitrary"]
    ref = _gym_reference(case, out["ys"], out["actions"])

    assert out["obs"].dtype == np.float32 and out["reward"].dtype == np.float32
    np.testing.assert_allclose(out["obs"], ref["obs"], rtol=RTOL, atol=case.atol)
    np.testing.assert_allclose(out["y"], ref["y"], rtol=RTOL, atol=case.atol)
    np.testing.assert_allclose(out["reward"], ref["reward"], rtol=RTOL, atol=case.atol)
    np.testing.assert_array_equal(out["terminal"], ref["terminal"])
    if case.id != "Pendulum-v1":  # the only one without a terminal state
        assert 20 <= out["terminal"].sum() <= NUM_STATES - 20  # both branches exercised


def test_reset_distribution_matches_gymnasium(runs):
    case, lerax_runs = runs
    resets = lerax_runs["resets"]
    gym_env = case.gym_env()
    gym_resets = np.array(
        [
            np.asarray(gym_env.reset(seed=seed) and gym_env.state, np.float64)
            for seed in range(NUM_GYM_RESETS)
        ]
    )
    low, high = np.array(case.reset_low), np.array(case.reset_high)
    width = high - low
    for samples in (resets, gym_resets):  # both inside the documented bounds, and filling them
        assert np.all(samples >= low) and np.all(samples <= high)
        np.testing.assert_allclose(samples.min(0), low, atol=0.01 * width.max())
        np.testing.assert_allclose(samples.max(0), high, atol=0.01 * width.max())
    # Same uniform law: means and standard deviations agree within sampling error.
    n_gym = len(gym_resets)
    np.testing.assert_allclose(
        resets.mean(0), gym_resets.mean(0), atol=5 * width.max() / np.sqrt(12 * n_gym)
    )
    np.testing.assert_allclose(resets.std(0), gym_resets.std(0), atol=0.05 * width.max())
    np.testing.assert_allclose(resets.std(0), width / np.sqrt(12), atol=0.01 * width.max())
