"""Serialisation of MLPQPolicy: round trips, atomic writes, and clear errors on mismatches."""

import os
import subprocess
import sys
from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jaxtyping import Array, Float

from lerax.policy import AbstractQPolicy, MLPQPolicy
from lerax.serialization import FINGERPRINT_SIZE, fingerprint
from lerax.space import AbstractSpace, Box, Discrete


class FakeEnv(eqx.Module):
    observation_space: AbstractSpace
    action_space: AbstractSpace


@final
class OtherQPolicy(AbstractQPolicy[None, Any]):
    """Same fields, leaves and constructor as MLPQPolicy; only the class differs."""

    name: ClassVar[str] = "OtherQPolicy"
    action_space: Discrete
    observation_space: AbstractSpace
    epsilon: Float[Array, ""]
    q_network: eqx.nn.MLP

    def __init__(self, env, *, epsilon=0.1, width_size=64, depth=2, activation=jax.nn.relu, key):
        self.action_space = env.action_space
        self.observation_space = env.observation_space
        self.epsilon = jnp.asarray(epsilon, jnp.float32)
        self.q_network = eqx.nn.MLP(
            env.observation_space.flat_size,
            env.action_space.n,
            width_size,
            depth,
            activation=activation,
            key=key,
        )

    def reset(self, *, key):
        return None

    def q_values(self, state, observation):
        return state, self.q_network(observation)


ENV = FakeEnv(Box(-1.0, 1.0, shape=(3,)), Discrete(4))
KWARGS = dict(width_size=16, depth=2)


def make(env=ENV, key=0, **kwargs):
    return MLPQPolicy(env, **{**KWARGS, "epsilon": 0.25, **kwargs}, key=jax.random.key(key))


@pytest.fixture(scope="module")
def policy():
    return make()


@pytest.fixture
def saved(policy, tmp_path):
    return policy.serialize(tmp_path / "model")


@eqx.filter_jit
def actions(policy, obs, keys):
    stochastic = jax.vmap(lambda o, k: policy(None, o, key=k)[1])(obs, keys)
    greedy = jax.vmap(lambda o: policy(None, o)[1])(obs)
    return stochastic, greedy


def test_round_trip_gives_identical_leaves_and_actions(policy, saved):
    assert saved.suffix == ".eqx" and saved.exists()
    # A different key and epsilon in the constructor: only the structure matters, the
    # values (epsilon included, it is a leaf) come from the file.
    loaded = MLPQPolicy.deserialize(saved, ENV, **KWARGS, epsilon=0.9, key=jax.random.key(99))
    assert type(loaded) is MLPQPolicy
    assert float(loaded.epsilon) == pytest.approx(0.25)
    leaves, loaded_leaves = jax.tree.leaves(policy), jax.tree.leaves(loaded)
    assert len(leaves) == len(loaded_leaves)
    for a, b in zip(leaves, loaded_leaves, strict=True):
        if eqx.is_array(a):
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a, b)
        else:
            assert a is b or a == b
    obs = jax.random.uniform(jax.random.key(1), (64, 3), minval=-1, maxval=1)
    keys = jax.random.split(jax.random.key(2), 64)
    for x, y in zip(actions(policy, obs, keys), actions(loaded, obs, keys), strict=True):
        np.testing.assert_array_equal(x, y)


def test_suffix_is_appended_only_when_missing(policy, tmp_path):
    assert policy.serialize(tmp_path / "a") == tmp_path / "a.eqx"
    assert policy.serialize(tmp_path / "b.eqx") == tmp_path / "b.eqx"
    assert policy.serialize(str(tmp_path / "c.v1")) == tmp_path / "c.v1.eqx"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.eqx", "b.eqx", "c.v1.eqx"]
    # Loading accepts the path with or without the suffix.
    for p in ["a", "a.eqx", "c.v1"]:
        MLPQPolicy.deserialize(tmp_path / p, ENV, **KWARGS, key=jax.random.key(0))


def test_parent_folders_are_created(policy, tmp_path):
    path = policy.serialize(tmp_path / "x" / "y" / "z" / "model")
    assert path == tmp_path / "x" / "y" / "z" / "model.eqx" and path.is_file()


def test_write_is_atomic_and_leaves_no_temporary_files(policy, tmp_path):
    path = policy.serialize(tmp_path / "model")
    assert [p.name for p in tmp_path.iterdir()] == ["model.eqx"]
    data = path.read_bytes()
    assert data[:FINGERPRINT_SIZE] == fingerprint(policy)
    # Overwriting replaces the file in one go.
    make(key=5).serialize(path)
    assert [p.name for p in tmp_path.iterdir()] == ["model.eqx"]
    assert path.read_bytes() != data


