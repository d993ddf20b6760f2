"""The `lerax` command line, run in-process on a tiny budget."""

import json
import re

import pytest

from lerax.cli import main
from lerax.cli._files import policy_paths, sidecar_path
from lerax.cli._overrides import OverrideError, parse_overrides
from lerax.cli._presets import PRESETS, has_preset, preset
from lerax.cli._registry import ALGORITHMS

RETURN = re.compile(r"greedy mean return (-?\d+\.\d+) over (\d+) episodes")


def run_captured(argv):
    """`main(argv)` with stdout and stderr captured: `(status, stdout, stderr)`.

    For module-scoped fixtures, which cannot use the function-scoped `capsys`.
    """
    import io
    import sys

    capture = pytest.MonkeyPatch()
    stdout, stderr = io.StringIO(), io.StringIO()
    capture.setattr(sys, "stdout", stdout)
    capture.setattr(sys, "stderr", stderr)
    try:
        status = main(argv)
    finally:
        capture.undo()
    return status, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "cartpole.eqx"
    status, stdout, stderr = run_captured(
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
    return status, out, stdout, stderr


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


@pytest.fixture(scope="module")
def trained_ppo(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-ppo") / "ppo.eqx"
    # The CartPole preset collects 8 x 32 = 256 steps per iteration: two iterations.
    status, stdout, stderr = run_captured(
        [
            "train",
            "--algo",
            "ppo",
            "--timesteps",
            "512",
            "--seeds",
            "2",
            "--out",
            str(out),
            "--eval-episodes",
            "2",
            "--set",
            "num_epochs=2",
            "--set",
            "feature_size=32",
        ]
    )
    return status, out, stdout, stderr


def test_train_ppo_saves_an_actor_critic_policy(trained_ppo):
    status, out, stdout, stderr = trained_ppo
    assert status == 0
    lines = stdout.strip().splitlines()
    assert len(lines) == 2
    for i, line in enumerate(lines):
        path = out.with_name(f"ppo_seed{i}.eqx")
        assert path.is_file() and line.endswith(str(path))
        info = json.loads(sidecar_path(path).read_text())
        assert info["algorithm"] == "ppo" and info["policy_class"] == "MLPActorCriticPolicy"
        assert info["policy_kwargs"]["feature_size"] == 32  # --set on the policy
        assert info["policy_kwargs"]["feature_depth"] == 0  # the preset's policy
        assert info["hyperparameters"]["num_epochs"] == 2  # --set on the algorithm
        assert info["hyperparameters"]["num_envs"] == 8  # the preset kept
        assert info["hyperparameters"]["gae_lambda"] == pytest.approx(0.8)
        mean, episodes = RETURN.search(line).groups()
        assert 8.0 <= float(mean) <= 500.0 and int(episodes) == 2
    assert "512/512 steps" in stderr


def test_evaluate_rebuilds_the_ppo_policy(trained_ppo, capsys):
    _, out, _, _ = trained_ppo
    path = out.with_name("ppo_seed0.eqx")
    info = json.loads(sidecar_path(path).read_text())
    status = main(["evaluate", str(path), "--episodes", "2", "--seed", str(info["eval_seed"])])
    assert status == 0
    mean, _ = RETURN.search(capsys.readouterr().out).groups()
    assert float(mean) == pytest.approx(info["greedy_mean_return"], abs=0.006)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["train", "--algo", "ppo", "--set", "width_size=32"],
            r"unknown hyperparameter 'width_size' for ppo; known names: .*clip_coefficient",
        ),
        (["train", "--algo", "ppo", "--set", "num_batches=3"], r"num_batches \(3\) must divide"),
        (["train", "--algo", "a2c", "--set", "feature_depth=1.5"], r"expected an integer"),
        (["train", "--algo", "sarsa"], r"invalid choice: 'sarsa'"),
    ],
)
def test_on_policy_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert re.search(message, capsys.readouterr().err)


def test_on_policy_presets_and_overrides():
    for algo, env_id in [
        ("ppo", "CartPole-v1"),
        ("a2c", "CartPole-v1"),
        ("reinforce", "CartPole-v1"),
        ("ppo", "Acrobot-v1"),
    ]:
        assert has_preset(algo, env_id)
        kwargs, pkw = preset(algo, env_id, 100_000)
        ALGORITHMS[algo].algorithm(**kwargs)  # valid arguments
        assert pkw == dict(PRESETS[algo, env_id][1])
    # PPO CartPole: 390 iterations x 20 epochs x 1 minibatch, annealed to zero.
    kwargs, _ = preset("ppo", "CartPole-v1", 100_000)
    assert float(kwargs["learning_rate"](0)) == pytest.approx(1e-3)
    assert float(kwargs["learning_rate"](390 * 20)) == 0.0
    assert float(kwargs["clip_coefficient"](390 * 10)) == pytest.approx(0.1)
    # No preset: the algorithm's defaults and the policy's default sizes.
    kwargs, pkw = preset("a2c", "Acrobot-v1", 1_000)
    assert kwargs == {} and pkw["feature_size"] == 16 and pkw["value_depth"] == 2
    algo, policy = parse_overrides(
        ["clip_coefficient=0.1", "normalize_advantages=false", "action_width=32"],
        ALGORITHMS["ppo"],
        "ppo",
    )
    assert algo == {"clip_coefficient": 0.1, "normalize_advantages": False}
    assert policy == {"action_width": 32}


# ------------------------------------------------------------------ off-policy


def test_off_policy_presets_are_valid():
    for algo, env_id in [
        ("sac", "Pendulum-v1"),
        ("td3", "Pendulum-v1"),
        ("ddpg", "Pendulum-v1"),
        ("sac-discrete", "CartPole-v1"),
    ]:
        assert has_preset(algo, env_id)
        kwargs, pkw = preset(algo, env_id, 20_000)
        ALGORITHMS[algo].algorithm(**kwargs)  # valid arguments
        assert pkw == dict(PRESETS[algo, env_id][1])
    assert preset("td3", "MountainCarContinuous-v0", 1_000) == (
        {},
        {"width_size": 256, "depth": 2, "exploration_noise": 0.1},
    )


def test_train_and_evaluate_td3_on_pendulum(tmp_path, capsys):
    out = tmp_path / "td3.eqx"
    argv = ["train", "--algo", "td3", "--env", "Pendulum-v1", "--timesteps", "300"]
    argv += ["--out", str(out), "--eval-episodes", "1", "--no-progress"]
    for item in ("learning_starts=100", "q_width_size=16", "width_size=16", "batch_size=32"):
        argv += ["--set", item]
    assert main(argv) == 0
    info = json.loads(sidecar_path(out).read_text())
    assert info["algorithm"] == "td3" and info["policy_class"] == "MLPDeterministicPolicy"
    assert info["hyperparameters"]["learning_starts"] == 100
    assert info["hyperparameters"]["q_lr"] == pytest.approx(1e-3)  # the preset kept
    capsys.readouterr()
    seed = str(info["eval_seed"])
    assert main(["evaluate", str(out), "--episodes", "1", "--seed", seed]) == 0
    mean, _ = RETURN.search(capsys.readouterr().out).groups()
    assert float(mean) == pytest.approx(info["greedy_mean_return"], abs=0.006)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--algo", "sac", "--env", "CartPole-v1"], r"needs a Box action space"),
        (["train", "--algo", "sac-discrete", "--env", "Pendulum-v1"], r"needs a Discrete"),
        (["train", "--algo", "td3", "--env", "Pendulum-v1", "--set", "tau=2.0"], r"tau"),
    ],
)
def test_off_policy_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert re.search(message, capsys.readouterr().err)
