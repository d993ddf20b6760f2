"""`lerax evaluate`: greedy mean return of a policy saved by `lerax train`."""

from __future__ import annotations

import argparse
from typing import Any

from ._evaluation import greedy_return
from ._files import load_policy


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "evaluate",
        help="greedy mean return of a saved policy",
        description=(
            "Rebuild a policy saved by `lerax train` (from its JSON sidecar) and print its "
            "greedy mean return."
        ),
    )
    parser.add_argument("path", help="policy file written by `lerax train` (.eqx)")
    parser.add_argument(
        "--episodes", type=int, default=10, help="evaluation episodes (default: 10)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed of the episodes (default: 0)"
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.episodes < 1:
        parser.error(f"--episodes must be at least 1, got {args.episodes}")
    try:
        env, policy, info = load_policy(args.path)
    except (FileNotFoundError, ValueError) as e:
        parser.error(str(e))
    mean = greedy_return(env, policy, episodes=args.episodes, seed=args.seed)
    print(f"{info['env_id']}: greedy mean return {mean:.2f} over {args.episodes} episodes")
    return 0
