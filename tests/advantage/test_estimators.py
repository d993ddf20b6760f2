import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.advantage import GAE, BootstrappedReturn, NStepReturn

T, N = 12, 3

# A 4-step rollout, gamma = 0.5.
REWARDS = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
VALUES = np.array([10.0, 20.0, 30.0, 40.0], np.float32)


def n_step_reference(r, v, d, last, gamma, n, trunc=None, boot=None):
    """Plain double loop over one environment's trajectory."""
    out = np.zeros_like(r)
    for t in range(len(r)):
        total, discount = 0.0, 1.0
        for k in range(n):
            i = t + k
            total += discount * r[i]
            discount *= gamma
            if d[i]:
                total += discount * (boot[i] if trunc is not None and trunc[i] else 0.0)
                break
            if i == len(r) - 1:
                total += discount * last
                break
            if k == n - 1:
                total += discount * v[i + 1]
        out[t] = total
    return out


@pytest.fixture(scope="module")
def rollout():
    rng = np.random.default_rng(0)
    rewards = rng.normal(size=(T, N)).astype(np.float32)
    values = rng.normal(size=(T, N)).astype(np.float32)
    dones = rng.random((T, N)) < 0.2
    truncs = dones & (rng.random((T, N)) < 0.5)
    boot = rng.normal(size=(T, N)).astype(np.float32)
    last = rng.normal(size=(N,)).astype(np.float32)
    assert dones.any() and truncs.any()
    return rewards, values, dones, truncs, boot, last


_RUNNERS = {}


def run(estimator, r, v, d, last, trunc=None, boot=None):
    """Jitted call; one runner per static structure (class and `n`) and rollout shape, which
    may trace only twice (with and without truncation inputs) however often `gamma` changes."""
    estimator = jax.tree.map(jnp.asarray, estimator)  # gamma becomes an array leaf
    structure = (jax.tree.structure(estimator), np.shape(r))
    if structure not in _RUNNERS:

        @eqx.filter_jit
        @eqx.debug.assert_max_traces(max_traces=2)
        def runner(estimator, r, v, d, last, trunc, boot):
            return estimator(r, v, d, last, truncations=trunc, bootstrap_values=boot)

        _RUNNERS[structure] = runner
    return _RUNNERS[structure](estimator, r, v, d, last, trunc, boot)


def check(estimator, expected, *args, **kwargs):
    advantages, returns = run(estimator, REWARDS, VALUES, *args, **kwargs)
    np.testing.assert_allclose(returns, expected, rtol=1e-6)
    np.testing.assert_allclose(advantages, np.asarray(expected) - VALUES, rtol=1e-6)


def test_hand_computed_terminal():
    dones = np.array([False, False, True, False])
    last = np.array(100.0, np.float32)
    # G3 = 4 + .5 * 100; G2 = 3 (terminal); G1 = 2 + .5 * 3; G0 = 1 + .5 * 3.5
    check(BootstrappedReturn(gamma=0.5), [2.75, 3.5, 3.0, 54.0], dones, last)
    # TD(0): r_t + .5 * V_{t+1}, zero after the terminal, last_value after the end.
    check(NStepReturn(1, gamma=0.5), [11.0, 17.0, 3.0, 54.0], dones, last)
    # G0 = 1 + .5 * 2 + .25 * V_2; G1 stops at the terminal: 2 + .5 * 3.
    check(NStepReturn(2, gamma=0.5), [9.5, 3.5, 3.0, 54.0], dones, last)


def test_hand_computed_truncation():
    dones = np.array([False, True, False, False])
    truncs = np.array([False, True, False, False])
    boot = np.array([99.0, 8.0, 99.0, 99.0], np.float32)  # only entry 1 is used
    last = np.array(6.0, np.float32)
    kw = dict(trunc=truncs, boot=boot)
    # G1 = 2 + .5 * 8; G0 = 1 + .5 * 6; G3 = 4 + .5 * 6; G2 = 3 + .5 * 7
    check(BootstrappedReturn(gamma=0.5), [4.0, 6.0, 6.5, 7.0], dones, last, **kw)
    # G0 = 1 + .5 * 20; G2 = 3 + .5 * 40
    check(NStepReturn(1, gamma=0.5), [11.0, 6.0, 23.0, 7.0], dones, last, **kw)
    # G0 = 1 + .5 * 2 + .25 * 8; G2 = 3 + .5 * 4 + .25 * 6
    check(NStepReturn(2, gamma=0.5), [4.0, 6.0, 6.5, 7.0], dones, last, **kw)
    # Without bootstrap values the truncation bootstraps from zero, like a terminal.
    check(BootstrappedReturn(gamma=0.5), [2.0, 2.0, 6.5, 7.0], dones, last)
    check(NStepReturn(2, gamma=0.5), [2.0, 2.0, 6.5, 7.0], dones, last)


