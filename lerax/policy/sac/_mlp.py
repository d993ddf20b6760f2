"""SAC actor made of multilayer perceptrons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp

from ..._types import Array, Float, Int, Key, Mask, UInt32
from ...distribution import SquashedNormal, SquashedSDENormal
from ...space import AbstractSpace, Box
from .._network import forward, linear
from .._validation import check_activation, check_bounded_box, check_sizes
from ..base import AbstractPolicyState, check_env_spaces
from .base import AbstractSACPolicy

LOG_STD_MIN = -5.0
LOG_STD_MAX = 2.0
SDE_CLIP_MEAN = 2.0
"""With gSDE the pre-squash mean is kept within ``(-2, 2)`` (Stable-Baselines3 clips it there)."""


@final
class SDEState(AbstractPolicyState):
    """The exploration noise of a gSDE actor (`MLPSACPolicy(use_sde=True)`).

    The exploration matrix is drawn from `seed` and the resample period ``step //
    sde_sample_freq`` (period 0 throughout when resampling only at episode starts), so the
    state stays two integers however large the matrix.

    Attributes:
        seed: `uint32[]`, drawn at `reset`.
        step: `int32[]`, actions taken since `reset`.
    """

    seed: UInt32[Array, ""]
    step: Int[Array, ""]


@final
class MLPSACPolicy(AbstractSACPolicy[SDEState | None, Float[Array, "..."], Any, None]):
    """SAC actor: a tanh-squashed Gaussian over a bounded `Box`.

    The flattened observation goes through an MLP to `feature_size` features (activation
    applied), then linear heads give the Gaussian mean and log standard deviation; the
    log-std is squashed smoothly into ``[LOG_STD_MIN, LOG_STD_MAX] = [-5, 2]`` with a tanh.
    Actions are `SquashedNormal` draws scaled to the Box bounds (finite bounds required),
    so they always lie in the action space; the deterministic action is ``squash(mean)``.
    The critics belong to the algorithm. Stateless: the state is `None`.

    With `use_sde=True` the actor explores with generalised state-dependent exploration
    (gSDE, as Stable-Baselines3's `use_sde`): the noise is ``features . (exp(log_std) *
    eps)``, linear in the (gradient-stopped) features, with a trained matrix `log_std`
    (one row per feature, initialised to `log_std_init`) in place of the log-std head, and
    the mean kept within ``(-2, 2)`` before squashing by ``2 tanh(mean / 2)``
    (`SquashedSDENormal`; SB3 clips it there, but a hard clip stops the mean's gradient once
    it overshoots). The exploration matrix `eps` lives in the policy state (`SDEState`): it
    is redrawn at every `reset` (each episode) and, with `sde_sample_freq` > 0, every
    `sde_sample_freq` actions, so consecutive actions explore coherently, which matters
    where a random walk gets nowhere (MountainCarContinuous). The deterministic action,
    ``squash(mean)``, does not read the state.

    Args:
        env: Environment (anything with `observation_space` and `action_space`).
        feature_size: Size of the feature layer.
        width_size: Hidden width of the trunk.
        depth: Number of hidden layers of the trunk.
        activation: Hidden activation function.
        use_sde: Explore with gSDE instead of independent Gaussian noise.
        log_std_init: Initial entries of the gSDE `log_std` matrix.
        sde_sample_freq: With gSDE, redraw the exploration matrix every this many actions;
            -1 redraws only when an episode starts.
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
    log_std_head: eqx.nn.Linear | None
    log_std: Float[Array, "features ..."] | None
    sde_sample_freq: int = eqx.field(static=True)

    def __init__(
        self,
        env: Any,
        *,
        feature_size: int = 256,
        width_size: int = 256,
        depth: int = 2,
        activation: Callable[[Array], Array] = jax.nn.relu,
        use_sde: bool = False,
        log_std_init: float = -3.0,
        sde_sample_freq: int = -1,
        key: Key,
    ):
        name = "MLPSACPolicy"
        obs_space, act_space = check_env_spaces(name, env)
        act_space = check_bounded_box(name, act_space)
        check_sizes(name, minimum=1, feature_size=feature_size, width_size=width_size)
        check_sizes(name, minimum=0, depth=depth)
        check_activation(name, activation)
        if not isinstance(use_sde, bool):
            raise TypeError(f"{name}: use_sde must be a bool, got {use_sde!r}")
        if not isinstance(sde_sample_freq, int) or sde_sample_freq == 0 or sde_sample_freq < -1:
            raise ValueError(
                f"{name}: sde_sample_freq must be a positive int or -1 (redraw only at "
                f"episode starts), got {sde_sample_freq!r}"
            )
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
        self.sde_sample_freq = sde_sample_freq
        if use_sde:
            init = jnp.asarray(log_std_init, jnp.float32)
            if init.shape != () or not jnp.isfinite(init):
                raise ValueError(
                    f"{name}: log_std_init must be a finite number, got {log_std_init!r}"
                )
            self.log_std_head = None
            self.log_std = jnp.full((feature_size, *act_space.shape), init)
        else:
            self.log_std_head = eqx.nn.Linear(feature_size, act_size, key=k_std)
            self.log_std = None

    def reset(self, *, key: Key) -> SDEState | None:
        """`None`, or with gSDE an `SDEState` with a fresh exploration seed drawn from `key`."""
        if self.log_std is None:
            return None
        return SDEState(jax.random.bits(key, (), jnp.uint32), jnp.zeros((), jnp.int32))

    def action_distribution(
        self, state: SDEState | None, observation: Any, *, action_mask: Mask = None
    ) -> tuple[SDEState | None, SquashedNormal | SquashedSDENormal]:
        """The squashed Gaussian for `observation` (with gSDE, the `SquashedSDENormal` that
        draws with the state's exploration matrix, and the state one action on).

        Raises:
            ValueError: If an `action_mask` is given (Box actions cannot be masked), or the
                state does not fit `use_sde`.
        """
        if action_mask is not None:
            raise ValueError(f"{self.name}: Box actions cannot be masked")
        features = forward(self.actor, self.observation_space.flatten_sample(observation))
        shape = self.action_space.shape
        mean = linear(self.mean_head, features).reshape(shape)
        low, high = jax.lax.stop_gradient((self.action_space.low, self.action_space.high))
        if self.log_std is None:
            if state is not None:
                raise ValueError(f"{self.name}: without gSDE the state is None, got {state!r}")
            assert self.log_std_head is not None
            raw = linear(self.log_std_head, features).reshape(shape)
            log_std = LOG_STD_MIN + (LOG_STD_MAX - LOG_STD_MIN) * (jnp.tanh(raw) + 1) / 2
            return state, SquashedNormal(mean, jnp.exp(log_std), high=high, low=low)
        if not isinstance(state, SDEState):
            raise ValueError(
                f"{self.name}: with use_sde=True the state must be the SDEState of reset(), "
                f"got {type(state).__name__}"
            )
        period = state.step // self.sde_sample_freq if self.sde_sample_freq > 0 else 0
        noise_key = jax.random.fold_in(jax.random.key(state.seed), period)
        exploration = jax.random.normal(noise_key, self.log_std.shape, self.log_std.dtype)
        dist = SquashedSDENormal(
            SDE_CLIP_MEAN * jnp.tanh(mean / SDE_CLIP_MEAN),
            jax.lax.stop_gradient(features),
            jnp.exp(self.log_std),
            high=high,
            low=low,
            exploration=exploration,
        )
        return SDEState(state.seed, state.step + 1), dist
