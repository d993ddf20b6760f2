"""SAC actor made of multilayer perceptrons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp

from ..._types import Array, Float, Key, Mask
from ...distribution import SquashedNormal
from ...space import AbstractSpace, Box
from .._network import forward, linear
from .._validation import check_activation, check_bounded_box, check_sizes
from ..base import check_env_spaces
from .base import AbstractSACPolicy

LOG_STD_MIN = -5.0
LOG_STD_MAX = 2.0


@final
class MLPSACPolicy(AbstractSACPolicy[None, Float[Array, "..."], Any, None]):
    """SAC actor: a tanh-squashed Gaussian over a bounded `Box`.

    The flattened observation goes through an MLP to `feature_size` features (activation
    applied), then linear heads give the Gaussian mean and log standard deviation; the
    log-std is squashed smoothly into ``[LOG_STD_MIN, LOG_STD_MAX] = [-5, 2]`` with a tanh.
    Actions are `SquashedNormal` draws scaled to the Box bounds (finite bounds required),
    so they always lie in the action space; the deterministic action is ``squash(mean)``.
    The critics belong to the algorithm. Stateless: the state is `None`.

    Args:
        env: Environment (anything with `observation_space` and `action_space`).
        feature_size: Size of the feature layer.
        width_size: Hidden width of the trunk.
        depth: Number of hidden layers of the trunk.
        activation: Hidden activation function.
        key: PRNG key for the initial weights.

    Raises:
        ValueError: If the action space is not a bounded `Box`, or a hyperparameter is out of
            range.
    """

    name: ClassVar[str] = "MLPSACPolicy"
    action_space: Box
    observation_space: AbstractSpace
    actor: eqx.nn.MLP
    mean_head: eqx.nn.Linear
    log_std_head: eqx.nn.Linear

    def __init__(
        self,
        env: Any,
        *,
        feature_size: int = 256,
        width_size: int = 256,
        depth: int = 2,
        activation: Callable[[Array], Array] = jax.nn.relu,
        key: Key,
    ):
        name = "MLPSACPolicy"
        obs_space, act_space = check_env_spaces(name, env)
        act_space = check_bounded_box(name, act_space)
        check_sizes(name, minimum=1, feature_size=feature_size, width_size=width_size)
        check_sizes(name, minimum=0, depth=depth)
        check_activation(name, activation)
        k_actor, k_mean, k_std = jax.random.split(key, 3)
        act_size = act_space.flat_size
        self.action_space = act_space
        self.observation_space = obs_space
        self.actor = eqx.nn.MLP(
            obs_space.flat_size,
            feature_size,
            width_size,
            depth,
            activation=activation,
            final_activation=activation,
            key=k_actor,
        )
        self.mean_head = eqx.nn.Linear(feature_size, act_size, key=k_mean)
        self.log_std_head = eqx.nn.Linear(feature_size, act_size, key=k_std)

    def reset(self, *, key: Key) -> None:
        return None

    def action_distribution(
        self, state: None, observation: Any, *, action_mask: Mask = None
    ) -> tuple[None, SquashedNormal]:
        """The squashed Gaussian for `observation`.

        Raises:
            ValueError: If an `action_mask` is given (Box actions cannot be masked).
        """
        if action_mask is not None:
            raise ValueError(f"{self.name}: Box actions cannot be masked")
        features = forward(self.actor, self.observation_space.flatten_sample(observation))
        shape = self.action_space.shape
        mean = linear(self.mean_head, features).reshape(shape)
        raw = linear(self.log_std_head, features).reshape(shape)
        log_std = LOG_STD_MIN + (LOG_STD_MAX - LOG_STD_MIN) * (jnp.tanh(raw) + 1) / 2
        low, high = jax.lax.stop_gradient((self.action_space.low, self.action_space.high))
        return state, SquashedNormal(mean, jnp.exp(log_std), high=high, low=low)
