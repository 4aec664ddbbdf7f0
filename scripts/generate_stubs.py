"""Regenerate generated/python from proto/ (messages, gRPC stubs and .pyi type stubs).

protoc writes `from slipstream.v1 import x_pb2`, which would clash with our own `slipstream`
package. The stubs therefore live in the package `slipstream_api` and their imports are
rewritten after generation (the temporalio/sdk-python approach).

Usage: python scripts/generate_stubs.py [--check]
--check regenerates into a temporary folder and exits 1, printing the diff, when
generated/python differs from a fresh generation.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "proto"
OUTPUT_ROOT = ROOT / "generated" / "python"
PACKAGE = "slipstream_api"
# Module references only: import lines, and quoted module names such as 'slipstream.v1.common_pb2'.
# The serialized descriptors must keep the proto package name slipstream.v1 untouched.
_MODULE_REFERENCE = re.compile(r"(?m)^(\s*(?:from|import) )slipstream\.v1\b|(['\"])slipstream\.v1(\.\w+_pb2)")
_TYPE_REFERENCE = re.compile(r"\bslipstream\.v1\.(\w+_pb2)\b")
_PACKAGE_DOC = '"""Generated from proto/slipstream/v1 by scripts/generate_stubs.py; do not edit."""\n'


def _rewrite(text: str, *, stub: bool) -> str:
    """Point module references at slipstream_api.v1; in .pyi files also the dotted type names."""

    def module(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return f"{match.group(1)}{PACKAGE}.v1"
        return f"{match.group(2)}{PACKAGE}.v1{match.group(3)}"

    text = _MODULE_REFERENCE.sub(module, text)
    return _TYPE_REFERENCE.sub(rf"{PACKAGE}.v1.\1", text) if stub else text


def _plugin(name: str) -> str:
    """Find a mypy-protobuf plugin beside this interpreter, so an unactivated venv works."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install the dev extras (pip install -e '.[dev]')")
    return found


def generate(destination: Path) -> None:
    """Write the stubs for every proto file under proto/ into destination/slipstream_api."""
    with tempfile.TemporaryDirectory() as raw:
        protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
        well_known = str(resources.files("grpc_tools") / "_proto")
        args = [
            "protoc",
            f"-I{PROTO_ROOT}",
            f"-I{well_known}",
            f"--plugin=protoc-gen-mypy={_plugin('protoc-gen-mypy')}",
            f"--plugin=protoc-gen-mypy_grpc={_plugin('protoc-gen-mypy_grpc')}",
            f"--python_out={raw}",
            f"--grpc_python_out={raw}",
            f"--mypy_out=quiet:{raw}",
            f"--mypy_grpc_out=quiet:{raw}",
            *protos,
        ]
        if protoc.main(args) != 0:
            raise SystemExit("protoc failed")
        package_root = destination / PACKAGE
        if package_root.exists():
            shutil.rmtree(package_root)
        for source in sorted(Path(raw).rglob("*.py*")):
            relative = source.relative_to(Path(raw) / "slipstream")
            target = package_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_rewrite(source.read_text(), stub=source.suffix == ".pyi"))
        for folder in [package_root, *[p for p in package_root.rglob("*") if p.is_dir()]]:
            (folder / "__init__.py").write_text(_PACKAGE_DOC)
        (package_root / "py.typed").write_text("")


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def check() -> int:
    """Return 0 when generated/python matches a fresh generation, else print the diff and return 1."""
    with tempfile.TemporaryDirectory() as fresh:
        generate(Path(fresh))
        expected = _tree(Path(fresh) / PACKAGE)
    actual = _tree(OUTPUT_ROOT / PACKAGE) if (OUTPUT_ROOT / PACKAGE).exists() else {}
    if expected == actual:
        return 0
    for name in sorted(set(expected) | set(actual)):
        if expected.get(name) != actual.get(name):
            sys.stdout.writelines(
                difflib.unified_diff(
                    actual.get(name, "").splitlines(keepends=True),
                    expected.get(name, "").splitlines(keepends=True),
                    f"committed/{name}",
                    f"fresh/{name}",
                )
            )
    print("generated/python is stale: run `python scripts/generate_stubs.py` and commit the result.")
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail with a diff when generated/ is stale")
    if parser.parse_args().check:
        return check()
    generate(OUTPUT_ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
