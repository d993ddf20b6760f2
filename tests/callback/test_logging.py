"""LoggingCallback sends the iteration metrics to its backends every `log_interval` iterations."""

import io
import re
import sys

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
        assert set(rows[step]) == set(metrics)
        for name, value in metrics.items():
            assert rows[step][name] == pytest.approx(value, rel=1e-3, abs=1e-6)


def test_console_backend_prints_to_stdout(single, capsys):
    single.run()  # the same compiled run again, now under capsys
    out = capsys.readouterr().out
    assert _parse(out) == _parse(single.console_file.getvalue())
    assert len(out.strip().splitlines()) == NUM_ITERATIONS // LOG_INTERVAL


def test_tensorboard_events_read_back(single):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(single.tb_dir / "seed_0"))
    accumulator.Reload()
    tags = accumulator.Tags()["scalars"]
    assert set(tags) == {"loss", "epsilon", "episode_return", "episode_length", "episodes"}
    expected = _expected(single)
    for tag in tags:
        events = accumulator.Scalars(tag)
        assert [e.step for e in events] == list(expected)
        np.testing.assert_allclose(
            [e.value for e in events], [expected[s][tag] for s in expected], rtol=1e-6
        )


def test_backend_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError, match="at least one backend"):
        LoggingCallback([])
    with pytest.raises(TypeError, match="backends"):
        LoggingCallback([ConsoleBackend(), "console"])
    with pytest.raises(ValueError, match="log_interval"):
        LoggingCallback(ConsoleBackend(), log_interval=0)
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
    host.start()
    for step in (4, 4, 4, 8, 8, 8):
        host.log(np.int32(step), {"x": np.float32(step)})
    seeds = [int(line.split(" | ")[1].split()[1]) for line in buffer.getvalue().splitlines()]
    assert seeds == [0, 1, 2, 0, 1, 2]
