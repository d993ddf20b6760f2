import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.utils import filter_cond


class Layer(eqx.Module):
    weight: jax.Array
    activation: object = jnp.tanh  # a non-array leaf, which plain lax.cond rejects

    def __call__(self, x):
        return self.activation(self.weight @ x)


@pytest.fixture(scope="module")
def layers():
    return Layer(jnp.array([[1.0, 2.0]])), Layer(jnp.array([[-1.0, 0.5]]))


def test_selects_branch_under_jit_with_non_array_leaves(layers):
    online, target = layers

    @eqx.filter_jit
    @eqx.debug.assert_max_traces(max_traces=1)
    def update(step, online, target):
        return filter_cond(step % 3 == 0, lambda o, t: o, lambda o, t: t, online, target)

    for step, expected in ((0, online), (1, target), (3, online)):
        out = update(jnp.array(step), online, target)
        assert out.activation is jnp.tanh  # non-array leaf passed through
        np.testing.assert_array_equal(out.weight, expected.weight)


def test_python_bool_pred_and_outputs_computed(layers):
    online, _ = layers
    x = jnp.ones(2)
    out = filter_cond(False, lambda m, v: m(v) * 2.0, lambda m, v: m(v) - 1.0, online, x)
    np.testing.assert_allclose(out, np.tanh([3.0]) - 1.0, atol=1e-6)


def test_branches_must_agree_on_static_leaves():
    with pytest.raises(ValueError, match="same non-array leaves"):
        filter_cond(jnp.array(True), lambda x: (x, "a"), lambda x: (x, "b"), jnp.ones(2))


def test_keyword_operands_are_forwarded(layers):
    online, target = layers

    def pick(a, *, b, scale):
        return a.weight * scale

    def other(a, *, b, scale):
        return b.weight * scale

    @eqx.filter_jit
    def run(flag):
        return filter_cond(flag, pick, other, online, b=target, scale=2.0)

    np.testing.assert_array_equal(run(jnp.array(True)), online.weight * 2.0)
    np.testing.assert_array_equal(run(jnp.array(False)), target.weight * 2.0)
