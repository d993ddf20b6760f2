"""The example scripts (written only against the documented API) run, on small budgets."""

from __future__ import annotations

import math
import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _main(name):
    return runpy.run_path(str(EXAMPLES / name))["main"]


def test_dqn_with_masks_learns_the_best_allowed_arm():
    best, allowed = _main("dqn_masks.py")(20_000)
    assert allowed == 1.0  # a masked arm is never pulled
    assert best >= 0.9


def test_ppo_quickstart_logs_to_tensorboard(tmp_path, capsys):
    score = _main("ppo_quickstart.py")(512, str(tmp_path / "logs"), num_steps=64)
    assert math.isfinite(score) and 1.0 <= score <= 500.0
    events = list((tmp_path / "logs").rglob("events.out.tfevents.*"))
    assert events, "no TensorBoard event file written"
    out = capsys.readouterr().out
    assert "average_return" in out and "mean greedy return" in out


@pytest.mark.filterwarnings("ignore:total_timesteps")
def test_curriculum_on_pendulum_runs(capsys):
    score = _main("curriculum_pendulum.py")(600, width=16)
    assert math.isfinite(score) and -2000.0 <= score <= 0.0
    assert "episode_return" in capsys.readouterr().out
