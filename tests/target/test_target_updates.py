import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.target import HardUpdate, SoftUpdate
from lerax.utils import filter_cond


class Net(eqx.Module):
    weight: jax.Array
    bias: jax.Array
    counter: jax.Array  # integer leaf, never touched by updates
    activation: object = jax.nn.relu


def make(seed):
    rng = np.random.default_rng(seed)
    return Net(
        jnp.asarray(rng.normal(size=(2, 3)), jnp.float32),
        jnp.asarray(rng.normal(size=(2,)), jnp.float32),
        jnp.array(seed),
    )


@pytest.fixture(scope="module")
def nets():
    return make(7), make(1)


def test_hard_update_copies_exactly(nets):
    online, target = nets
    # Even a non-finite target parameter is overwritten exactly (no 0 * inf).
    target = eqx.tree_at(lambda n: n.bias, target, jnp.full((2,), jnp.inf))
    new = HardUpdate()(online, target)
    np.testing.assert_array_equal(new.weight, online.weight)
    np.testing.assert_array_equal(new.bias, online.bias)
    assert int(new.counter) == 7 and new.activation is jax.nn.relu


class Tagged(eqx.Module):
    weight: jax.Array
    tag: str = eqx.field(static=True)
    scale: float = 1.0  # a non-array leaf


def test_hard_update_returns_the_online_network_whole():
    # As documented: every leaf comes from `online`, array or not, static or not.
    online = Tagged(jnp.ones(3), tag="online", scale=2.0)
    target = Tagged(jnp.zeros(3), tag="target", scale=0.5)
    new = HardUpdate()(online, target)
    assert new is online
    assert new.tag == "online" and new.scale == 2.0
    # Soft updates still keep the target's non-floating leaves.
    soft = SoftUpdate(tau=1.0)(online, Tagged(jnp.zeros(3), tag="online", scale=0.5))
    np.testing.assert_array_equal(soft.weight, online.weight)
    assert soft.scale == 0.5


def test_soft_update_is_polyak(nets):
    online, target = nets
    update = eqx.filter_jit(lambda o, t: SoftUpdate(tau=jnp.array(0.25))(o, t))
    new = update(online, target)
    expected = 0.25 * np.asarray(online.weight) + 0.75 * np.asarray(target.weight)
    np.testing.assert_allclose(new.weight, expected, rtol=1e-6)
    assert int(new.counter) == 1
    # Repeated soft updates converge to the online network.
    for _ in range(60):
        new = update(online, new)
    np.testing.assert_allclose(new.weight, online.weight, atol=1e-5)


def test_periodic_hard_update_under_jit(nets):
    online, target = nets

    @eqx.filter_jit
    def maybe_update(step, online, target):
        return filter_cond(step % 4 == 0, HardUpdate(), lambda o, t: t, online, target)

    # The update takes the integer `counter` from `online` too: the copy is whole.
    assert eqx.tree_equal(maybe_update(jnp.array(8), online, target), online)
    assert eqx.tree_equal(maybe_update(jnp.array(9), online, target), target)


def test_tau_validation():
    with pytest.raises(ValueError, match="tau must be in"):
        SoftUpdate(tau=1.5)
    assert SoftUpdate().tau == 0.005