def test_hand_computed_two_envs_on_trailing_axis():
    # Env 0 terminates after step 2 (last value 100); env 1 is truncated after step 1
    # (bootstrap 8, last value 6).
    rewards = np.stack([REWARDS, REWARDS], axis=1)
    values = np.stack([VALUES, VALUES], axis=1)
    dones = np.array([[False, False], [False, True], [True, False], [False, False]])
    truncs = np.array([[False, False], [False, True], [False, False], [False, False]])
    boot = np.array([[99.0, 99.0], [99.0, 8.0], [99.0, 99.0], [99.0, 99.0]], np.float32)
    last = np.array([100.0, 6.0], np.float32)
    expected = {
        BootstrappedReturn(gamma=0.5): [[2.75, 4.0], [3.5, 6.0], [3.0, 6.5], [54.0, 7.0]],
        NStepReturn(1, gamma=0.5): [[11.0, 11.0], [17.0, 6.0], [3.0, 23.0], [54.0, 7.0]],
        NStepReturn(2, gamma=0.5): [[9.5, 4.0], [3.5, 6.0], [3.0, 6.5], [54.0, 7.0]],
    }
    for estimator, ret in expected.items():
        advantages, returns = run(estimator, rewards, values, dones, last, truncs, boot)
        np.testing.assert_allclose(returns, ret, rtol=1e-6)
        np.testing.assert_allclose(advantages, np.asarray(ret) - values, rtol=1e-6)


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_n_step_matches_loop(rollout, n):
    r, v, d, tr, boot, last = rollout
    estimator = NStepReturn(n, gamma=0.9)
    _, plain = run(estimator, r, v, d, last)
    adv, ret = run(estimator, r, v, d, last, tr, boot)
    for e in range(N):
        ref = n_step_reference(r[:, e], v[:, e], d[:, e], last[e], 0.9, n)
        np.testing.assert_allclose(plain[:, e], ref, rtol=1e-5, atol=1e-5)
        ref = n_step_reference(r[:, e], v[:, e], d[:, e], last[e], 0.9, n, tr[:, e], boot[:, e])
        np.testing.assert_allclose(ret[:, e], ref, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(adv[:, e], ref - v[:, e], rtol=1e-5, atol=1e-5)
    assert not np.allclose(ret, plain)  # truncations really bootstrap


def test_bootstrapped_return_equals_gae_lambda_one(rollout):
    r, v, d, tr, boot, last = rollout
    for trunc, bv in [(None, None), (tr, boot)]:
        adv, ret = run(BootstrappedReturn(gamma=0.97), r, v, d, last, trunc, bv)
        gae_adv, gae_ret = run(GAE(gamma=0.97, lam=1.0), r, v, d, last, trunc, bv)
        np.testing.assert_allclose(adv, gae_adv, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(ret, gae_ret, rtol=1e-5, atol=1e-5)


def test_one_step_is_td0(rollout):
    r, v, d, tr, boot, last = rollout
    following = np.concatenate([v[1:], last[None]], axis=0)
    following = np.where(d, np.where(tr, boot, 0.0), following)
    td0 = r + 0.9 * following
    adv, ret = run(NStepReturn(1, gamma=0.9), r, v, d, last, tr, boot)
    np.testing.assert_allclose(ret, td0, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(adv, td0 - v, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n", [T, T + 5, 1000])
def test_long_horizon_is_bootstrapped_return(rollout, n):
    r, v, d, tr, boot, last = rollout
    _, ret = run(NStepReturn(n, gamma=0.9), r, v, d, last, tr, boot)
    _, full = run(BootstrappedReturn(gamma=0.9), r, v, d, last, tr, boot)
    np.testing.assert_allclose(ret, full, rtol=1e-5, atol=1e-5)
    _, shorter = run(NStepReturn(2, gamma=0.9), r, v, d, last, tr, boot)
    assert not np.allclose(shorter, full)


@pytest.mark.parametrize("make", [BootstrappedReturn, lambda gamma: NStepReturn(3, gamma)])
def test_gamma_sweep_under_vmap(rollout, make):
    r, v, d, tr, boot, last = rollout
    gammas = jnp.array([0.5, 0.99])
    sweep = jax.jit(
        jax.vmap(lambda g: make(gamma=g)(r, v, d, last, truncations=tr, bootstrap_values=boot))
    )
    advs, rets = sweep(gammas)
    for i, g in enumerate([0.5, 0.99]):
        adv, ret = make(gamma=g)(r, v, d, last, truncations=tr, bootstrap_values=boot)
        np.testing.assert_allclose(advs[i], adv, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(rets[i], ret, rtol=1e-5, atol=1e-5)
    assert not np.allclose(rets[0], rets[1])


def test_gradients_are_finite(rollout):
    r, v, d, _, _, last = rollout

    def loss(values, estimator):
        advantages, _ = estimator(r, values, d, last)
        return jnp.sum(advantages**2)

    for estimator in [BootstrappedReturn(), NStepReturn(4)]:
        grad = jax.grad(loss)(jnp.asarray(v), estimator)
        assert np.all(np.isfinite(grad)) and np.any(grad != 0)


@pytest.mark.parametrize("n", [0, -1, True])
def test_invalid_n(n):
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        NStepReturn(n)


@pytest.mark.parametrize("n", [1.5, "3"])
def test_non_int_n(n):
    # TypeError: the jaxtyping hook rejects the `n: int` annotation before __check_init__.
    with pytest.raises((ValueError, TypeError), match="n must be an int >= 1|parameter 'n'"):
        NStepReturn(n)


def test_invalid_gamma_and_inputs(rollout):
    with pytest.raises(ValueError, match="gamma must be in"):
        BootstrappedReturn(gamma=1.5)
    with pytest.raises(ValueError, match="gamma must be in"):
        NStepReturn(3, gamma=1.5)
    with pytest.raises(ValueError, match="gamma must be in"):
        NStepReturn(3, gamma=jnp.array(-0.1))
    r, v, d, tr, _, last = rollout
    for estimator in [BootstrappedReturn(), NStepReturn(2)]:
        with pytest.raises(ValueError, match="together"):
            estimator(r, v, d, last, truncations=tr)
        with pytest.raises((ValueError, TypeError), match="last_value"):  # TypeError: jaxtyping
            estimator(r, v, d, last[:2])
