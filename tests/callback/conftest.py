"""Shared training runs for the callback tests.

JAX compilation is the slow part, so every single-seed test reuses ONE callback object
(same static fields, so `algo.train` hits the compilation cache) and the runs are tiny.
"""

from __future__ import annotations

import io
import shutil
import types

import equinox as eqx
import jax
import jax.numpy as jnp
import pytest
from rich.console import Console

from lerax.algorithm import DQN
from lerax.callback import (
    CallbackList,
    ConsoleBackend,
    EarlyStoppingCallback,
    LoggingCallback,
    ProgressBarCallback,
    TensorBoardBackend,
)
from lerax.policy import MLPQPolicy

from ._env import SignBandit
from ._recorder import Recorder, RecorderHost, Traces

NUM_ITERATIONS = 30
LOG_INTERVAL = 5
UPDATE_INTERVAL = 5


@pytest.fixture(scope="session")
def setup():
    env = SignBandit()
    algo = DQN(
        buffer_size=256,
        gamma=0.9,
        learning_starts=16,
        num_envs=2,
        num_steps=2,
        batch_size=8,
        target_update_interval=16,
        learning_rate=3e-3,
        exploration_fraction=0.5,
    )
    policy = MLPQPolicy(env, width_size=8, depth=1, key=jax.random.key(0))
    state = algo.init(env, policy, key=jax.random.key(1))
    return types.SimpleNamespace(env=env, algo=algo, policy=policy, state=state)


@pytest.fixture(scope="session")
def single(setup, tmp_path_factory):
    """One callback list used by every single-seed test, and the results of its first run."""
    recorder = RecorderHost()
    traces: list[int] = []
    bar_file = io.StringIO()
    console_file = io.StringIO()
    tb_dir = tmp_path_factory.mktemp("tensorboard")
    tensorboard = TensorBoardBackend(tb_dir)
    callback = CallbackList(
        [
            Recorder(recorder),
            ProgressBarCallback(
                update_interval=UPDATE_INTERVAL, console=Console(file=bar_file, width=150)
            ),
            LoggingCallback(
                [ConsoleBackend(file=console_file), ConsoleBackend(), tensorboard],
                log_interval=LOG_INTERVAL,
            ),
            EarlyStoppingCallback(jnp.array(jnp.inf, jnp.float32)),
            Traces(traces),
        ]
    )

    def run(cb=callback):
        recorder.clear()
        bar_file.seek(0)
        bar_file.truncate()
        console_file.seek(0)
        console_file.truncate()
        state = setup.algo.train(setup.env, setup.state, NUM_ITERATIONS, callback=cb)
        jax.block_until_ready(state)
        jax.effects_barrier()
        return state

    state = run()
    tb_snapshot = tmp_path_factory.mktemp("tensorboard_first_run")
    shutil.copytree(tb_dir, tb_snapshot, dirs_exist_ok=True)  # later runs add folders
    return types.SimpleNamespace(
        callback=callback,
        traces=traces,
        run=run,
        state=state,
        recorder=recorder,
        bar_file=bar_file,
        console_file=console_file,
        tb_dir=tb_snapshot,
        iterations=list(recorder.iterations),
        steps=list(recorder.steps),
        starts=list(recorder.starts),
        ends=list(recorder.ends),
        bar=bar_file.getvalue(),
        console=console_file.getvalue(),
        with_threshold=lambda t: eqx.tree_at(
            lambda c: c.callbacks[3].threshold, callback, jnp.array(t, jnp.float32)
        ),
    )
