"""`lerax evaluate PATH --video FILE` records a greedy episode."""

import jax
import pytest

from lerax.cli import main
from lerax.cli._files import write_sidecar
from lerax.env import make
from lerax.policy import MLPQPolicy

imageio = pytest.importorskip("imageio.v2")
pytest.importorskip("imageio_ffmpeg")
pytest.importorskip("pygame")
pytestmark = pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")


def test_evaluate_writes_a_video_of_a_greedy_episode(tmp_path, capsys):
    env = make("CartPole-v1")
    policy = MLPQPolicy(env, width_size=8, depth=1, key=jax.random.key(0))
    path = policy.serialize(tmp_path / "untrained.eqx")
    write_sidecar(
        path,
        dict(
            env_id="CartPole-v1",
            policy_class="MLPQPolicy",
            policy_kwargs={"width_size": 8, "depth": 1},
        ),
    )
    video = tmp_path / "episode.mp4"
    status = main(["evaluate", str(path), "--episodes", "1", "--video", str(video)])
    assert status == 0
    out = capsys.readouterr().out
    frames = int(out.split("wrote ")[1].split(" frames")[0])
    reader = imageio.get_reader(str(video))
    read = [frame for frame in reader]
    reader.close()
    # An untrained greedy CartPole episode is short: the first state plus one per step.
    assert len(read) == frames and 2 <= frames <= 501
    assert read[0].shape == (400, 600, 3)


def test_evaluate_video_arguments_are_checked(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["evaluate", "x.eqx", "--video", str(tmp_path / "missing" / "a.mp4")])
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["evaluate", "x.eqx", "--video-max-steps", "0"])
    assert "--video-max-steps must be at least 1" in capsys.readouterr().err
