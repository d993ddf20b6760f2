"""The tanh-then-affine bijector of the squashed distributions."""

from __future__ import annotations

from typing import Any, final

from jaxtyping import ArrayLike, Real

from .._types import Array, Float
from ._gaussian import log_det_jacobian, squash, unsquash
from ._utils import as_float, broadcast, check_finite, concrete
from .base import AbstractBijector


@final
class SquashBijector(AbstractBijector):
    """``low + (high - low) * (tanh(x) + 1) / 2``: tanh, then an affine map onto ``[low, high]``.

    The map of `SquashedNormal` and `SquashedMultivariateNormalDiag`. `forward` clips its
    result into ``[low, high]`` (tanh rounds to ±1 in float32 for ``|x| > 9``), `inverse`
    pulls values on (or rounded onto) the bounds a few ulps inside so it stays finite, and
    `forward_log_det_jacobian` is computed stably for large ``|x|``
    (``log(1 - tanh(x)^2) = 2 (log 2 - x - softplus(-2x))``).

    Args:
        low: Lower bound(s).
        high: Upper bound(s), broadcasting with `low`, with ``low < high``.

    Raises:
        ValueError: If the bounds do not broadcast, or concrete bounds are not finite with
            ``low < high``.

    Example:
        >>> bijector = SquashBijector(low=jnp.array(-2.0), high=jnp.array(3.0))
        >>> y = bijector.forward(jnp.array(0.5))  # in (-2, 3)
        >>> x = bijector.inverse(y)  # 0.5 again
    """

    low: Float[Array, "*shape"]
    high: Float[Array, "*shape"]

    def __init__(self, low: Real[ArrayLike, "..."] = -1.0, high: Real[ArrayLike, "..."] = 1.0):
        name = "SquashBijector"
        low = as_float(low, f"{name}(low=...)")
        low, high = broadcast(name, low, as_float(high, f"{name}(high=...)"))
        check_finite(f"{name}: low", low)
        check_finite(f"{name}: high", high)
        lo, hi = concrete(low), concrete(high)
        if lo is not None and hi is not None and not (hi > lo).all():
            raise ValueError(f"{name}: high must be > low everywhere, got low={lo}, high={hi}")
        self.low, self.high = low, high

    def _with_bounds(self, name: str, x: Any) -> list[Array]:
        return broadcast(f"SquashBijector.{name}", as_float(x, name), self.low, self.high)

    def forward(self, x: Real[ArrayLike, "..."]) -> Float[Array, "..."]:
        return squash(*self._with_bounds("forward", x))

    def inverse(self, y: Real[ArrayLike, "..."]) -> Float[Array, "..."]:
        return unsquash(*self._with_bounds("inverse", y))

    def forward_log_det_jacobian(self, x: Real[ArrayLike, "..."]) -> Float[Array, "..."]:
        return log_det_jacobian(*self._with_bounds("forward_log_det_jacobian", x))
