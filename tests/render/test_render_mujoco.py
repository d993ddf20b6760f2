"""MuJoCo tasks draw through `lerax.render.mujoco_renderer`: off-screen frames that show the
state, cameras, videos, `lerax evaluate --video`, and clear errors without OpenGL."""

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

pytest.importorskip("mujoco")
pytest.importorskip("mujoco.mjx")
imageio = pytest.importorskip("imageio.v2")
pytest.importorskip("imageio_ffmpeg")

import mujoco  # noqa: E402
from mujoco import mjx  # noqa: E402

from lerax.cli import _evaluate as evaluate_command, main  # noqa: E402
from lerax.cli._files import write_sidecar  # noqa: E402
from lerax.env import make  # noqa: E402
from lerax.env.mujoco import (  # noqa: E402
    AbstractMujocoEnv,
    HalfCheetah,
    InvertedPendulum,
    MujocoEnvState,
)
from lerax.env.mujoco.base import load_model  # noqa: E402
from lerax.policy import MLPActorCriticPolicy  # noqa: E402
from lerax.render import HeadlessPygameRenderer  # noqa: E402
from lerax.render.mujoco_renderer import (  # noqa: E402
    AbstractHasDefaultCamera,
    HeadlessMujocoRenderer,
    MujocoCamera,
    MujocoRenderer,
    MujocoVideoRenderer,
    WindowMujocoRenderer,
    _gl,
)
from lerax.space import Box  # noqa: E402

# imageio-ffmpeg runs ffmpeg in a subprocess, which JAX warns about (harmlessly: exec follows).
pytestmark = pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")

CENTRE = 239.5  # the middle column of a 480-pixel frame


def _host_data(env, qpos, qvel=None):
    """MuJoCo's `MjData` of `env` at positions `qpos` and velocities `qvel` (default 0)."""
    data = mujoco.MjData(env.mj_model)
    data.qpos[:] = qpos
    data.qvel[:] = 0.0 if qvel is None else qvel
    mujoco.mj_forward(env.mj_model, data)
    return data


def _state(env, qpos):
    """The MJX state of `env` at positions `qpos` and zero velocities (no MJX compile)."""
    return MujocoEnvState(mjx.put_data(env.mj_model, _host_data(env, qpos)))


def _columns(frame, part):
    """Mean column of the pendulum's `part` ("cart", yellow; "pole", teal) in `frame`."""
    r, g, b = (frame[..., i].astype(int) for i in range(3))
    mask = (r > 80) & (g > 80) & (b < 60) if part == "cart" else (g > 60) & (b > 60) & (r < 40)
    assert mask.sum() > 200, f"the {part} is not in the frame"
    return np.nonzero(mask)[1].mean()


def _frame(env, qpos, renderer=None):
    renderer = renderer or env.default_renderer().headless()
    env.render(_state(env, qpos), renderer)
    return renderer.as_array()


def test_default_renderers_are_gymnasiums():
    pendulum = InvertedPendulum().default_renderer()
    assert isinstance(pendulum, MujocoRenderer) and not pendulum.is_open
    assert (pendulum.width, pendulum.height, pendulum.fps) == (480, 480, 25.0)
    assert pendulum.camera == MujocoCamera()  # the model has no camera: the free one
    cheetah = HalfCheetah().default_renderer()
    assert cheetah.camera == MujocoCamera("track") and cheetah.fps == 20.0
    headless = cheetah.headless()
    assert isinstance(headless, HeadlessMujocoRenderer) and headless.camera == cheetah.camera
    frame = _frame(HalfCheetah(), HalfCheetah().mj_model.qpos0, headless)
    assert frame.shape == (480, 480, 3) and len(np.unique(frame.reshape(-1, 3), axis=0)) > 50


