"""CallbackList: tuple states, every callback's hooks, AND of the stop decisions."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.callback import CallbackList, EarlyStoppingCallback, EmptyCallback, EmptyCallbackState

from ._drive import drive
from ._recorder import Recorder, RecorderHost


def test_states_are_tuples_and_stops_are_anded():
    hosts = RecorderHost(), RecorderHost()
    callback = CallbackList(
        [
            Recorder(hosts[0]),
            EarlyStoppingCallback(3.0, metric="a"),
            Recorder(hosts[1]),
            EarlyStoppingCallback(0.5, metric="b", mode="min"),
        ]
    )
    metrics = {
        "a": jnp.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0]),
        "b": jnp.array([1.0, 1.0, 0.2, 1.0, 1.0, 1.0]),
    }
    running, state = drive(callback, metrics, jax.random.key(0))
    jax.effects_barrier()
    # "a" reaches 3 at iteration 3, "b" drops to 0.5 at iteration 2: the first one wins.
    np.testing.assert_array_equal(running, [True, True, False, False, False, False])
    assert isinstance(state, tuple) and len(state) == 4
    assert int(state[0]) == int(state[2]) == 6 and state[1] == state[3] == EmptyCallbackState()
    for host in hosts:
        assert [r["count"] for r in host.iterations] == list(range(6))
        assert len(host.starts) == 1 and host.ends == [(24, 6)]


def test_empty_list_never_stops():
    running, state = drive(CallbackList([EmptyCallback()]), {"a": jnp.zeros(3)}, jax.random.key(0))
    np.testing.assert_array_equal(running, [True, True, True])
    assert state == (EmptyCallbackState(),)


def test_rejects_non_callbacks():
    with pytest.raises(TypeError, match=r"callbacks"):
        CallbackList([EmptyCallback(), print])
