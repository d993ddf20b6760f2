"""Check the built site: the AbstractQPolicy reference shows every member it must.

Run after `mkdocs build` (docs/build.sh does); exits non-zero with a message on failure.
"""

import re
import sys
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "site" / "api" / "policy" / "index.html"
CLASS = "lerax.policy.AbstractQPolicy"
ATTRIBUTES = ["name", "action_space", "observation_space", "epsilon"]
METHODS = ["serialize", "deserialize", "reset", "q_values", "__call__"]
SECTIONS = ["Parameters:", "Returns:", "Raises:"]


def main() -> int:
    html = PAGE.read_text()
    members = ATTRIBUTES + METHODS
    starts = {}
    for m in members:
        match = re.search(rf'id="{re.escape(CLASS)}\.{re.escape(m)}"', html)
        if match is None:
            print(f"{PAGE}: {CLASS}.{m} is not documented", file=sys.stderr)
            return 1
        starts[m] = match.start()
    order = sorted(members, key=starts.__getitem__)
    errors = []
    for i, m in enumerate(order):
        end = starts[order[i + 1]] if i + 1 < len(order) else html.find("</article>", starts[m])
        text = re.sub(r"<[^>]+>", "", html[starts[m] : end])
        if m in METHODS:
            errors += [f"{CLASS}.{m} has no {s!r} section" for s in SECTIONS if s not in text]
        elif not re.search(r"\w+ \w+", text.split(":", 1)[-1]):
            errors.append(f"{CLASS}.{m} has no description")
    for e in errors:
        print(f"{PAGE}: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