@pytest.mark.parametrize("env_id", ["InvertedPendulum-v5", "HalfCheetah-v5"])
def test_frames_look_like_gymnasiums(env_id):
    gymnasium = pytest.importorskip("gymnasium")
    # Gymnasium picks its OpenGL backend from MUJOCO_GL when its renderer is made (GLFW,
    # which needs a display, if unset); choose it as ours does, whatever ran before.
    _gl.gl_backend()
    reference = gymnasium.make(env_id, render_mode="rgb_array")
    reference.reset(seed=0)
    theirs = reference.render()
    data = reference.unwrapped.data
    qpos, qvel = np.array(data.qpos), np.array(data.qvel)
    reference.close()
    env = make(env_id).unwrapped
    state = MujocoEnvState(mjx.put_data(env.mj_model, _host_data(env, qpos, qvel)))
    renderer = env.default_renderer().headless()
    env.render(state, renderer)
    ours = renderer.as_array()
    assert ours.shape == theirs.shape == (480, 480, 3)
    # The same camera and scene: equal up to where Gymnasium's free camera looks (it aims
    # at the middle of the geoms after the reset noise, ours before).
    assert np.abs(ours.astype(int) - theirs.astype(int)).mean() < 0.5


def test_frames_show_the_state():
    env = InvertedPendulum()
    renderer = env.default_renderer().headless()
    upright = _frame(env, [0.0, 0.0], renderer)
    assert upright.shape == (480, 480, 3) and upright.dtype == np.uint8
    for part in ("cart", "pole"):
        assert abs(_columns(upright, part) - CENTRE) < 2
    # The cart slides along x, which runs left to right in the picture.
    left = _columns(_frame(env, [-0.5, 0.0], renderer), "cart")
    right = _columns(_frame(env, [0.5, 0.0], renderer), "cart")
    assert left < CENTRE - 60 and right > CENTRE + 60 and abs(left + right - 2 * CENTRE) < 2
    # A positive hinge angle turns the pole's top towards +x.
    tilted_left = _columns(_frame(env, [0.0, -0.3], renderer), "pole")
    tilted_right = _columns(_frame(env, [0.0, 0.3], renderer), "pole")
    assert tilted_left < CENTRE - 15 and tilted_right > CENTRE + 15
    # clear() then draw() shows only the background (black: the model has no skybox).
    renderer.clear()
    renderer.draw()
    assert (renderer.as_array() == 0).all()
    renderer.close()
    assert not renderer.is_open


def test_cameras_change_the_view():
    env = InvertedPendulum()
    near = HeadlessMujocoRenderer(camera=MujocoCamera(distance=1.0))
    far = HeadlessMujocoRenderer(camera=MujocoCamera(distance=6.0))
    cart = [(_frame(env, [0.0, 0.0], r) != 0).any(-1).sum() for r in (near, far)]
    assert cart[0] > 4 * cart[1]  # closer, so more of the frame is covered
    # A camera tracking the cart (body 1) keeps it in the middle wherever it is.
    tracking = HeadlessMujocoRenderer(camera=MujocoCamera(track_body=1))
    for x in (-0.5, 0.5):
        assert abs(_columns(_frame(env, [x, 0.0], tracking), "cart") - CENTRE) < 2
    with pytest.raises(ValueError, match="no camera 'side'.*its cameras are \\[\\]"):
        _frame(env, [0.0, 0.0], HeadlessMujocoRenderer(camera="side"))
    with pytest.raises(ValueError, match="the model has 3 bodies"):
        _frame(env, [0.0, 0.0], HeadlessMujocoRenderer(camera=MujocoCamera(track_body=3)))
    with pytest.raises(ValueError, match="set the free camera"):
        MujocoCamera("track", distance=2.0)
    with pytest.raises(ValueError, match="distance must be positive"):
        MujocoCamera(distance=0.0)


@final
class _DeclaredCameraPendulum(AbstractMujocoEnv, AbstractHasDefaultCamera):
    """InvertedPendulum's model with a declared default camera (as a task declares one)."""

    name: ClassVar[str] = "DeclaredCameraPendulum"
    contact_forces: ClassVar[bool] = False
    xml_file: str = eqx.field(static=True)
    frame_skip: int = eqx.field(static=True)
    mj_model: Any = eqx.field(static=True)
    model: Any
    action_space: Box
    observation_space: Box

    def __init__(self):
        self.xml_file, self.frame_skip = "inverted_pendulum.xml", 2
        self.mj_model, self.model, self.action_space = load_model(self.name, self.xml_file, 2)
        self.observation_space = Box(-jnp.inf, jnp.inf, (4,))

    def default_camera(self) -> MujocoCamera:
        return MujocoCamera(distance=2.04, track_body=1)

    def initial(self, *, key):
        return self.noisy_initial(key, 0.01, normal_velocities=False)

    def observation(self, state, *, key):
        return jnp.concatenate([state.data.qpos, state.data.qvel])

    def reward(self, state, action, next_state, *, key):
        return jnp.array(1.0)

    def terminal(self, state, *, key):
        return jnp.array(False)


