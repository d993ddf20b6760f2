"""`VideoRenderer` records each drawn frame into an mp4, written atomically on close."""

import equinox as eqx
import jax
import numpy as np
import pytest

from lerax.env.classic_control import CartPole
from lerax.render import Abstract3DRenderer, HeadlessPygameRenderer, VideoRenderer

from ._frames import with_y

imageio = pytest.importorskip("imageio.v2")
pytest.importorskip("imageio_ffmpeg")
pytest.importorskip("pygame")
# imageio-ffmpeg runs ffmpeg in a subprocess, which JAX warns about (harmlessly: exec follows).
pytestmark = pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")


def _frames(path):
    reader = imageio.get_reader(str(path))
    try:
        return [np.asarray(frame) for frame in reader]
    finally:
        reader.close()


def test_a_replay_of_stacked_states_becomes_an_mp4(tmp_path):
    env = CartPole()

    @eqx.filter_jit
    def states(key):
        def body(state, k):
            state, *_ = env.step(state, jax.random.bernoulli(k).astype(jax.numpy.int32), key=k)
            return state, state

        return jax.lax.scan(body, env.initial(key=key), jax.random.split(key, 12))[1]

    path = tmp_path / "episode.mp4"
    video = VideoRenderer(env.default_renderer().headless(), path, fps=50)
    with video:
        env.render_stacked(states(jax.random.key(0)), video)
        assert video.num_frames == 12
        assert not path.exists()  # written on close only
    frames = _frames(path)
    assert len(frames) == 12
    assert frames[0].shape == (400, 600, 3) and frames[0].dtype == np.uint8
    assert not [p for p in tmp_path.iterdir() if p != path]  # no temporary file left


def test_frames_read_back_as_drawn(tmp_path):
    env = CartPole()
    inner = env.default_renderer().headless()
    path = tmp_path / "two.mp4"
    drawn = []
    with VideoRenderer(inner, path, fps=10.0) as video:
        for x in (-1.0, 1.0):
            env.render(with_y(env, [x, 0.0, 0.0, 0.0]), video)
            drawn.append(video.as_array())
    frames = _frames(path)
    assert len(frames) == 2
    for ours, back in zip(drawn, frames):
        # H.264 is lossy; the cart (a black block) moves by 250 pixels between the frames.
        assert np.abs(ours.astype(int) - back.astype(int)).mean() < 3
    assert np.abs(frames[0].astype(int) - frames[1].astype(int)).mean() > 3


def test_odd_sizes_are_padded_and_empty_videos_are_not_written(tmp_path):
    path = tmp_path / "odd.mp4"
    with VideoRenderer(HeadlessPygameRenderer(31, 17), path) as video:
        for _ in range(3):
            video.clear()
            video.draw()
    frames = _frames(path)
    assert len(frames) == 3 and frames[0].shape == (18, 32, 3)
    empty = tmp_path / "empty.mp4"
    with pytest.warns(UserWarning, match="no frame was drawn"):
        VideoRenderer(HeadlessPygameRenderer(8, 8), empty).close()
    assert not empty.exists()
    discarded = tmp_path / "discarded.mp4"
    video = VideoRenderer(HeadlessPygameRenderer(8, 8), discarded)
    video.clear()
    video.draw()
    video.discard()
    assert not discarded.exists() and sorted(tmp_path.iterdir()) == [path]


class _Scene3D(Abstract3DRenderer):
    width = height = 8

    def open(self):
        pass

    close = clear = draw = open

    def as_array(self):
        return np.zeros((8, 8, 3), np.uint8)


def test_bad_video_arguments_say_what_is_wrong(tmp_path):
    with pytest.raises(TypeError, match="inner must be a 2-D renderer"):
        VideoRenderer(_Scene3D(), tmp_path / "a.mp4")
    with pytest.raises(ValueError, match="fps must be a positive"):
        VideoRenderer(HeadlessPygameRenderer(8, 8), tmp_path / "a.mp4", fps=0)
    with pytest.raises(ValueError, match="does not exist"):
        VideoRenderer(HeadlessPygameRenderer(8, 8), tmp_path / "missing" / "a.mp4")
