"""`lerax evaluate`: greedy mean return of a policy saved by `lerax train`, and its video."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._evaluation import greedy_return
from ._files import load_policy
from ._video import record_greedy_episode


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "evaluate",
        help="greedy mean return of a saved policy",
        description=(
            "Rebuild a policy saved by `lerax train` (from its JSON sidecar) and print its "
            "greedy mean return. With --video, also record one greedy episode as an mp4 "
            '(needs pip install "lerax[render]").'
        ),
    )
    parser.add_argument("path", help="policy file written by `lerax train` (.eqx)")
    parser.add_argument(
        "--episodes", type=int, default=10, help="evaluation episodes (default: 10)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed of the episodes (default: 0)"
    )
    parser.add_argument(
        "--video",
        metavar="FILE",
        default=None,
        help="also write a video of one greedy episode (seeded by --seed) to FILE (.mp4)",
    )
    parser.add_argument(
        "--video-max-steps",
        type=int,
        default=1000,
        help="longest video, in environment steps (default: 1000)",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.episodes < 1:
        parser.error(f"--episodes must be at least 1, got {args.episodes}")
    if args.video_max_steps < 1:
        parser.error(f"--video-max-steps must be at least 1, got {args.video_max_steps}")
    if args.video is not None and not Path(args.video).parent.is_dir():
        parser.error(f"--video: the folder of {args.video} does not exist")
    try:
        env, policy, info = load_policy(args.path)
    except (FileNotFoundError, ValueError) as e:
        parser.error(str(e))
    mean = greedy_return(env, policy, episodes=args.episodes, seed=args.seed)
    print(f"{info['env_id']}: greedy mean return {mean:.2f} over {args.episodes} episodes")
    if args.video is not None:
        try:
            frames = record_greedy_episode(
                env, policy, args.video, seed=args.seed, max_steps=args.video_max_steps
            )
        except (ImportError, NotImplementedError, RuntimeError, TypeError) as e:
            parser.error(f"--video: {e}")
        print(f"{info['env_id']}: wrote {frames} frames to {args.video}")
    return 0
