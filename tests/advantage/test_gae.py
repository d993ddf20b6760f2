import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.advantage import GAE, discounted_returns

T, N = 12, 3


def gae_reference(r, v, done, last, gamma, lam, trunc=None, boot=None):
    """Plain loop over one environment's trajectory."""
    adv = np.zeros_like(r)
    running = 0.0
    for t in reversed(range(len(r))):
        if done[t]:
            next_value = boot[t] if trunc is not None and trunc[t] else 0.0
            running = 0.0
        else:
            next_value = last if t == len(r) - 1 else v[t + 1]
        delta = r[t] + gamma * next_value - v[t]
        running = delta + gamma * lam * running
        adv[t] = running
    return adv, adv + v


@pytest.fixture(scope="module")
def rollout():
    rng = np.random.default_rng(0)
    rewards = rng.normal(size=(T, N)).astype(np.float32)
    values = rng.normal(size=(T, N)).astype(np.float32)
    dones = rng.random((T, N)) < 0.2
    truncs = dones & (rng.random((T, N)) < 0.5)
    boot = rng.normal(size=(T, N)).astype(np.float32)
    last = rng.normal(size=(N,)).astype(np.float32)
    return rewards, values, dones, truncs, boot, last


def gae(gamma, lam):
    """Array hyperparameters are leaves, so changing them does not retrace."""
    return GAE(gamma=jnp.asarray(gamma), lam=jnp.asarray(lam))


@pytest.fixture(scope="module")
def gae_fn():
    @eqx.filter_jit
    @eqx.debug.assert_max_traces(max_traces=2)  # with and without truncation inputs
    def run(gae, r, v, d, last, trunc=None, boot=None):
        return gae(r, v, d, last, truncations=trunc, bootstrap_values=boot)

    return run


def test_matches_reference_with_episode_ends(rollout, gae_fn):
    r, v, d, _, _, last = rollout
    adv, ret = gae_fn(gae(0.9, 0.8), r, v, d, last)
    for e in range(N):
        ref_adv, ref_ret = gae_reference(r[:, e], v[:, e], d[:, e], last[e], 0.9, 0.8)
        np.testing.assert_allclose(adv[:, e], ref_adv, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(ret[:, e], ref_ret, rtol=1e-5, atol=1e-5)


def test_truncations_bootstrap_from_final_values(rollout, gae_fn):
    r, v, d, tr, boot, last = rollout
    adv, _ = gae_fn(gae(0.9, 0.8), r, v, d, last, tr, boot)
    for e in range(N):
        ref_adv, _ = gae_reference(
            r[:, e], v[:, e], d[:, e], last[e], 0.9, 0.8, tr[:, e], boot[:, e]
        )
        np.testing.assert_allclose(adv[:, e], ref_adv, rtol=1e-5, atol=1e-5)
    # Truncated steps really differ from treating them as terminals.
    plain, _ = gae_fn(gae(0.9, 0.8), r, v, d, last)
    assert tr.any() and not np.allclose(adv, plain)


def test_lambda_one_gives_discounted_returns(rollout, gae_fn):
    r, v, d, _, _, last = rollout
    _, ret = gae_fn(gae(0.97, 1.0), r, v, d, last)
    np.testing.assert_allclose(ret, discounted_returns(r, d, last, 0.97), rtol=1e-5, atol=1e-5)


def test_gamma_sweep_under_vmap(rollout, gae_fn):
    r, v, d, _, _, last = rollout
    gammas = jnp.array([0.5, 0.99])
    advs, _ = jax.vmap(lambda g: GAE(gamma=g, lam=0.9)(r[:, 0], v[:, 0], d[:, 0], last[0]))(gammas)
    for i, g in enumerate([0.5, 0.99]):
        ref, _ = gae_reference(r[:, 0], v[:, 0], d[:, 0], last[0], g, 0.9)
        np.testing.assert_allclose(advs[i], ref, rtol=1e-5, atol=1e-5)


def test_errors(rollout):
    r, v, d, tr, _, last = rollout
    with pytest.raises((ValueError, TypeError), match="last_value"):  # TypeError: jaxtyping
        GAE()(r, v, d, last[:2])
    with pytest.raises(ValueError, match="together"):
        GAE()(r, v, d, last, truncations=tr)
    with pytest.raises(ValueError, match="gamma must be in"):
        GAE(gamma=1.5)
    with pytest.raises(ValueError, match="lam must be in"):
        GAE(lam=jnp.array(-0.1))
