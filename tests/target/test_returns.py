import equinox as eqx
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.target import BootstrappedReturn, NStepReturn

T, N = 10, 3


def n_step_reference(r, term, nv, trunc, n, gamma):
    """Loop over one environment: sum up to n rewards, stop at episode or data end."""
    out = np.zeros_like(r)
    for t in range(len(r)):
        total, discount = 0.0, 1.0
        for k in range(n):
            i = t + k
            total += discount * r[i]
            discount *= gamma
            if term[i] or trunc[i] or k == n - 1 or i == len(r) - 1:
                total += discount * (0.0 if term[i] else nv[i])
                break
        out[t] = total
    return out


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    r = rng.normal(size=(T, N)).astype(np.float32)
    term = rng.random((T, N)) < 0.15
    trunc = ~term & (rng.random((T, N)) < 0.15)
    nv = rng.normal(size=(T, N)).astype(np.float32)
    return r, term, trunc, nv


@pytest.fixture(scope="module")
def n_step_fn():
    @eqx.filter_jit
    def run(target, r, term, nv, trunc):
        return target(r, term, nv, truncations=trunc)

    return run


def test_bootstrapped_return_formula(data):
    r, term, _, nv = data
    out = BootstrappedReturn(0.9)(r, term, nv)
    np.testing.assert_allclose(out, r + 0.9 * (1 - term) * nv, rtol=1e-6)


@pytest.mark.parametrize("n", [1, 3, 12])
def test_n_step_matches_reference(data, n_step_fn, n):
    r, term, trunc, nv = data
    out = n_step_fn(NStepReturn(n, jnp.asarray(0.9)), r, term, nv, trunc)
    for e in range(N):
        ref = n_step_reference(r[:, e], term[:, e], nv[:, e], trunc[:, e], n, 0.9)
        np.testing.assert_allclose(out[:, e], ref, rtol=1e-5, atol=1e-5)


def test_one_step_equals_bootstrapped(data):
    r, term, trunc, nv = data
    one = NStepReturn(1, 0.9)(r, term, nv, truncations=trunc)
    np.testing.assert_allclose(one, BootstrappedReturn(0.9)(r, term, nv), rtol=1e-6)


def test_single_environment_hand_computed():
    r = jnp.array([1.0, 1.0, 1.0, 1.0])
    term = jnp.array([False, True, False, False])
    nv = jnp.array([5.0, 5.0, 5.0, 7.0])
    out = NStepReturn(2, 0.5)(r, term, nv)
    # t=0: 1 + .5*1, terminal at t=1 -> no bootstrap; t=1: 1; t=2: 1 + .5 + .25*7; t=3: 1 + .5*7
    np.testing.assert_allclose(out, [1.5, 1.0, 1.5 + 0.25 * 7.0, 1.0 + 0.5 * 7.0])


def test_errors():
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        NStepReturn(0, 0.9)
    with pytest.raises(ValueError, match="gamma must be in"):
        NStepReturn(3, 1.1)
    with pytest.raises(ValueError, match="gamma must be in"):
        BootstrappedReturn(-0.5)
