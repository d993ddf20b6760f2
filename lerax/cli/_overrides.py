"""`--set name=value`: hyperparameter overrides with clear errors."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from ._registry import AlgorithmSpec


class OverrideError(ValueError):
    """A `--set` that cannot be applied."""


def settable(spec: AlgorithmSpec) -> tuple[dict[str, type], dict[str, type]]:
    """The names `--set` accepts: `(algorithm hyperparameters, policy kwargs)` with their types.

    Algorithm hyperparameters are the constructor arguments whose default is a bool, an
    int or a float; arguments holding objects (loss functions, target updates) are left
    out. The constructor's signature is read, so this works for generated dataclass
    constructors (`DQN`) and hand-written keyword-only ones (`PPO`) alike.
    """
    algo: dict[str, type] = {}
    for name, parameter in inspect.signature(spec.algorithm).parameters.items():
        kind = type(parameter.default)
        if kind in (bool, int, float):
            algo[name] = kind
    return algo, dict(spec.policy_kwargs)


def parse_overrides(
    items: Iterable[str], spec: AlgorithmSpec, algo_name: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parse `name=value` strings into `(algorithm kwargs, policy kwargs)`.

    Raises:
        OverrideError: On a malformed item, an unknown name or a value of the wrong type.
    """
    algo_types, policy_types = settable(spec)
    algo: dict[str, Any] = {}
    policy: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise OverrideError(f"--set expects name=value, got {item!r}")
        if name in algo_types:
            algo[name] = _convert(name, text, algo_types[name])
        elif name in policy_types:
            policy[name] = _convert(name, text, policy_types[name])
        else:
            known = ", ".join(sorted(algo_types) + sorted(policy_types))
            raise OverrideError(
                f"--set: unknown hyperparameter {name!r} for {algo_name}; known names: {known}"
            )
    return algo, policy


def _convert(name: str, text: str, kind: type) -> Any:
    if kind is bool:
        lowered = text.lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off"):
            return False
        raise OverrideError(f"--set {name}: expected true or false, got {text!r}")
    try:
        value = float(text)
    except ValueError:
        raise OverrideError(f"--set {name}: expected a number, got {text!r}") from None
    if kind is int:
        if not value.is_integer():
            raise OverrideError(f"--set {name}: expected an integer, got {text!r}")
        return int(value)
    return value


def describe(values: Mapping[str, Any]) -> str:
    """`a=1, b=0.5` for messages."""
    return ", ".join(f"{k}={v}" for k, v in values.items())
