"""Drawing environments: colours, coordinate transforms, renderers and videos.

- `Color` (RGB floats in `[0, 1]`) and the constants `WHITE`, `BLACK`, `GRAY`, `RED`,
  `GREEN`, `BLUE`.
- `Transform(width, height, scale, offset, y_up=True)`: world to pixel coordinates.
- `AbstractRenderer`, `Abstract2DRenderer`, `Abstract3DRenderer`: the interfaces.
- `PygameRenderer` (a window), `HeadlessPygameRenderer` (off-screen) and
  `VideoRenderer(inner, output_path, fps=60.0)` (records `inner` into an mp4).
- `lerax.render.mujoco_renderer`: the renderers of the MuJoCo tasks (3-D scenes).

Environments draw themselves with `env.render(state, renderer)`; `env.render_states` and
`env.render_stacked` replay many states. Drawing needs pygame, and videos imageio with
imageio-ffmpeg, which the base install of lerax leaves out: ``pip install "lerax[render]"``.
They are imported when first needed, so `import lerax.render` always works.

Example:
    >>> env = lerax.env.classic_control.CartPole()
    >>> renderer = env.default_renderer().headless()
    >>> env.render(env.initial(key=jax.random.key(0)), renderer)
    >>> frame = renderer.as_array()  # uint8[400, 600, 3]
"""

from ._color import (
    BLACK as BLACK,
    BLUE as BLUE,
    GRAY as GRAY,
    GREEN as GREEN,
    RED as RED,
    WHITE as WHITE,
    Color as Color,
)
from ._pygame import (
    AbstractPygameRenderer as AbstractPygameRenderer,
    HeadlessPygameRenderer as HeadlessPygameRenderer,
    PygameRenderer as PygameRenderer,
)
from ._transform import Transform as Transform
from ._video import VideoRenderer as VideoRenderer
from .base import (
    Abstract2DRenderer as Abstract2DRenderer,
    Abstract3DRenderer as Abstract3DRenderer,
    AbstractRenderer as AbstractRenderer,
)
