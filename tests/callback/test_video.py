"""LoggingCallback records evaluation videos inside the compiled loop (`video_interval`)."""

import types

import equinox as eqx
import jax
import numpy as np
import pytest

from lerax.algorithm import DQN
from lerax.callback import AbstractLoggingBackend, LoggingCallback, TensorBoardBackend
from lerax.env.classic_control import CartPole
from lerax.policy import MLPQPolicy

from ._env import SignBandit

ITERATIONS = 4
VIDEO_INTERVAL = 2
NUM_STEPS = 8
WIDTH, HEIGHT = 160, 120


class Recording(AbstractLoggingBackend):
    """A backend with only the documented methods; records its `log_video` calls."""

    calls: list = eqx.field(static=True)

    def log_scalars(self, scalars, step):
        pass

    def log_video(self, tag, frames, step, fps):
        self.calls.append((tag, np.asarray(frames), step, fps))


@pytest.fixture(scope="module")
def cartpole():
    env = CartPole()
    algo = DQN(
        buffer_size=64,
        learning_starts=8,
        num_envs=2,
        num_steps=4,
        batch_size=8,
        target_update_interval=8,
    )
    policy = MLPQPolicy(env, width_size=8, depth=1, key=jax.random.key(0))
    return types.SimpleNamespace(env=env, algo=algo, policy=policy)


def _callback(backends, **kwargs):
    options = dict(video_num_steps=NUM_STEPS, video_width=WIDTH, video_height=HEIGHT)
    options.update(kwargs)
    return LoggingCallback(backends, log_interval=ITERATIONS, **options)


def _learn(setup, callback, key=jax.random.key(1)):
    total = ITERATIONS * setup.algo.steps_per_iteration
    policy = setup.algo.learn(setup.env, setup.policy, total, key=key, callback=callback)
    jax.block_until_ready(policy)
    jax.effects_barrier()
    return policy


