"""The Unitree G1 humanoid (29 joints) on MJX: locomotion, standing and standup tasks.

- `G1Locomotion`: walk at a commanded velocity, stepping to a gait clock;
- `G1Standing`: keep standing while being pushed;
- `G1Standup`: get up from lying on the floor;
- `AbstractG1Env`, `G1EnvState`: the base and the state of the tasks;
- `gait`: the feet's gait phase and the desired swing height of a foot;
- `randomize`: domain randomisation of an MJX model and noise on actions and observations.

The G1 model (Unitree's MJCF, BSD-3-Clause) is read from the `mjlab` package on PyPI,
installed without its dependencies: ``pip install --no-deps "mjlab>=1.6.0"`` (next to
``pip install "lerax[mujoco]"``); or pass `xml_file=` the path of a G1 scene you have.
"""

# Importing the tasks imports `lerax.env.mujoco`, which checks for MuJoCo and MJX and sets
# XLA's CPU code generator as MJX needs it.
from . import gait as gait, randomize as randomize
from ._locomotion import (
    DEFAULT_REWARD_WEIGHTS as DEFAULT_REWARD_WEIGHTS,
    G1Locomotion as G1Locomotion,
)
from ._robot import DEFAULT_NOISE_SCALES as DEFAULT_NOISE_SCALES, G1Robot as G1Robot
from ._standing import G1Standing as G1Standing
from ._standup import G1Standup as G1Standup
from .base import (
    AbstractG1Env as AbstractG1Env,
    AbstractG1PoseEnv as AbstractG1PoseEnv,
    G1EnvState as G1EnvState,
)
