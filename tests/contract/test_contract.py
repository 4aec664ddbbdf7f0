"""The contract's hygiene: generated stubs are fresh, buf lint is clean, every field is documented."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from support import REPO_ROOT


def test_generated_python_matches_a_fresh_generation() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "generate_stubs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_buf_lint_is_clean() -> None:
    buf = REPO_ROOT / "node_modules" / ".bin" / "buf"
    if not buf.exists():
        pytest.fail("buf is missing: run `npm ci` (the test command does)")
    result = subprocess.run([str(buf), "lint"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("proto", sorted(p.name for p in (REPO_ROOT / "proto" / "slipstream" / "v1").glob("*.proto")))
def test_every_field_and_value_has_a_comment(proto: str) -> None:
    lines = (REPO_ROOT / "proto" / "slipstream" / "v1" / proto).read_text().splitlines()
    declaration = re.compile(
        r"^\s*(?!option|reserved|rpc|message|enum|service|syntax|package|import)[\w.<>, ]+\s+\w+\s*=\s*\d+;"
    )
    undocumented = [
        f"{proto}:{number + 1}: {line.strip()}"
        for number, line in enumerate(lines)
        if declaration.match(line) and not lines[number - 1].strip().startswith("//")
    ]
    assert undocumented == []


def test_numeric_fields_name_their_unit() -> None:
    """A double or int field's comment must say what it counts or measures."""
    units = re.compile(
        r"USD|bps|fraction|ratio|probability|base-asset units|same unit as|annualised|annualized|seconds|version|count"
        r"|number|sequence|Polls|>= ?\d",
        re.I,
    )
    missing = []
    for path in (REPO_ROOT / "proto" / "slipstream" / "v1").glob("*.proto"):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if not re.match(r"^\s*(double|float|int32|int64)\s+\w+\s*=", line):
                continue
            comment, above = [], number - 1
            while above >= 0 and lines[above].strip().startswith("//"):
                comment.append(lines[above])
                above -= 1
            if not units.search(" ".join(comment)):
                missing.append(f"{path.name}:{number + 1}: {line.strip()}")
    assert missing == []


def test_node_tooling_is_pinned() -> None:
    assert shutil.which("node"), "Node.js 20 is required"
    package = (REPO_ROOT / "package.json").read_text()
    assert re.search(r'"@bufbuild/buf": "\d+\.\d+\.\d+"', package)
