"""MuJoCo tasks on MJX (optional extra: ``pip install "lerax[mujoco]"``).

Gymnasium's v5 tasks with their keyword arguments and defaults, the physics simulated by
MuJoCo's JAX implementation (MJX), so that they run under `jax.jit` and `jax.vmap` like the
rest of lerax. The model files are the ones the installed `gymnasium` package ships.

Example:
    >>> env = lerax.env.make("InvertedPendulum-v5")
    >>> state, observation, info = env.reset(key=jax.random.key(0))
"""

from ._deps import (
    import_mujoco as _import_mujoco,
    use_classic_cpu_emitters as _use_classic_cpu_emitters,
)

_import_mujoco()  # a clear ImportError now rather than a confusing one later
_use_classic_cpu_emitters()

from ._ant import Ant as Ant  # noqa: E402
from ._half_cheetah import HalfCheetah as HalfCheetah  # noqa: E402
from ._hopper import Hopper as Hopper  # noqa: E402
from ._humanoid import Humanoid as Humanoid  # noqa: E402
from ._humanoid_standup import HumanoidStandup as HumanoidStandup  # noqa: E402
from ._inverted_double_pendulum import (  # noqa: E402
    InvertedDoublePendulum as InvertedDoublePendulum,
)
from ._inverted_pendulum import InvertedPendulum as InvertedPendulum  # noqa: E402
from ._pusher import Pusher as Pusher  # noqa: E402
from ._reacher import Reacher as Reacher  # noqa: E402
from ._swimmer import Swimmer as Swimmer  # noqa: E402
from ._walker2d import Walker2d as Walker2d  # noqa: E402
from .base import (  # noqa: E402
    AbstractMujocoEnv as AbstractMujocoEnv,
    MujocoEnvState as MujocoEnvState,
)

__all__ = [
    "AbstractMujocoEnv",
    "Ant",
    "HalfCheetah",
    "Hopper",
    "Humanoid",
    "HumanoidStandup",
    "InvertedDoublePendulum",
    "InvertedPendulum",
    "MujocoEnvState",
    "Pusher",
    "Reacher",
    "Swimmer",
    "Walker2d",
]
