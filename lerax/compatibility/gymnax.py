"""gymnax environments in lerax, and lerax environments in gymnax.

- `GymnaxToLeraxEnv(env, params)`: a gymnax environment as a lerax environment (pure JAX:
  jittable and vmappable), with its state `GymnaxEnvState`.
- `LeraxToGymnaxEnv(env)`: a lerax environment as a gymnax `Environment`, with its state
  `LeraxEnvState` and its (empty) parameters `LeraxEnvParams`.
- `gymnax_space_to_lerax_space` / `lerax_to_gymnax_space`: the spaces both libraries share
  (`Box`, `Discrete`, `Tuple`, `Dict`).

Needs gymnax 1.0 or later, which the base install of lerax leaves out:
``pip install "lerax[gymnax]"``.

Example:
    >>> import gymnax
    >>> from lerax.compatibility.gymnax import GymnaxToLeraxEnv, LeraxToGymnaxEnv
    >>> env = GymnaxToLeraxEnv(*gymnax.make("Breakout-MinAtar"))  # train lerax on gymnax
    >>> gymnax_env = LeraxToGymnaxEnv(lerax.env.make("CartPole-v1"))  # and the reverse
"""

from importlib import metadata as _metadata

try:
    import gymnax as _gymnax  # noqa: F401
except ImportError as _error:
    raise ImportError(
        f"lerax.compatibility.gymnax needs gymnax, which could not be imported ({_error}); "
        'the base install of lerax leaves it out: pip install "lerax[gymnax]"'
    ) from _error

_GYMNAX_VERSION = _metadata.version("gymnax")
if int(_GYMNAX_VERSION.split(".")[0]) < 1:
    raise ImportError(
        f"lerax.compatibility.gymnax needs gymnax 1.0 or later (whose step_env reports "
        f"termination and time limits apart), found gymnax {_GYMNAX_VERSION}: "
        'pip install "lerax[gymnax]"'
    )

from ._gymnax_from_lerax import (  # noqa: E402
    LeraxEnvParams as LeraxEnvParams,
    LeraxEnvState as LeraxEnvState,
    LeraxToGymnaxEnv as LeraxToGymnaxEnv,
)
from ._gymnax_spaces import (  # noqa: E402
    gymnax_space_to_lerax_space as gymnax_space_to_lerax_space,
    lerax_to_gymnax_space as lerax_to_gymnax_space,
)
from ._gymnax_to_lerax import (  # noqa: E402
    GymnaxEnvState as GymnaxEnvState,
    GymnaxToLeraxEnv as GymnaxToLeraxEnv,
)

__all__ = [
    "GymnaxEnvState",
    "GymnaxToLeraxEnv",
    "LeraxEnvParams",
    "LeraxEnvState",
    "LeraxToGymnaxEnv",
    "gymnax_space_to_lerax_space",
    "lerax_to_gymnax_space",
]