@pytest.fixture(scope="module")
def single(cartpole, tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("videos")
    recording = Recording([])
    callback = _callback(
        [TensorBoardBackend(log_dir), recording],
        env=cartpole.env,
        video_interval=VIDEO_INTERVAL,
        video_fps=25.0,
    )
    _learn(cartpole, callback)
    return types.SimpleNamespace(log_dir=log_dir, calls=recording.calls)


def _expected_steps(algo):
    iterations = range(VIDEO_INTERVAL - 1, ITERATIONS, VIDEO_INTERVAL)
    return [(i + 1) * algo.steps_per_iteration for i in iterations]


def test_tensorboard_gets_gif_videos_at_the_video_steps(single, cartpole):
    import imageio.v3 as iio
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    (run_dir,) = single.log_dir.iterdir()
    accumulator = EventAccumulator(str(run_dir / "seed_0"), size_guidance={"images": 0})
    accumulator.Reload()
    assert accumulator.Tags()["images"] == ["evaluation_video"]
    events = accumulator.Images("evaluation_video")
    assert [e.step for e in events] == _expected_steps(cartpole.algo)
    videos = []
    for event, (_, sent, _, _) in zip(events, single.calls, strict=True):
        assert (event.width, event.height) == (WIDTH, HEIGHT)
        frames = iio.imread(event.encoded_image_string, index=None, extension=".gif")
        frames = frames[..., :3]
        assert frames.shape[1:] == (HEIGHT, WIDTH, 3)
        assert 2 <= len(frames) <= NUM_STEPS + 1
        # Lossless for a few colours; GIF merges a frame equal to the one before it.
        changes = [0] + [i for i in range(1, len(sent)) if not np.array_equal(sent[i], sent[i - 1])]
        np.testing.assert_array_equal(frames, sent[changes])
        assert frames.min() < 64 and frames.max() > 192  # a drawn cart, not a blank frame
        assert not np.array_equal(frames[0], frames[-1])  # the cart and pole move
        videos.append(frames)
    assert not np.array_equal(videos[0][0], videos[1][0])  # two episodes, two starts


def test_frames_are_sent_to_the_backend(single, cartpole):
    assert [(tag, step, fps) for tag, _, step, fps in single.calls] == [
        ("evaluation_video", step, 25.0) for step in _expected_steps(cartpole.algo)
    ]
    for _, frames, _, _ in single.calls:
        assert frames.dtype == np.uint8 and frames.ndim == 4
        assert frames.shape[1:] == (HEIGHT, WIDTH, 3)


def test_frames_follow_the_greedy_episode(cartpole):
    """The host draws the first episode of the rollout, one frame per state."""
    from lerax.callback._video import episode_states, greedy_episode, video_canvas

    recording = Recording([])
    callback = _callback(recording, env=cartpole.env, video_interval=1)
    initial, finals, ended = eqx.filter_jit(greedy_episode)(
        cartpole.env, cartpole.policy, NUM_STEPS, key=jax.random.key(3)
    )
    ended = ended.at[4].set(True)  # an episode that ends after five steps
    arrays, static = eqx.partition(cartpole.env, eqx.is_array)
    callback.host.video(static, np.int32(8), arrays, initial, finals, ended)
    ((_, frames, step, _),) = recording.calls
    assert step == 8 and frames.shape == (6, HEIGHT, WIDTH, 3)
    canvas = video_canvas(cartpole.env, WIDTH, HEIGHT)
    states = episode_states(initial, finals, ended)
    for i in (0, 5):
        with canvas:
            cartpole.env.render(jax.tree.map(lambda leaf, i=i: leaf[i], states), canvas)
            np.testing.assert_array_equal(frames[i], canvas.as_array())


def test_vmapped_seeds_each_get_a_video(cartpole):
    recording = Recording([])
    # No env given: videos are recorded on the environment trained on.
    callback = _callback(recording, video_interval=VIDEO_INTERVAL)
    keys = jax.random.split(jax.random.key(2), 2)
    total = ITERATIONS * cartpole.algo.steps_per_iteration
    policies = cartpole.algo.learn_many(
        cartpole.env, cartpole.policy, total, keys=keys, callback=callback
    )
    jax.block_until_ready(policies)
    jax.effects_barrier()
    expected = [
        (tag, step)
        for step in _expected_steps(cartpole.algo)
        for tag in ("evaluation_video", "seed_1/evaluation_video")
    ]
    assert [(tag, step) for tag, _, step, _ in recording.calls] == expected
    for _, frames, _, fps in recording.calls:
        assert frames.shape[1:] == (HEIGHT, WIDTH, 3) and fps == 50.0
    assert not np.array_equal(recording.calls[0][1][0], recording.calls[1][1][0])


def test_no_video_interval_compiles_no_rollout(cartpole, monkeypatch):
    import lerax.callback._logging as logging_module

    def never(*args, **kwargs):
        raise AssertionError("a rollout was traced with video_interval=0")

    monkeypatch.setattr(logging_module, "greedy_episode", never)
    recording = Recording([])
    _learn(cartpole, _callback(recording, env=cartpole.env))
    assert recording.calls == []


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(video_interval=-1), "video_interval"),
        (dict(video_interval=True), "video_interval"),
        (dict(video_num_steps=0), "video_num_steps"),
        (dict(video_width=0), "video_width"),
        (dict(video_height=-3), "video_height"),
        (dict(video_fps=0.0), "video_fps"),
        (dict(video_fps=float("inf")), "video_fps"),
        (dict(video_interval=2, env=SignBandit()), "SignBandit cannot draw itself"),
    ],
)
def test_bad_video_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LoggingCallback(Recording([]), **kwargs)


def test_training_env_that_cannot_draw_fails_at_the_start():
    env = SignBandit()
    algo = DQN(buffer_size=16, learning_starts=4, num_envs=1, num_steps=2, batch_size=4)
    policy = MLPQPolicy(env, width_size=4, depth=1, key=jax.random.key(0))
    recording = Recording([])
    callback = LoggingCallback(recording, video_interval=1)
    with pytest.raises(ValueError, match="cannot draw itself"):
        algo.learn(env, policy, 8, key=jax.random.key(1), callback=callback)
    assert recording.calls == []
