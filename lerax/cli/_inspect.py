"""`lerax inspect`: what a saved file records about itself, without loading its arrays."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..serialization import read_metadata


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "inspect",
        help="what a saved policy or checkpoint records (class, versions, hyperparameters)",
        description=(
            "Print, as JSON, what a file written by lerax records about itself: the saved "
            "class, the lerax, jax and equinox versions, the structural fingerprint and, "
            "for a training checkpoint, the algorithm and its hyperparameters. The arrays "
            "are not loaded; the file's integrity digest is checked."
        ),
    )
    parser.add_argument("path", help="a .eqx file written by lerax")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        info = read_metadata(args.path)
    except (OSError, ValueError) as e:
        parser.exit(1, f"lerax inspect: {e}\n")
    print(json.dumps(info, indent=2, sort_keys=True))
    return 0
