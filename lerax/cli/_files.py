"""Where the CLI saves policies and the JSON sidecar that lets `evaluate` rebuild them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jax

from ._registry import POLICIES

SIDECAR_FORMAT = "lerax-policy/1"


def policy_paths(out: str | os.PathLike, num_seeds: int) -> list[Path]:
    """`out` itself for one seed, `out_seed{i}.eqx` for several (`.eqx` appended)."""
    out = Path(out)
    stem = out.with_suffix("") if out.suffix == ".eqx" else out
    if num_seeds == 1:
        return [stem.with_name(stem.name + ".eqx")]
    return [stem.with_name(f"{stem.name}_seed{i}.eqx") for i in range(num_seeds)]


def sidecar_path(policy_path: str | os.PathLike) -> Path:
    """The JSON sidecar next to a policy file: same name, suffix `.json`."""
    path = Path(policy_path)
    if path.suffix != ".eqx":
        path = path.with_name(path.name + ".eqx")
    return path.with_suffix(".json")


def write_sidecar(policy_path: Path, info: dict[str, Any]) -> Path:
    """Write `info` (plus the format tag) next to `policy_path`."""
    path = sidecar_path(policy_path)
    path.write_text(json.dumps({"format": SIDECAR_FORMAT, **info}, indent=2) + "\n")
    return path


def load_policy(policy_path: str | os.PathLike) -> tuple[Any, Any, dict[str, Any]]:
    """Rebuild the environment and the policy saved by `lerax train`.

    Returns:
        `(env, policy, sidecar)`.

    Raises:
        FileNotFoundError: If the policy or its sidecar is missing.
        ValueError: If the sidecar is not one of ours or the file does not match it.
    """
    from ..env import make

    path = Path(policy_path)
    if path.suffix != ".eqx":
        path = path.with_name(path.name + ".eqx")
    side = sidecar_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no policy file {path}")
    if not side.is_file():
        raise FileNotFoundError(
            f"no sidecar {side} next to {path} (both are written by `lerax train`)"
        )
    try:
        info = json.loads(side.read_text())
    except json.JSONDecodeError as e:
        raise ValueError(f"{side}: not valid JSON ({e})") from None
    if not isinstance(info, dict) or info.get("format") != SIDECAR_FORMAT:
        raise ValueError(f"{side}: not a lerax policy sidecar (expected format {SIDECAR_FORMAT!r})")
    cls = POLICIES.get(str(info.get("policy_class")))
    if cls is None:
        known = ", ".join(POLICIES)
        raise ValueError(
            f"{side}: unknown policy class {info.get('policy_class')!r}; known: {known}"
        )
    env = make(info["env_id"])
    policy = cls.deserialize(path, env, key=jax.random.key(0), **info.get("policy_kwargs", {}))
    return env, policy, info
