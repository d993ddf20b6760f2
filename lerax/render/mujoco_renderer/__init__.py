"""Drawing MuJoCo scenes: off-screen, in a window, or into a video.

- `AbstractMujocoRenderer`: the interface, and the drawing every MuJoCo renderer shares.
- `HeadlessMujocoRenderer` (off-screen), `WindowMujocoRenderer` (a window), `MujocoRenderer`
  (the tasks' default: a window when there is a display), `MujocoVideoRenderer` (an mp4).
- `MujocoCamera`: where the scene is seen from; `AbstractHasDefaultCamera`: a task that
  declares its default camera.

The MuJoCo tasks (`lerax.env.mujoco`) draw themselves with `env.render(state, renderer)`,
`env.render_states` and `env.render_stacked`; `env.default_renderer()` is a 480 x 480
`MujocoRenderer` at the task's frame rate, seen from the task's camera.

Frames are drawn off-screen with OpenGL. Unless `MUJOCO_GL` is set, on Linux without a
display it is set to `egl` (libEGL), or else `osmesa` (libOSMesa), when the first renderer
opens; with a display MuJoCo's default is used. Drawing needs mujoco; windows pygame, and
videos imageio with imageio-ffmpeg: ``pip install "lerax[mujoco,render]"``. They are
imported when first needed, so importing this module always works.

Example:
    >>> env = lerax.env.mujoco.InvertedPendulum()
    >>> renderer = env.default_renderer().headless()
    >>> env.render(env.initial(key=jax.random.key(0)), renderer)
    >>> frame = renderer.as_array()  # uint8[480, 480, 3]
    >>> with env.default_renderer().video("episode.mp4") as video:
    ...     env.render_stacked(states, video)
"""

from ._camera import (
    AbstractHasDefaultCamera as AbstractHasDefaultCamera,
    MujocoCamera as MujocoCamera,
    model_camera as model_camera,
)
from ._headless import HeadlessMujocoRenderer as HeadlessMujocoRenderer
from ._video import MujocoVideoRenderer as MujocoVideoRenderer
from ._window import (
    MujocoRenderer as MujocoRenderer,
    WindowMujocoRenderer as WindowMujocoRenderer,
)
from .base import AbstractMujocoRenderer as AbstractMujocoRenderer
