"""Actor-critic policy made of multilayer perceptrons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from ..._types import Array, Float, Key
from ...distribution import (
    AbstractDistribution,
    Bernoulli,
    Categorical,
    MultiCategorical,
    Normal,
)
from ...space import AbstractSpace, Box, Discrete, MultiBinary, MultiDiscrete
from .._network import forward
from .._validation import check_activation, check_sizes, concrete
from ..base import check_env_spaces
from .base import AbstractDistributionActorCriticPolicy

_SUPPORTED = "Box, Discrete, MultiBinary or MultiDiscrete"


def _head_size(name: str, space: AbstractSpace) -> int:
    if isinstance(space, Box):
        if space.flat_size < 1:
            raise ValueError(f"{name}: the Box action space {space!r} has no entries")
        return space.flat_size
    if isinstance(space, Discrete | MultiBinary):
        return space.n
    if isinstance(space, MultiDiscrete):
        return sum(space.nvec)
    raise ValueError(f"{name} supports {_SUPPORTED} action spaces, got {space!r}")


def _initial_log_std(name: str, log_std_init: Any, size: int) -> Float[Array, " n"]:
    value = jnp.asarray(log_std_init, jnp.float32)
    value_np = concrete(value)
    if value_np is not None and not np.isfinite(value_np).all():
        raise ValueError(f"{name}: log_std_init must be finite, got {log_std_init}")
    if value.shape not in ((), (size,)):
        raise ValueError(
            f"{name}: log_std_init must be a scalar or have {size} entries, got shape {value.shape}"
        )
    return jnp.broadcast_to(value, (size,))


def _scale_last_layer(mlp: eqx.nn.MLP, gain: float) -> eqx.nn.MLP:
    last = mlp.layers[-1]
    mlp = eqx.tree_at(lambda m: m.layers[-1].weight, mlp, last.weight * gain)
    if last.bias is not None:
        mlp = eqx.tree_at(lambda m: m.layers[-1].bias, mlp, jnp.zeros_like(last.bias))
    return mlp


@final
class MLPActorCriticPolicy(AbstractDistributionActorCriticPolicy[None, Any, Any, Any]):
    """Actor-critic with a shared MLP feature extractor, an action head and a value head.

    The observation is flattened with ``observation_space.flatten_sample`` and mapped to
    `feature_size` features (activation applied; with ``feature_depth=0`` the features are
    one linear layer, as in `eqx.nn.MLP`), which feed both heads. The action
    distribution depends on the action space:

    - `Box`: independent `Normal` over the action's shape, mean from the action head and a
      learned, state-independent ``log_std`` vector (initialised to `log_std_init`, not
      clipped); samples are not clipped in `action_and_value` (see the base class).
    - `Discrete`: `Categorical`; mask shape ``(n,)``.
    - `MultiBinary`: one `Bernoulli` per bit; mask shape ``(n, 2)`` as in the space.
    - `MultiDiscrete`: `MultiCategorical`; mask shape ``(sum(nvec),)`` as in the space.

    The action head's last layer starts with weights scaled by 0.01 and zero bias, so the
    initial policy is near-uniform (discrete) or near-zero-mean (Box). Stateless: the state
    is `None`.

    Args:
        env: Environment (anything with `observation_space` and `action_space`).
        feature_size: Number of shared features.
        feature_width: Hidden width of the feature extractor.
        feature_depth: Hidden layers of the feature extractor.
        value_width: Hidden width of the value head.
        value_depth: Hidden layers of the value head.
        action_width: Hidden width of the action head.
        action_depth: Hidden layers of the action head.
        activation: Hidden activation function.
        log_std_init: Initial log standard deviation (Box actions).
        key: PRNG key for the initial weights.

    Raises:
        ValueError: For an unsupported action space (naming it) or a bad hyperparameter.

    Example:
        >>> policy = MLPActorCriticPolicy(env, key=jax.random.key(0))
        >>> _, action, value, log_prob = policy.action_and_value(None, obs, key=k)
    """

    name: ClassVar[str] = "MLPActorCriticPolicy"
    action_space: AbstractSpace
    observation_space: AbstractSpace
    feature_extractor: eqx.nn.MLP
    value_head: eqx.nn.MLP
    action_head: eqx.nn.MLP
    log_std: Float[Array, " n"] | None

    def __init__(
        self,
        env: Any,
        *,
        feature_size: int = 16,
        feature_width: int = 64,
        feature_depth: int = 2,
        value_width: int = 64,
        value_depth: int = 2,
        action_width: int = 64,
        action_depth: int = 2,
        activation: Callable[[Array], Array] = jax.nn.relu,
        log_std_init: Float[ArrayLike, "..."] = 0.0,
        key: Key,
    ):
        name = "MLPActorCriticPolicy"
        obs_space, act_space = check_env_spaces(name, env)
        out_size = _head_size(name, act_space)
        check_sizes(
            name,
            minimum=1,
            feature_size=feature_size,
            feature_width=feature_width,
            value_width=value_width,
            action_width=action_width,
        )
        check_sizes(
            name,
            minimum=0,
            feature_depth=feature_depth,
            value_depth=value_depth,
            action_depth=action_depth,
        )
        check_activation(name, activation)
        log_std = None
        if isinstance(act_space, Box):
            log_std = _initial_log_std(name, log_std_init, out_size)
        k_feat, k_value, k_action = jax.random.split(key, 3)
        self.action_space = act_space
        self.observation_space = obs_space
        self.feature_extractor = eqx.nn.MLP(
            obs_space.flat_size,
            feature_size,
            feature_width,
            feature_depth,
            activation=activation,
            final_activation=activation,
            key=k_feat,
        )
        self.value_head = eqx.nn.MLP(
            feature_size, "scalar", value_width, value_depth, activation=activation, key=k_value
        )
        self.action_head = _scale_last_layer(
            eqx.nn.MLP(
                feature_size,
                out_size,
                action_width,
                action_depth,
                activation=activation,
                key=k_action,
            ),
            0.01,
        )
        self.log_std = log_std

    def reset(self, *, key: Key) -> None:
        return None

    def _features(self, observation: Any) -> Float[Array, " features"]:
        return forward(self.feature_extractor, self.observation_space.flatten_sample(observation))

    def _action_distribution(self, out: Float[Array, " out"]) -> AbstractDistribution:
        space = self.action_space
        if isinstance(space, Box):
            assert self.log_std is not None
            return Normal(out.reshape(space.shape), jnp.exp(self.log_std).reshape(space.shape))
        if isinstance(space, Discrete):
            return Categorical(logits=out)
        if isinstance(space, MultiBinary):
            return Bernoulli(logits=out)
        if isinstance(space, MultiDiscrete):
            return MultiCategorical(logits=out, action_dims=space.nvec)
        raise ValueError(f"{self.name} supports {_SUPPORTED} action spaces, got {space!r}")

    def distribution_and_value(
        self, state: None, observation: Any
    ) -> tuple[None, AbstractDistribution, Float[Array, ""]]:
        features = self._features(observation)
        dist = self._action_distribution(forward(self.action_head, features))
        return state, dist, forward(self.value_head, features)

    def value(self, state: None, observation: Any) -> tuple[None, Float[Array, ""]]:
        return state, forward(self.value_head, self._features(observation))
