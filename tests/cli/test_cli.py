"""The `lerax` command line, run in-process on a tiny budget."""

import json
import re

import pytest

from lerax.cli import main
from lerax.cli._files import policy_paths, sidecar_path
from lerax.cli._overrides import OverrideError, parse_overrides
from lerax.cli._presets import PRESETS, preset
from lerax.cli._registry import ALGORITHMS

RETURN = re.compile(r"greedy mean return (-?\d+\.\d+) over (\d+) episodes")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "cartpole.eqx"
    capture = pytest.MonkeyPatch()
    import io
    import sys

    stdout, stderr = io.StringIO(), io.StringIO()
    capture.setattr(sys, "stdout", stdout)
    capture.setattr(sys, "stderr", stderr)
    try:
        status = main(
            [
                "train",
                "--timesteps",
                "2000",
                "--seeds",
                "2",
                "--out",
                str(out),
                "--eval-episodes",
                "3",
                "--set",
                "learning_starts=500",
                "--set",
                "num_steps=4",
                "--set",
                "width_size=32",
            ]
        )
    finally:
        capture.undo()
    return status, out, stdout.getvalue(), stderr.getvalue()


def test_train_writes_each_seed_and_its_sidecar(trained):
    status, out, stdout, stderr = trained
    assert status == 0
    paths = [out.with_name("cartpole_seed0.eqx"), out.with_name("cartpole_seed1.eqx")]
    lines = stdout.strip().splitlines()
    assert len(lines) == 2
    for i, (path, line) in enumerate(zip(paths, lines)):
        assert path.is_file() and path.stat().st_size > 32
        info = json.loads(sidecar_path(path).read_text())
        assert info["env_id"] == "CartPole-v1" and info["policy_class"] == "MLPQPolicy"
        assert info["policy_kwargs"] == {"width_size": 32, "depth": 2}  # --set width_size
        assert info["hyperparameters"]["learning_starts"] == 500  # --set applied
        assert info["hyperparameters"]["buffer_size"] == 100_000  # preset kept
        assert info["seed_index"] == i and info["timesteps"] == 2000
        assert line.startswith(f"seed {i}:") and line.endswith(str(path))
        mean, episodes = RETURN.search(line).groups()
        assert float(mean) == pytest.approx(info["greedy_mean_return"], abs=0.006)
        assert int(episodes) == 3
        assert 8.0 <= float(mean) <= 500.0  # CartPole returns lie in [8, 500]
    # One progress bar (on stderr) for both seeds, at the full budget.
    assert len(re.findall(r"\d+/\d+ steps", stderr)) == 1
    assert "2000/2000 steps" in stderr


def test_evaluate_rebuilds_the_trained_policy(trained, capsys):
    _, out, _, _ = trained
    path = out.with_name("cartpole_seed1.eqx")
    info = json.loads(sidecar_path(path).read_text())
    # Same episodes as the evaluation at the end of training: the same number.
    status = main(["evaluate", str(path), "--episodes", "3", "--seed", str(info["eval_seed"])])
    assert status == 0
    mean, episodes = RETURN.search(capsys.readouterr().out).groups()
    assert float(mean) == pytest.approx(info["greedy_mean_return"], abs=0.006)
    assert int(episodes) == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["train", "--set", "learning_rat=3e-4"],
            r"unknown hyperparameter 'learning_rat' for dqn; known names: .*learning_rate",
        ),
        (["train", "--set", "num_steps=2.5"], r"--set num_steps: expected an integer"),
        (["train", "--set", "learning_rate"], r"--set expects name=value"),
        (["train", "--set", "gamma=2.0"], r"gamma must be in"),
        (
            ["train", "--env", "CartPol-v1"],
            r"unknown environment id 'CartPol-v1'; known ids: CartPole-v1",
        ),
        (["train", "--timesteps", "2", "--set", "num_steps=4"], r"smaller than one iteration"),
        (["train", "--seeds", "0"], r"--seeds must be at least 1"),
        (["evaluate", "nowhere.eqx"], r"no policy file nowhere.eqx"),
    ],
)
def test_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert re.search(message, capsys.readouterr().err)


def test_evaluate_needs_the_sidecar(trained, tmp_path, capsys):
    _, out, _, _ = trained
    lone = tmp_path / "lone.eqx"
    lone.write_bytes(out.with_name("cartpole_seed0.eqx").read_bytes())
    with pytest.raises(SystemExit):
        main(["evaluate", str(lone)])
    assert "no sidecar" in capsys.readouterr().err


def test_overrides_and_paths():
    spec = ALGORITHMS["dqn"]
    algo, policy = parse_overrides(
        [
            "learning_rate=3e-4",
            "num_steps=8",
            "double_dqn=false",
            "buffer_size=1e4",
            "width_size=32",
        ],
        spec,
        "dqn",
    )
    assert algo == {
        "learning_rate": 3e-4,
        "num_steps": 8,
        "double_dqn": False,
        "buffer_size": 10_000,
    }
    assert type(algo["num_steps"]) is int and policy == {"width_size": 32}
    with pytest.raises(OverrideError, match="cannot|unknown hyperparameter 'loss'"):
        parse_overrides(["loss=mse"], spec, "dqn")
    assert [p.name for p in policy_paths("a/b.eqx", 1)] == ["b.eqx"]
    assert [p.name for p in policy_paths("a/b", 2)] == ["b_seed0.eqx", "b_seed1.eqx"]
    kwargs, pkw = preset("dqn", "CartPole-v1", 100_000)
    assert pkw == {"width_size": 256, "depth": 2}
    # the learning rate anneals to zero over the first 50k steps; exploration over 8k
    assert float(kwargs["learning_rate"](0)) == pytest.approx(2.3e-3)
    assert float(kwargs["learning_rate"](12_500)) == 0.0
    assert kwargs["exploration_fraction"] == pytest.approx(0.08)
    pkw["width_size"] = 1  # a copy: the read-only presets stay unchanged
    assert PRESETS["dqn", "CartPole-v1"][1]["width_size"] == 256
    assert preset("dqn", "Acrobot-v1", 1_000) == ({}, {"width_size": 64, "depth": 2})
