"""Checkpoints describe themselves (algorithm, hyperparameters, versions), readable without
loading the arrays (`lerax inspect`); resuming with another configuration is a clear error."""

from __future__ import annotations

import dataclasses
import json

import jax
import jax.numpy as jnp
import pytest

from lerax.algorithm import DQN, PPO
from lerax.cli import main
from lerax.env.classic_control import CartPole
from lerax.policy import MLPActorCriticPolicy, MLPQPolicy
from lerax.serialization import read_metadata

ENV = CartPole()
ALGO = DQN(buffer_size=16, learning_starts=4, batch_size=4, target_update_interval=8)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    policy = MLPQPolicy(ENV, width_size=8, depth=1, key=jax.random.key(0))
    state = ALGO.init(ENV, policy, key=jax.random.key(1))
    path = ALGO.save_state(state, tmp_path_factory.mktemp("ckpt") / "state")
    return path, policy, state


def test_metadata_reads_without_the_arrays(checkpoint, monkeypatch):
    import equinox as eqx

    path, _, _ = checkpoint
    monkeypatch.setattr(eqx, "tree_deserialise_leaves", lambda *a, **k: 1 / 0)
    info = read_metadata(path)
    assert info["algorithm"] == "lerax.algorithm._dqn.DQN"
    assert info["class"] == "lerax.algorithm._dqn_state.DQNState"
    assert info["hyperparameters"]["buffer_size"] == 16
    assert info["hyperparameters"]["learning_rate"] == pytest.approx(1e-4)
    assert info["hyperparameters"]["loss"].endswith("huber_loss")
    assert info["jax"] == jax.__version__ and "lerax" in info and len(info["fingerprint"]) == 64


def test_lerax_inspect_prints_it(checkpoint, capsys):
    path, _, _ = checkpoint
    assert main(["inspect", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == read_metadata(path)


def test_lerax_inspect_rejects_a_corrupt_file(tmp_path, checkpoint, capsys):
    path, _, _ = checkpoint
    bad = tmp_path / "bad.eqx"
    bad.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(SystemExit) as info:
        main(["inspect", str(bad)])
    assert info.value.code == 1 and "integrity check failed" in capsys.readouterr().err


def test_resuming_with_the_same_configuration_loads(checkpoint):
    path, policy, state = checkpoint
    loaded = ALGO.load_state(path, ENV, policy)
    assert int(loaded.global_step) == int(state.global_step)


def test_resuming_with_another_configuration_names_the_difference(checkpoint):
    path, policy, _ = checkpoint
    other = dataclasses.replace(ALGO, learning_rate=3e-4, gamma=jnp.array(0.9))
    with pytest.raises(ValueError, match=r"different configuration.*gamma.*learning_rate"):
        other.load_state(path, ENV, policy)
    # PPO with a policy it can train: the file, not the policy, is what is wrong.
    actor_critic = MLPActorCriticPolicy(ENV, key=jax.random.key(0))
    with pytest.raises(ValueError, match="a checkpoint of lerax.algorithm._dqn.DQN, not of"):
        PPO().load_state(path, ENV, actor_critic)
