"""Any change to a saved file's bytes is detected: `deserialize` and `load_state` raise only
`ValueError` (naming the file) and never return a wrong model; the documented layout
(fingerprint, then the Equinox leaves) stays readable by a plain reader."""

from __future__ import annotations

import io

import equinox as eqx
import jax
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lerax.algorithm import DQN
from lerax.env.classic_control import CartPole
from lerax.policy import MLPQPolicy
from lerax.serialization import DIGEST_SIZE, FINGERPRINT_SIZE

ENV = CartPole()
KWARGS = dict(width_size=8, depth=1)
ALGO = DQN(buffer_size=16, learning_starts=4, batch_size=4, target_update_interval=8)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("integrity")
    policy = MLPQPolicy(ENV, **KWARGS, key=jax.random.key(0))
    state = ALGO.train(ENV, ALGO.init(ENV, policy, key=jax.random.key(1)), 4)
    return dict(
        policy=(policy.serialize(folder / "policy"), policy),
        state=(ALGO.save_state(state, folder / "state"), state),
    )


def _load(kind, path):
    if kind == "policy":
        return MLPQPolicy.deserialize(path, ENV, **KWARGS, key=jax.random.key(0))
    policy = MLPQPolicy(ENV, **KWARGS, key=jax.random.key(0))
    return ALGO.load_state(path, ENV, policy)


@pytest.mark.parametrize("kind", ["policy", "state"])
def test_round_trip_and_plain_reader(files, kind):
    path, original = files[kind]
    assert eqx.tree_equal(_load(kind, path), original)
    # A plain reader: skip the fingerprint, read the leaves with Equinox.
    data = path.read_bytes()
    plain = eqx.tree_deserialise_leaves(io.BytesIO(data[FINGERPRINT_SIZE:]), original)
    assert eqx.tree_equal(plain, original)


corruption = st.one_of(
    st.tuples(st.just("flip"), st.floats(0.0, 1.0, exclude_max=True), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.floats(0.0, 1.0, exclude_max=True), st.just(0)),
    st.tuples(st.just("append"), st.floats(0.0, 1.0), st.integers(1, 64)),
    st.tuples(st.just("foreign"), st.floats(0.0, 1.0), st.integers(0, 2**31 - 1)),
)


def _corrupt(data: bytes, how) -> bytes:
    kind, where, value = how
    if kind == "flip":  # one byte changed anywhere
        i = int(where * len(data))
        return data[:i] + bytes([data[i] ^ value]) + data[i + 1 :]
    if kind == "truncate":
        return data[: int(where * len(data))]
    if kind == "append":
        return data + bytes(value)
    rng = np.random.default_rng(value)  # foreign bytes of any length
    return rng.bytes(int(where * 2 * len(data)))


@pytest.mark.parametrize("kind", ["policy", "state"])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(how=corruption)
def test_any_corruption_is_a_value_error_naming_the_file(files, kind, how, tmp_path_factory):
    path, _ = files[kind]
    data = path.read_bytes()
    bad = _corrupt(data, how)
    if bad == data:
        return
    target = tmp_path_factory.mktemp("bad") / f"{kind}.eqx"
    target.write_bytes(bad)
    with pytest.raises(ValueError) as info:
        _load(kind, target)
    assert str(target) in str(info.value)


def test_a_flip_in_the_leaves_is_caught_by_the_digest(files, tmp_path):
    path, _ = files["policy"]
    data = bytearray(path.read_bytes())
    data[FINGERPRINT_SIZE + (len(data) - FINGERPRINT_SIZE - DIGEST_SIZE) // 2] ^= 0x01
    target = tmp_path / "flipped.eqx"
    target.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="integrity check failed"):
        _load("policy", target)
