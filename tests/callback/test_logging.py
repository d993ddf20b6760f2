"""LoggingCallback sends the iteration metrics to its backends every `log_interval` iterations."""

import io
import re
import sys

import jax
import numpy as np
import pytest

from lerax.callback import ConsoleBackend, LoggingCallback, TensorBoardBackend

from .conftest import LOG_INTERVAL, NUM_ITERATIONS

LINE = re.compile(r"^step (\d+) \| seed (\d+) \| (.*)$")


def _expected(single):
    """The recorder's metrics on the logging iterations: {step: metrics}."""
    return {
        r["global_step"]: r["metrics"]
        for r in single.iterations
        if (r["iteration"] + 1) % LOG_INTERVAL == 0
    }


def _parse(text):
    rows = {}
    for line in text.strip().splitlines():
        match = LINE.match(line)
        assert match, line
        step, seed, rest = int(match[1]), int(match[2]), match[3]
        assert seed == 0
        rows[step] = {k: float(v) for k, v in (part.split(" ") for part in rest.split(" | "))}
    return rows


def test_console_lines_match_the_metrics(single):
    expected = _expected(single)
    assert len(expected) == NUM_ITERATIONS // LOG_INTERVAL
    rows = _parse(single.console)
    assert list(rows) == list(expected)  # one line per logging iteration, in order
    for step, metrics in expected.items():
        assert set(rows[step]) == set(metrics) | {"average_return", "average_length"}
        for name, value in metrics.items():
            assert rows[step][name] == pytest.approx(value, rel=1e-3, abs=1e-6)


def test_console_backend_prints_to_stdout(single, capsys):
    single.run()  # the same compiled run again, now under capsys
    out = capsys.readouterr().out
    assert _parse(out) == _parse(single.console_file.getvalue())
    assert len(out.strip().splitlines()) == NUM_ITERATIONS // LOG_INTERVAL


def test_tensorboard_events_read_back(single):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    (run_dir,) = single.tb_dir.iterdir()  # the first run's folder
    assert run_dir.name == "run_1"
    accumulator = EventAccumulator(str(run_dir / "seed_0"))
    accumulator.Reload()
    tags = accumulator.Tags()["scalars"]
    assert set(tags) == {
        "loss",
        "epsilon",
        "episode_return",
        "episode_length",
        "episodes",
        "average_return",
        "average_length",
    }
    expected = _expected(single)
    for tag in set(tags) - {"average_return", "average_length"}:
        events = accumulator.Scalars(tag)
        assert [e.step for e in events] == list(expected)
        np.testing.assert_allclose(
            [e.value for e in events], [expected[s][tag] for s in expected], rtol=1e-6
        )


def test_backend_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError, match="at least one backend"):
        LoggingCallback([])
    with pytest.raises(TypeError, match="backend"):
        LoggingCallback([ConsoleBackend(), "console"])
    with pytest.raises(ValueError, match="log_interval"):
        LoggingCallback(ConsoleBackend(), log_interval=0)
    with pytest.raises(ValueError, match="alpha"):
        LoggingCallback(ConsoleBackend(), alpha=1.5)
    with pytest.raises(ValueError, match="video_interval"):
        LoggingCallback(ConsoleBackend(), video_interval=-1)
    # Equal configuration, distinct host objects: callbacks are hashable for jit caching.
    cb = LoggingCallback(TensorBoardBackend(tmp_path))
    assert hash(cb) == hash(cb) and cb == cb


def test_missing_tensorboard_gives_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "tensorboard.summary.writer.event_file_writer", None)
    with pytest.raises(ImportError, match=r"lerax\[tensorboard\]"):
        TensorBoardBackend(tmp_path)


def test_seeds_are_numbered_by_call_order():
    # Under vmap the debug callback runs once per batch element, all at the same step.
    buffer = io.StringIO()
    host = LoggingCallback(ConsoleBackend(file=buffer), log_interval=1).host
    host.start(100, 25)
    for step in (4, 4, 4, 8, 8, 8):
        host.log(np.int32(step), {"x": np.float32(step)})
    seeds = [int(line.split(" | ")[1].split()[1]) for line in buffer.getvalue().splitlines()]
    assert seeds == [0, 1, 2, 0, 1, 2]


def test_tensorboard_default_log_dir_is_logs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    backend = TensorBoardBackend()
    assert str(backend.log_dir) == "logs"
    for _ in range(2):  # every run gets a folder of its own
        backend.open("run-a")
        backend.log_hparams({"lr": 0.001, "algo": "dqn"})
        backend.log_scalars({"x": 1.0}, 3)
        backend.close()
    runs = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert runs == ["run-a_1", "run-a_2"]
    assert all((tmp_path / "logs" / run / "seed_0").is_dir() for run in runs)


def test_average_return_smooths_finished_episodes():
    """`alpha` weighs the old average; the first finished episode sets it."""
    import jax.numpy as jnp

    from lerax.callback import LoggingCallbackStepState, ResetContext, StepContext

    callback = LoggingCallback(ConsoleBackend(), alpha=0.5)
    state = callback.step_reset(ResetContext(num_envs=1), key=jax.random.key(0))
    assert isinstance(state, LoggingCallbackStepState)
    # Two episodes: rewards 1, 1 (done) then 3 (done).
    for reward, done in ((1.0, False), (1.0, True), (3.0, True)):
        ctx = StepContext(
            state=state,
            env=None,
            policy=None,
            done=jnp.array(done),
            reward=jnp.array(reward),
            observation=None,
            action=None,
            terminal=jnp.array(done),
            truncate=jnp.array(False),
            info={},
            global_step=jnp.array(0),
        )
        state = callback.on_step(ctx, key=jax.random.key(0))
    assert float(state.average_return) == pytest.approx(0.5 * 2.0 + 0.5 * 3.0)
    assert float(state.average_length) == pytest.approx(0.5 * 2.0 + 0.5 * 1.0)
    assert int(state.step) == 3 and bool(state.episode_done)
    assert float(state.episode_return) == 0.0 and int(state.episode_length) == 0


def test_documented_backend_protocol_is_called(setup):
    """A backend implementing only the documented methods gets open, start, hparams, scalars."""
    from lerax.callback.logging import AbstractLoggingBackend

    calls = []

    class Recording(AbstractLoggingBackend):
        def open(self, name):
            calls.append(("open", name))

        def on_training_start(self, total_timesteps, total_iterations):
            calls.append(("start", total_timesteps, total_iterations))

        def log_hparams(self, hparams):
            calls.append(("hparams", dict(hparams)))

        def log_scalars(self, scalars, step):
            calls.append(("scalars", step, sorted(scalars)))

        def close(self):
            calls.append(("close",))

    callback = LoggingCallback(Recording(), name="probe", hparams={"gamma": 0.9}, log_interval=10)
    import jax

    for _ in range(2):
        state = setup.algo.train(setup.env, setup.state, 20, callback=callback)
        jax.block_until_ready(state)
        jax.effects_barrier()
    assert calls.count(("close",)) == 2  # every run ends by closing the backend
    calls = calls[: calls.index(("close",)) + 1]  # the first run
    assert calls[0] == ("open", "probe")
    assert calls[1] == ("start", 20 * setup.algo.steps_per_iteration, 20)
    assert calls[2] == ("hparams", {"gamma": 0.9})
    scalars = [c for c in calls if c[0] == "scalars"]
    assert len(scalars) == 2
    assert "average_return" in scalars[0][2] and "loss" in scalars[0][2]
    assert calls[-1] == ("close",)