def test_a_task_declares_its_default_camera():
    env = _DeclaredCameraPendulum()
    assert env.default_renderer().camera == MujocoCamera(distance=2.04, track_body=1)


def test_videos_record_every_frame(tmp_path):
    env = InvertedPendulum()
    xs = np.linspace(-0.6, 0.6, 5)
    stacked = jax.tree.map(lambda *leaves: jnp.stack(leaves), *[_state(env, [x, 0.0]) for x in xs])
    path = tmp_path / "slide.mp4"
    video = env.default_renderer().video(path)
    assert isinstance(video, MujocoVideoRenderer) and video.fps == 25.0
    with video:
        env.render_stacked(stacked, video)
        assert video.num_frames == 5 and not path.exists()  # written on close only
    reader = imageio.get_reader(str(path))
    frames = [np.asarray(frame) for frame in reader]
    reader.close()
    assert len(frames) == 5 and frames[0].shape == (480, 480, 3)
    assert np.all(np.diff([_columns(frame, "cart") for frame in frames]) > 20)
    assert sorted(tmp_path.iterdir()) == [path]  # no temporary file left
    with pytest.warns(UserWarning, match="no frame was drawn"):
        with MujocoVideoRenderer(tmp_path / "empty.mp4"):
            pass
    assert not (tmp_path / "empty.mp4").exists()


def test_windows_need_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    env = InvertedPendulum()
    with pytest.raises(RuntimeError, match="no display"):
        env.render(_state(env, [0.0, 0.1]), WindowMujocoRenderer())
    default = env.default_renderer()  # without a display: drawn off-screen only
    env.render(_state(env, [0.0, 0.1]), default)
    assert default.is_open and not default.shows_window
    np.testing.assert_array_equal(default.as_array(), _frame(env, [0.0, 0.1]))
    default.close()


def test_windows_show_the_frame_on_the_dummy_driver(monkeypatch):
    pygame = pytest.importorskip("pygame")
    monkeypatch.setenv("DISPLAY", ":lerax-test")  # a display is claimed, SDL draws off-screen
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("MUJOCO_GL", "egl")
    env = InvertedPendulum()
    expected = _frame(env, [0.2, -0.1])
    for window in (WindowMujocoRenderer(fps=1000), env.default_renderer()):
        with window:
            env.render(_state(env, [0.2, -0.1]), window)
            shown = np.transpose(pygame.surfarray.array3d(pygame.display.get_surface()), (1, 0, 2))
            np.testing.assert_array_equal(shown, expected)
            np.testing.assert_array_equal(window.as_array(), expected)
        assert not window.is_open and not pygame.display.get_init()


def test_wrong_renderers_and_states_are_refused():
    env = InvertedPendulum()
    with pytest.raises(TypeError, match="draw on a lerax.render.mujoco_renderer renderer"):
        env.render(_state(env, [0.0, 0.0]), HeadlessPygameRenderer(8, 8))
    stacked = jax.tree.map(lambda *leaves: jnp.stack(leaves), *[_state(env, [0.0, 0.0])] * 2)
    with pytest.raises(ValueError, match="draw one state at a time"):
        env.render(stacked, env.default_renderer().headless())
    with pytest.raises(ValueError, match="does not fit the model's 640x480 off-screen buffer"):
        _frame(env, [0.0, 0.0], HeadlessMujocoRenderer(480, 600))
    with pytest.raises(ValueError, match="width must be a positive int"):
        HeadlessMujocoRenderer(0, 480)


