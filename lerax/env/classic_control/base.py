"""What the classic-control environments share.

`AbstractClassicControlEnv` adds to `AbstractEnv` the optional diffrax integration
(`solver=` / `stepsize_controller=`) and rendering (`render` clears the frame, calls the
environment's `draw`, and shows it). The helpers below
check constructor arguments and actions with messages that name the offending argument.
"""

# No `from __future__ import annotations`: Equinox only recognises `eqx.AbstractVar`
# annotations that are not strings.
import abc
import math
from collections.abc import Callable
from typing import Any, TypeVar

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jax.core import Tracer
from jaxtyping import ArrayLike, Real

from ..._types import Array, Float, Int
from ...render import Abstract2DRenderer, AbstractRenderer, PygameRenderer, Transform
from ..base import AbstractEnv, AbstractEnvState

StateType = TypeVar("StateType", bound=AbstractEnvState)
ActType = TypeVar("ActType")

ParamLike = Real[ArrayLike, ""]
"""A scalar physical parameter as given to a constructor: a Python or NumPy number, or 0-d array."""

VectorField = Callable[[Any, Float[Array, " n"], Any], Float[Array, " n"]]


class AbstractClassicControlEnv(AbstractEnv[StateType, ActType, Float[Array, " obs"], None]):
    """A classic-control environment: a small ODE advanced by a fixed time step per action.

    With `solver=None` an environment uses Gymnasium's own integration scheme, so it
    reproduces Gymnasium step by step. With a diffrax `solver`, the continuous-time vector
    field is integrated over one time step by `diffrax.diffeqsolve` (constant steps of the
    environment's `dt` unless a `stepsize_controller` is given).
    """

    solver: eqx.AbstractVar[diffrax.AbstractSolver | None]
    stepsize_controller: eqx.AbstractVar[diffrax.AbstractStepSizeController | None]

    def solve(
        self, vector_field: VectorField, y0: Float[Array, " n"], args: Any, dt: Float[ArrayLike, ""]
    ) -> Float[Array, " n"]:
        """Integrate `dy/dt = vector_field(t, y, args)` from `y0` over `[0, dt]` with `solver`."""
        assert self.solver is not None, "solve is only used when a solver is set"
        controller = self.stepsize_controller
        if controller is None:
            controller = diffrax.ConstantStepSize()
        dt = jnp.asarray(dt, jnp.float32)
        solution = diffrax.diffeqsolve(
            diffrax.ODETerm(vector_field),
            self.solver,
            t0=jnp.zeros_like(dt),
            t1=dt,
            dt0=dt,
            y0=y0,
            args=args,
            saveat=diffrax.SaveAt(t1=True),
            stepsize_controller=controller,
        )
        assert solution.ys is not None
        return solution.ys[0]

    render_fps: eqx.AbstractClassVar[float]
    """Frames per second of a real-time replay (Gymnasium's `metadata["render_fps"]`)."""

    @abc.abstractmethod
    def render_transform(self) -> Transform:
        """The canvas size and world-to-pixel map of `default_renderer()` (Gymnasium's)."""

    @abc.abstractmethod
    def draw(self, state: StateType, renderer: Abstract2DRenderer) -> None:
        """Draw the scene of `state` (world coordinates) on a cleared frame of `renderer`."""

    def render(self, state: StateType, renderer: AbstractRenderer) -> None:
        """Draw `state` as one frame of `renderer`, as Gymnasium draws this environment.

        Raises:
            TypeError: If `renderer` is not a 2-D renderer, or `state` is traced (render
                on the host, outside `jax.jit`).
        """
        if not isinstance(renderer, Abstract2DRenderer):
            raise TypeError(
                f"{self.name}: render needs a 2-D renderer such as "
                f"lerax.render.HeadlessPygameRenderer, got {type(renderer).__name__}"
            )
        if any(isinstance(leaf, Tracer) for leaf in jax.tree.leaves(state)):
            raise TypeError(
                f"{self.name}: render runs on the host and cannot be called inside jax.jit or "
                "jax.vmap; return the states from the compiled function and render them after"
            )
        renderer.clear()
        self.draw(state, renderer)
        renderer.draw()

    def default_renderer(self) -> PygameRenderer:
        """A window the size Gymnasium's is, with its world-to-pixel map and frame rate."""
        transform = self.render_transform()
        return PygameRenderer(
            transform.width,
            transform.height,
            transform=transform,
            fps=self.render_fps,
            title=self.name,
        )


