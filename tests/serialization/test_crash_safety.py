"""A process killed (SIGKILL) at random moments while saving a policy and a training state
never leaves a file that fails to load, and stale temporary files do not pile up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import jax
import numpy as np
import pytest

from lerax.algorithm import DQN
from lerax.env.classic_control import CartPole
from lerax.policy import MLPQPolicy

WRITER = """
import sys, jax
from lerax.algorithm import DQN
from lerax.env.classic_control import CartPole
from lerax.policy import MLPQPolicy

folder = sys.argv[1]
env = CartPole()
algo = DQN(buffer_size=20_000, learning_starts=4, batch_size=4)
policies = [MLPQPolicy(env, width_size=256, depth=2, key=jax.random.key(i)) for i in range(2)]
states = [algo.init(env, p, key=jax.random.key(5)) for p in policies]
i = 0
while True:
    policies[i % 2].serialize(folder + "/policy")
    algo.save_state(states[i % 2], folder + "/state")
    if i == 1:
        print("ready", flush=True)
    i += 1
"""

ENV = CartPole()
ALGO = DQN(buffer_size=20_000, learning_starts=4, batch_size=4)


def _expected():
    policies = [MLPQPolicy(ENV, width_size=256, depth=2, key=jax.random.key(i)) for i in range(2)]
    return policies


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_writers_leave_loadable_files(tmp_path):
    policies = _expected()
    skeleton = policies[0]
    rng = np.random.default_rng(0)
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    kills = 8
    for _ in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        loaded = MLPQPolicy.deserialize(
            tmp_path / "policy", ENV, width_size=256, depth=2, key=jax.random.key(0)
        )
        assert any(
            all(np.array_equal(a, b) for a, b in zip(jax.tree.leaves(loaded), jax.tree.leaves(p)))
            for p in policies
        )
        state = ALGO.load_state(tmp_path / "state", ENV, skeleton)
        assert int(state.global_step) == 0
        # At most one stale temporary file per destination (the killed writer's).
        assert len(list(tmp_path.glob(".*.tmp"))) <= 2
    policies[0].serialize(tmp_path / "policy")
    ALGO.save_state(ALGO.init(ENV, skeleton, key=jax.random.key(5)), tmp_path / "state")
    assert list(tmp_path.glob(".*.tmp")) == []
