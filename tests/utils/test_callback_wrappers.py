import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.utils import (
    callback_with_list_wrapper,
    callback_with_numpy_wrapper,
    callback_wrapper,
)


def run_jitted(wrapper, **options):
    calls = []
    host = wrapper(lambda *args, **kwargs: calls.append((args, kwargs)), **options)

    @eqx.filter_jit
    @eqx.debug.assert_max_traces(max_traces=1)
    def f(x, step):
        host(x * 2, {"step": step}, scale=x.sum())
        return x + 1

    out = f(jnp.arange(3.0), jnp.array(4))
    jax.effects_barrier()
    np.testing.assert_array_equal(out, [1.0, 2.0, 3.0])
    assert len(calls) == 1
    return calls[0]


def test_callback_wrapper_calls_the_host_function_inside_jit():
    (x, tree), kwargs = run_jitted(callback_wrapper)
    assert isinstance(x, jax.Array)
    np.testing.assert_array_equal(x, [0.0, 2.0, 4.0])
    assert int(tree["step"]) == 4 and float(kwargs["scale"]) == 3.0


def test_numpy_wrapper_passes_numpy_arrays():
    (x, tree), kwargs = run_jitted(callback_with_numpy_wrapper, ordered=True)
    assert type(x) is np.ndarray and type(tree["step"]) is np.ndarray
    assert type(kwargs["scale"]) is np.ndarray
    np.testing.assert_array_equal(x, [0.0, 2.0, 4.0])
    assert tree["step"] == 4 and kwargs["scale"] == 3.0


def test_list_wrapper_passes_nested_lists():
    (x, tree), kwargs = run_jitted(callback_with_list_wrapper)
    assert x == [0.0, 2.0, 4.0] and type(x) is list
    assert tree == {"step": 4} and type(tree["step"]) is int
    assert kwargs == {"scale": 3.0} and type(kwargs["scale"]) is float
    calls = []
    callback_with_list_wrapper(calls.append)(jnp.arange(4).reshape(2, 2))
    assert calls == [[[0, 1], [2, 3]]]


def test_ordered_calls_arrive_in_program_order():
    seen = []
    log = callback_wrapper(lambda i: seen.append(int(i)), ordered=True)

    @jax.jit
    def loop(n):
        def body(i, carry):
            log(i)
            return carry

        return jax.lax.fori_loop(0, n, body, 0)

    loop(5)
    jax.effects_barrier()
    assert seen == [0, 1, 2, 3, 4]


def test_partitioned_is_forwarded():
    seen = []
    log = callback_with_numpy_wrapper(seen.append, partitioned=True)
    jax.jit(lambda x: log(x))(jnp.arange(2.0))
    jax.effects_barrier()
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], [0.0, 1.0])


@pytest.mark.parametrize("ordered", [False, True])
def test_runs_under_vmap_once_per_element(ordered):
    seen = []
    log = callback_with_list_wrapper(seen.append, ordered=ordered)
    jax.jit(jax.vmap(lambda x: log(x)))(jnp.arange(3))
    jax.effects_barrier()
    assert sorted(seen) == [0, 1, 2]