def test_missing_opengl_says_what_to_install(monkeypatch):
    monkeypatch.delenv("MUJOCO_GL", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(_gl, "find_library", lambda name: None)
    env = InvertedPendulum()
    with pytest.raises(RuntimeError, match="neither libEGL nor libOSMesa is installed"):
        env.render(_state(env, [0.0, 0.0]), HeadlessMujocoRenderer())
    monkeypatch.setenv("MUJOCO_GL", "osmesa")
    with pytest.raises(RuntimeError, match="MUJOCO_GL=osmesa needs libOSMesa"):
        env.render(_state(env, [0.0, 0.0]), HeadlessMujocoRenderer())


def test_evaluate_writes_a_video_of_a_mujoco_task(tmp_path, capsys, monkeypatch):
    # Only the video is under test: skip compiling the greedy return's own rollout.
    monkeypatch.setattr(evaluate_command, "greedy_return", lambda *args, **kwargs: 0.0)
    env = make("InvertedPendulum-v5")
    kwargs = dict(feature_size=4, feature_width=8, feature_depth=1, value_width=8, value_depth=1)
    kwargs.update(action_width=8, action_depth=1)
    policy = MLPActorCriticPolicy(env, key=jax.random.key(0), **kwargs)
    path = policy.serialize(tmp_path / "untrained.eqx")
    write_sidecar(
        path,
        dict(
            env_id="InvertedPendulum-v5",
            policy_class="MLPActorCriticPolicy",
            policy_kwargs=kwargs,
        ),
    )
    video = tmp_path / "episode.mp4"
    argv = ["evaluate", str(path), "--episodes", "1", "--video", str(video)]
    assert main([*argv, "--video-max-steps", "6"]) == 0
    frames = int(capsys.readouterr().out.split("wrote ")[1].split(" frames")[0])
    reader = imageio.get_reader(str(video))
    read = [np.asarray(frame) for frame in reader]
    fps = reader.get_meta_data()["fps"]
    reader.close()
    # The first state plus one per step, up to the end of the episode or the 6 steps.
    assert len(read) == frames and 2 <= frames <= 7 and fps == 25.0
    assert read[0].shape == (480, 480, 3) and abs(_columns(read[0], "cart") - CENTRE) < 10


def test_gymnasium_bridge_renders_mujoco_tasks_at_their_frame_rate():
    from lerax.compatibility.gym import LeraxToGymEnv

    env = LeraxToGymEnv(make("InvertedPendulum-v5"), render_mode="rgb_array")
    assert env.metadata["render_fps"] == pytest.approx(25.0)  # 1 / dt, not the fallback 30
    env.reset(seed=0)
    frame = env.render()
    assert frame.shape == (480, 480, 3) and frame.dtype == np.uint8
    assert len(np.unique(frame.reshape(-1, 3), axis=0)) > 10  # a scene, not a blank canvas


def test_training_video_canvas_of_a_mujoco_task():
    from lerax.callback._video import draw_frames, video_canvas

    env = make("InvertedPendulum-v5")
    canvas = video_canvas(env, 160, 120)
    assert isinstance(canvas, HeadlessMujocoRenderer)
    assert (canvas.width, canvas.height) == (160, 120)
    state, _, _ = env.reset(key=jax.random.key(0))
    states = jax.tree.map(lambda leaf: np.stack([np.asarray(leaf)] * 2), state)
    frames = draw_frames(env, states, canvas)
    assert np.asarray(frames).shape == (2, 120, 160, 3)
    assert len(np.unique(np.asarray(frames)[0].reshape(-1, 3), axis=0)) > 10


def test_g1_draws_the_robot_from_its_tracking_camera():
    from lerax.env.unitree.g1 import G1EnvState, G1Standing

    env = G1Standing()
    renderer = env.default_renderer()
    assert renderer.camera == MujocoCamera("tracking") and renderer.fps == 50.0
    renderer = renderer.headless()
    model, zeros, scalar = env.mj_model, jnp.zeros(29), jnp.zeros(())

    def frame(qpos):
        data = _host_data(env, qpos)
        state = G1EnvState(
            data,
            scalar,
            None,
            zeros,
            zeros,
            zeros[:2],
            scalar,
            zeros[:3],
            jnp.zeros((), jnp.int32),
            zeros[:2],
            zeros[:2] > 0,
        )
        env.render(state, renderer)
        return renderer.as_array().astype(int)

    standing = np.array(model.key_qpos[model.key("knees_bent").id])
    lying = standing.copy()
    lying[2], lying[3:7] = 0.15, [np.cos(np.pi / 4), 0.0, -np.sin(np.pi / 4), 0.0]
    up, down = frame(standing), frame(lying)
    assert up.shape == (480, 480, 3) and np.abs(up - down).mean() > 5
    # Above the horizon (row ~125) the background is black: standing, the head and shoulders
    # show there (about 1,100 pixels); lying, nothing does.
    assert (up[:115].mean(-1) > 10).sum() > 500
    assert (down[:115].mean(-1) > 10).sum() == 0
    renderer.close()