def test_file_permissions_match_a_normally_created_file(policy, tmp_path):
    path = policy.serialize(tmp_path / "model")
    reference = tmp_path / "reference"
    reference.write_bytes(b"")
    assert path.stat().st_mode & 0o777 == reference.stat().st_mode & 0o777


def test_failing_write_leaves_no_partial_file(policy, tmp_path, monkeypatch):
    old = policy.serialize(tmp_path / "old")
    old_bytes = old.read_bytes()

    def fail(f, tree):
        f.write(b"partial leaf data")
        raise OSError("disk full")

    monkeypatch.setattr(eqx, "tree_serialise_leaves", fail)
    with pytest.raises(OSError, match="disk full"):
        make(key=3).serialize(tmp_path / "new")
    with pytest.raises(OSError, match="disk full"):
        make(key=3).serialize(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.eqx"]
    assert old.read_bytes() == old_bytes


@pytest.mark.parametrize(
    "cls, env, kwargs",
    [
        (OtherQPolicy, ENV, KWARGS),
        (MLPQPolicy, ENV, dict(width_size=32, depth=2)),
        (MLPQPolicy, ENV, dict(width_size=16, depth=1)),
        (MLPQPolicy, ENV, dict(**KWARGS, activation=jax.nn.tanh)),
        (MLPQPolicy, FakeEnv(Box(-1.0, 1.0, shape=(3,)), Discrete(5)), KWARGS),
        (MLPQPolicy, FakeEnv(Box(-1.0, 1.0, shape=(4,)), Discrete(4)), KWARGS),
    ],
    ids=["class", "width", "depth", "activation", "action-space", "observation-shape"],
)
def test_structure_mismatch_is_a_value_error_before_any_leaf_is_read(
    saved, cls, env, kwargs, monkeypatch
):
    def must_not_be_called(*args, **kwargs):
        raise AssertionError("leaves were read despite a fingerprint mismatch")

    monkeypatch.setattr(eqx, "tree_deserialise_leaves", must_not_be_called)
    with pytest.raises(ValueError, match="fingerprint mismatch") as info:
        cls.deserialize(saved, env, **kwargs, key=jax.random.key(0))
    assert str(saved) in str(info.value)


def test_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        MLPQPolicy.deserialize(tmp_path / "nothing", ENV, **KWARGS, key=jax.random.key(0))


def corrupt_files(saved):
    data = saved.read_bytes()
    rng = np.random.default_rng(0)
    header = data[:FINGERPRINT_SIZE]
    yield "empty", b""
    for n in [10, FINGERPRINT_SIZE, FINGERPRINT_SIZE + 1, len(data) // 2, len(data) - 1]:
        yield f"truncated-{n}", data[:n]
    yield "random-bytes", rng.bytes(len(data))
    yield "text", b"hello, this is not a model\n" * 40
    yield "valid-header-garbage", header + rng.bytes(len(data) - FINGERPRINT_SIZE)
    yield "trailing-data", data + b"\x00"


def test_empty_truncated_and_foreign_files_are_value_errors_naming_the_file(saved, tmp_path):
    for name, content in corrupt_files(saved):
        path = tmp_path / f"{name}.eqx"
        path.write_bytes(content)
        with pytest.raises(ValueError) as info:
            MLPQPolicy.deserialize(path, ENV, **KWARGS, key=jax.random.key(0))
        assert str(path) in str(info.value), name


FINGERPRINT_SCRIPT = """
import jax, equinox as eqx
from lerax.policy import MLPQPolicy
from lerax.serialization import fingerprint
from lerax.space import AbstractSpace, Box, Discrete

class Env(eqx.Module):
    observation_space: AbstractSpace
    action_space: AbstractSpace

env = Env(Box(-1.0, 1.0, shape=(3,)), Discrete(4))
policy = MLPQPolicy(env, epsilon=0.25, width_size=16, depth=2, key=jax.random.key(123))
print(fingerprint(policy).hex())
"""


def test_fingerprint_is_deterministic_across_processes(policy, saved):
    env = {**os.environ, "PYTHONHASHSEED": "12345", "JAX_PLATFORMS": "cpu"}
    out = subprocess.run(
        [sys.executable, "-c", FINGERPRINT_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    digest = bytes.fromhex(out.stdout.strip().splitlines()[-1])
    assert len(digest) == FINGERPRINT_SIZE
    assert digest == fingerprint(policy) == saved.read_bytes()[:FINGERPRINT_SIZE]
