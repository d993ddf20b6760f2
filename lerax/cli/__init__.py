"""The `lerax` command line: `lerax train`, `lerax evaluate`, `lerax inspect`, `lerax export`.

Run `lerax --help` or `lerax COMMAND --help`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import _evaluate, _export, _inspect, _train


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The argument parser of the `lerax` command and its subcommands' parsers."""
    parser = argparse.ArgumentParser(
        prog="lerax", description="Deep reinforcement learning in JAX."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = {
        "train": _train.add_parser(subparsers),
        "evaluate": _evaluate.add_parser(subparsers),
        "inspect": _inspect.add_parser(subparsers),
        "export": _export.add_parser(subparsers),
    }
    return parser, commands


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `lerax` command with `argv` (default: `sys.argv[1:]`); returns the exit status.

    Usage errors print a message and raise `SystemExit(2)`, as with any argparse program.
    """
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    return args.run(args, commands[args.command])


__all__ = ["build_parser", "main"]
