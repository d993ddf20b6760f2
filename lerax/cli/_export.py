"""`lerax export`: write a policy saved by `lerax train` as an ONNX model."""

from __future__ import annotations

import argparse
from typing import Any

from ..export import to_onnx
from ._files import load_policy


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="write a saved policy's deterministic action as an ONNX model",
        description=(
            "Rebuild a policy saved by `lerax train` (from its JSON sidecar) and write its "
            "deterministic action as an ONNX model: input 'observation' (float32, "
            "[batch, *observation shape]), output 'action'. Needs the onnx package "
            '(pip install "lerax[onnx]").'
        ),
    )
    parser.add_argument("path", help="policy file written by `lerax train` (.eqx)")
    parser.add_argument("--onnx", required=True, metavar="OUT", help="ONNX file to write")
    parser.add_argument("--opset", type=int, default=21, help="ONNX opset version (default: 21)")
    parser.add_argument(
        "--model-name",
        default="lerax_policy",
        help="name of the ONNX graph (default: lerax_policy)",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        _, policy, info = load_policy(args.path)
    except (FileNotFoundError, ValueError) as e:
        parser.error(str(e))
    try:
        model = to_onnx(policy, output_path=args.onnx, model_name=args.model_name, opset=args.opset)
    except (ImportError, ValueError, NotImplementedError, OSError) as e:
        parser.exit(1, f"lerax export: {e}\n")
    print(
        f"{info['env_id']}: {info['policy_class']} -> {args.onnx} "
        f"({len(model.graph.node)} ONNX nodes, opset {args.opset})"
    )
    return 0
