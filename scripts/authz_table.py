"""Write docs/authorization.md from the policy table (slipstream/transport/policy.py).

.venv/bin/python scripts/authz_table.py          # regenerate
.venv/bin/python scripts/authz_table.py --check  # exit 1, printing a diff, when the file is stale
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from slipstream.transport import policy

DOC = Path(__file__).resolve().parent.parent / "docs" / "authorization.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    wanted = policy.render_markdown()
    if not args.check:
        DOC.write_text(wanted)
        return 0
    current = DOC.read_text() if DOC.exists() else ""
    if current == wanted:
        return 0
    sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), wanted.splitlines(True), str(DOC), "policy"))
    print("docs/authorization.md is stale: run scripts/authz_table.py", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