def check_integrator(
    env: str, solver: Any, stepsize_controller: Any
) -> tuple[diffrax.AbstractSolver | None, diffrax.AbstractStepSizeController | None]:
    """Validate the `solver` / `stepsize_controller` constructor arguments."""
    if solver is not None and not isinstance(solver, diffrax.AbstractSolver):
        raise TypeError(
            f"{env}: solver must be None (Gymnasium's integrator) or a diffrax solver such as "
            f"diffrax.Tsit5(), got {solver!r}"
        )
    if stepsize_controller is not None:
        if solver is None:
            raise ValueError(
                f"{env}: stepsize_controller only applies with a diffrax solver; pass solver= too"
            )
        if not isinstance(stepsize_controller, diffrax.AbstractStepSizeController):
            raise TypeError(
                f"{env}: stepsize_controller must be a diffrax step-size controller such as "
                f"diffrax.PIDController(rtol=1e-6, atol=1e-6), got {stepsize_controller!r}"
            )
    return solver, stepsize_controller


def param(
    env: str, name: str, value: Any, *, positive: bool = False, nonnegative: bool = False
) -> Float[Array, ""]:
    """Check a scalar physical parameter and store it as a `float32` array leaf.

    A traced value (an environment built inside `jit` or `vmap`, e.g. to sweep a parameter)
    is accepted after checking its shape and dtype only; its value cannot be inspected.
    """
    if isinstance(value, Tracer):
        real = jnp.issubdtype(value.dtype, jnp.floating) or jnp.issubdtype(value.dtype, jnp.integer)
        if value.shape != () or not real:
            raise TypeError(
                f"{env}: {name} must be a real scalar, got a traced array of shape "
                f"{value.shape} and dtype {value.dtype}"
            )
        return value.astype(jnp.float32)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{env}: {name} must be a real number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{env}: {name} must be finite, got {number}")
    if positive and not number > 0:
        raise ValueError(f"{env}: {name} must be > 0, got {number}")
    if nonnegative and not number >= 0:
        raise ValueError(f"{env}: {name} must be >= 0, got {number}")
    return jnp.asarray(number, jnp.float32)


def check_less(env: str, low_name: str, low: ParamLike, high_name: str, high: ParamLike) -> None:
    """Raise unless `low < high` (traced values, under `jit` or `vmap`, are not checked)."""
    if isinstance(low, Tracer) or isinstance(high, Tracer):
        return
    # Compared on the host, so that building an environment inside `jit` stages nothing.
    low, high = np.asarray(low)[()], np.asarray(high)[()]
    if not low < high:
        raise ValueError(f"{env}: {low_name} must be < {high_name}, got {low!s} and {high!s}")


def discrete_action(env: str, action: Any, n: int) -> Int[Array, ""]:
    """Check that `action` is an integer scalar and clip it into `0, ..., n - 1`."""
    action = jnp.asarray(action)
    if action.shape != ():
        raise ValueError(
            f"{env}: action must be an integer scalar in 0..{n - 1}, got shape {action.shape}"
        )
    if not jnp.issubdtype(action.dtype, jnp.integer):
        raise TypeError(f"{env}: action must be an integer scalar, got dtype {action.dtype}")
    return jnp.clip(action, 0, n - 1)


def box_action(env: str, action: Any) -> Float[Array, ""]:
    """Check that `action` is a shape-`(1,)` array and return its single element."""
    action = jnp.asarray(action, jnp.float32)
    if action.shape != (1,):
        raise ValueError(f"{env}: action must have shape (1,), got shape {action.shape}")
    return action[0]


def host_vector(state_y: Float[ArrayLike, " n"]) -> Float[np.ndarray, " n"]:
    """A state vector fetched to the host as `float64` NumPy (for drawing)."""
    return np.asarray(jax.device_get(state_y), np.float64)
