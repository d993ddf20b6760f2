"""WandbBackend: metrics reach a wandb run (a fake module, then real wandb offline)."""

import sys
import time
import types

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.callback import LoggingCallback, WandbBackend

from ._drive import STEPS_PER_ITERATION, drive

LOSS = jnp.array([0.5, 0.4, 0.3, 0.2, 0.1, 0.05], jnp.float32)


class _FakeRun:
    def __init__(self, kwargs):
        self.kwargs = kwargs
        self.logged = []
        self.finished = False

    def log(self, data, step):
        self.logged.append((step, data))

    def finish(self):
        self.finished = True


def test_metrics_reach_the_run(monkeypatch):
    runs = []
    fake = types.ModuleType("wandb")
    fake.init = lambda **kwargs: runs.append(_FakeRun(kwargs)) or runs[-1]
    monkeypatch.setitem(sys.modules, "wandb", fake)

    backend = WandbBackend(project="lerax-test", name="run-a", config={"lr": 1e-3})
    assert runs == []  # the run starts at the first log event, not at construction
    callback = LoggingCallback(backend, log_interval=2)
    drive(callback, {"loss": LOSS}, jax.random.key(0))
    jax.effects_barrier()

    (run,) = runs
    assert run.kwargs == {"project": "lerax-test", "name": "run-a", "config": {"lr": 1e-3}}
    steps = [step for step, _ in run.logged]
    assert steps == [2 * STEPS_PER_ITERATION, 4 * STEPS_PER_ITERATION, 6 * STEPS_PER_ITERATION]
    names = {"loss", "episode_return", "episode_length", "episodes"}
    names |= {"average_return", "average_length"}
    assert [set(data) for _, data in run.logged] == [{f"seed_0/{n}" for n in names}] * 3
    np.testing.assert_allclose([d["seed_0/loss"] for _, d in run.logged], LOSS[1::2], rtol=1e-6)
    backend.close()
    assert run.finished and backend.current.run is None


def test_missing_wandb_gives_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "wandb", None)
    with pytest.raises(ImportError, match=r"pip install 'lerax\[wandb\]'"):
        WandbBackend(project="x")


def test_real_wandb_offline(tmp_path, monkeypatch):
    pytest.importorskip("wandb")
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    backend = WandbBackend(project="lerax-test", config={"lr": 0.5}, quiet=True, dir=str(tmp_path))
    assert backend.current.init_kwargs["settings"].quiet
    callback = LoggingCallback(backend, name="run-b", hparams={"gamma": 0.9}, log_interval=2)
    drive(callback, {"loss": LOSS}, jax.random.key(0))
    jax.effects_barrier()
    assert backend.current.run is None  # finished at the end of the training run
    run = backend.current.last
    assert run is not None and run.offline
    assert run.name == "run-b"
    files = list(tmp_path.glob("wandb/offline-run-*/run-*.wandb"))
    assert len(files) == 1
    # The run's records (config, hyperparameters, metrics), written by wandb's own service
    # process, which may still be flushing on a busy machine when `finish` returns.
    wanted = (b"seed_0/loss", b"gamma", b"lr")
    deadline = time.monotonic() + 60.0
    data = files[0].read_bytes()
    while not all(w in data for w in wanted) and time.monotonic() < deadline:
        time.sleep(0.5)
        data = files[0].read_bytes()
    assert all(w in data for w in wanted), data[:200]
