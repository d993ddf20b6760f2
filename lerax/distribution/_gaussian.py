"""Elementwise Gaussian and tanh-squashed Gaussian helpers shared by the normal families."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .._types import Array, Key
from ._utils import LOG_SQRT_2PI, as_float, broadcast, check_finite, check_positive, concrete

# Quadrature rules for the entropy and mean of squashed normals (see `_log_det_and_tanh_means`).
_GH_NODES, _GH_WEIGHTS = np.polynomial.hermite.hermgauss(64)
_GH_WEIGHTS = _GH_WEIGHTS / np.sqrt(np.pi)
_LAG_S, _LAG_W = np.polynomial.laguerre.laggauss(32)
_LAG_X = _LAG_S / 2
_LAG_W_LOGDET = _LAG_W / 2 * np.log1p(np.exp(-2 * _LAG_X)) * np.exp(2 * _LAG_X)
_LAG_W_TANH = _LAG_W / 2 / (1 + np.exp(-2 * _LAG_X))
_LOG_2 = float(np.log(2.0))
_SQRT_2 = float(np.sqrt(2.0))
_SQRT_2_OVER_PI = float(np.sqrt(2.0 / np.pi))
_SQRT_2PI = float(np.sqrt(2.0 * np.pi))


def gaussian_params(name: str, loc: Any, scale: Any, scale_name: str = "scale") -> list[Array]:
    """`loc` and `scale` as float arrays of a common shape, `scale` checked to be > 0."""
    loc = as_float(loc, f"{name}(loc=...)")
    scale = as_float(scale, f"{name}({scale_name}=...)")
    try:
        np.broadcast_shapes(loc.shape, scale.shape)
    except ValueError:
        raise ValueError(
            f"{name}: loc of shape {loc.shape} and {scale_name} of shape {scale.shape} do not "
            "broadcast together"
        ) from None
    check_finite(f"{name}: loc", loc)
    check_positive(f"{name}: {scale_name}", scale)
    return broadcast(name, loc, scale)


def gaussian_log_prob(x: Any, loc: Array, scale: Array) -> Array:
    """Elementwise normal log-density."""
    x, loc, scale = broadcast("log_prob", as_float(x, "value"), loc, scale)
    z = (x - loc) / scale
    return -0.5 * z * z - jnp.log(scale) - LOG_SQRT_2PI


def gaussian_entropy(scale: Array) -> Array:
    """Elementwise normal entropy."""
    return 0.5 + LOG_SQRT_2PI + jnp.log(scale)


def gaussian_sample(key: Key, loc: Array, scale: Array) -> tuple[Array, Array]:
    """A reparameterised draw and its elementwise log-density."""
    eps = jax.random.normal(key, loc.shape, loc.dtype)
    return loc + scale * eps, -0.5 * eps * eps - jnp.log(scale) - LOG_SQRT_2PI


def squash_bounds(name: str, low: Any, high: Any, shape: tuple[int, ...]) -> list[Array]:
    """`low` and `high` broadcast to `shape`, checked finite with ``high > low``."""
    low = as_float(low, f"{name}(low=...)")
    high = as_float(high, f"{name}(high=...)")
    check_finite(f"{name}: low", low)
    check_finite(f"{name}: high", high)
    try:
        low = jnp.broadcast_to(low, shape)
        high = jnp.broadcast_to(high, shape)
    except ValueError as e:
        raise ValueError(
            f"{name}: low {low.shape} and high {high.shape} must broadcast to the shape "
            f"of loc {shape}"
        ) from e
    lo, hi = concrete(low), concrete(high)
    if lo is not None and hi is not None and not (hi > lo).all():
        raise ValueError(f"{name}: high must be > low everywhere, got low={lo}, high={hi}")
    return [low, high]


def squash(x: Array, low: Array, high: Array) -> Array:
    """Map the real line onto ``[low, high]`` with tanh and an affine map."""
    y = low + (high - low) * (jnp.tanh(x) + 1) / 2
    return jnp.clip(y, low, high)


def unsquash(y: Array, low: Array, high: Array) -> Array:
    """The inverse of `squash`; values on (or rounded onto) the bounds move a few ulps inside."""
    u = 2 * (y - low) / (high - low) - 1
    eps = 10 * jnp.finfo(u.dtype).eps
    return jnp.arctanh(jnp.clip(u, -1 + eps, 1 - eps))


def log_det_jacobian(x: Array, low: Array, high: Array) -> Array:
    """``log |d squash / dx|``, stable for large ``|x|``."""
    return jnp.log((high - low) / 2) + 2 * (_LOG_2 - x - jax.nn.softplus(-2 * x))


def squashed_log_prob(y: Any, loc: Array, scale: Array, low: Array, high: Array) -> Array:
    """Elementwise log-density of a squashed normal; `-inf` outside ``[low, high]``.

    Values at (or rounded onto) the bounds are pulled inside by a few ulps so the
    log-density stays finite.
    """
    y, loc, scale, low, high = broadcast("log_prob", as_float(y, "value"), loc, scale, low, high)
    inside = (y >= low) & (y <= high)
    x = unsquash(y, low, high)
    lp = gaussian_log_prob(x, loc, scale) - log_det_jacobian(x, low, high)
    return jnp.where(inside, lp, -jnp.inf)


def squashed_sample(
    key: Key, loc: Array, scale: Array, low: Array, high: Array
) -> tuple[Array, Array]:
    """A reparameterised squashed draw and its elementwise log-density."""
    x, lp = gaussian_sample(key, loc, scale)
    return squash(x, low, high), lp - log_det_jacobian(x, low, high)


def _log_det_and_tanh_means(loc: Array, scale: Array) -> tuple[Array, Array]:
    """``E[log(1 - tanh(x)^2)]`` and ``E[tanh(x)]`` for ``x ~ N(loc, scale)``, elementwise.

    For ``scale < 1`` the integrands are smooth on the scale of the Gaussian and a 64-node
    Gauss-Hermite rule is exact to ~1e-10. For wider Gaussians, Gauss-Hermite would need many
    nodes to resolve the unit-width bend of tanh, so the exact expectations of
    ``-2|x|`` and ``sign(x)`` (folded normal) are used and the remaining terms, which decay
    like ``exp(-2|x|)``, are integrated with a 32-node Gauss-Laguerre rule (error ~1e-10 in
    float64; float32 round-off dominates).
    """
    narrow = scale < 1
    dtype = loc.dtype
    # Gauss-Hermite, on a scale clamped below 1 (the other branch is selected otherwise).
    s = jnp.where(narrow, scale, 0.5)
    expand = (1,) * loc.ndim + (-1,)
    nodes = jnp.asarray(_GH_NODES, dtype).reshape(expand)
    weights = jnp.asarray(_GH_WEIGHTS, dtype).reshape(expand)
    x = loc[..., None] + _SQRT_2 * s[..., None] * nodes
    gh_logdet = jnp.sum(weights * 2 * (_LOG_2 - x - jax.nn.softplus(-2 * x)), axis=-1)
    gh_tanh = jnp.sum(weights * jnp.tanh(x), axis=-1)
    # Folded-normal terms plus Gauss-Laguerre remainders, on a scale clamped above 1.
    s = jnp.where(narrow, 1.0, scale)
    z = loc / s
    mean_abs = s * _SQRT_2_OVER_PI * jnp.exp(-0.5 * z * z) + loc * (
        1 - 2 * jax.scipy.special.ndtr(-z)
    )
    mean_sign = 1 - 2 * jax.scipy.special.ndtr(-z)
    lag_x = jnp.asarray(_LAG_X, dtype).reshape(expand)

    def pdf(v: Array) -> Array:
        u = (v - loc[..., None]) / s[..., None]
        return jnp.exp(-0.5 * u * u) / (s[..., None] * _SQRT_2PI)

    plus, minus = pdf(lag_x), pdf(-lag_x)
    rem_logdet = jnp.sum(
        jnp.asarray(_LAG_W_LOGDET, dtype).reshape(expand) * (plus + minus), axis=-1
    )
    rem_tanh = jnp.sum(jnp.asarray(_LAG_W_TANH, dtype).reshape(expand) * (plus - minus), axis=-1)
    lag_logdet = 2 * _LOG_2 - 2 * mean_abs - 2 * rem_logdet
    lag_tanh = mean_sign - 2 * rem_tanh
    return jnp.where(narrow, gh_logdet, lag_logdet), jnp.where(narrow, gh_tanh, lag_tanh)


def squashed_entropy(loc: Array, scale: Array, low: Array, high: Array) -> Array:
    """Elementwise entropy of a squashed normal: ``H(N) + E[log |d squash / dx|]``."""
    logdet, _ = _log_det_and_tanh_means(loc, scale)
    return gaussian_entropy(scale) + jnp.log((high - low) / 2) + logdet


def squashed_mean(loc: Array, scale: Array, low: Array, high: Array) -> Array:
    """Elementwise mean of a squashed normal."""
    _, tanh_mean = _log_det_and_tanh_means(loc, scale)
    return low + (high - low) * (tanh_mean + 1) / 2
