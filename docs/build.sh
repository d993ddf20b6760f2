#!/usr/bin/env bash
# Build the documentation site into site/ and check it.
# `--strict` fails on any warning (a docstring that does not parse, a documented parameter
# missing from the signature, a broken link). Needs the `docs` extra: pip install -e ".[docs]"
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
"$PYTHON" -m mkdocs build --strict "$@"
"$PYTHON" docs/check_site.py
