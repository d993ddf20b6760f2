"""Gymnasium environments in lerax, and lerax environments in Gymnasium.

- `GymToLeraxEnv(env)`: a Gymnasium environment as a lerax environment (it runs on the host
  inside `jax.jit`, one environment at a time), with its state `GymEnvState`.
- `LeraxToGymEnv(env)`: a lerax environment as a `gymnasium.Env`.
- `gym_space_to_lerax_space` / `lerax_to_gym_space`: the spaces both libraries share.
- `jax_to_numpy` / `to_numpy_tree`: JAX arrays (and pytrees of them) to NumPy.

Needs Gymnasium, which the base install of lerax leaves out: ``pip install "lerax[gym]"``.

Example:
    >>> import gymnasium
    >>> from lerax.compatibility.gym import GymToLeraxEnv, LeraxToGymEnv
    >>> env = GymToLeraxEnv(gymnasium.make("CartPole-v1"))  # train lerax on Gymnasium
    >>> gym_env = LeraxToGymEnv(lerax.env.classic_control.CartPole())  # and the reverse
"""

try:
    import gymnasium as _gymnasium  # noqa: F401
except ImportError as _error:
    raise ImportError(
        "lerax.compatibility.gym needs Gymnasium, which the base install of lerax leaves out: "
        'pip install "lerax[gym]"'
    ) from _error

from ._gym_from_lerax import LeraxToGymEnv as LeraxToGymEnv
from ._gym_numpy import jax_to_numpy as jax_to_numpy, to_numpy_tree as to_numpy_tree
from ._gym_spaces import (
    gym_space_to_lerax_space as gym_space_to_lerax_space,
    lerax_to_gym_space as lerax_to_gym_space,
)
from ._gym_to_lerax import GymEnvState as GymEnvState, GymToLeraxEnv as GymToLeraxEnv

__all__ = [
    "GymEnvState",
    "GymToLeraxEnv",
    "LeraxToGymEnv",
    "gym_space_to_lerax_space",
    "jax_to_numpy",
    "lerax_to_gym_space",
    "to_numpy_tree",
]
