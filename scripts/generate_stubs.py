"""Regenerate generated/ from proto/: the Python stubs and the TypeScript stubs, compiled.

Python (grpcio-tools and mypy-protobuf, pinned in pyproject.toml): messages, gRPC stubs and .pyi
type stubs in generated/python/slipstream_api. protoc writes `from slipstream.v1 import x_pb2`,
which would clash with our own `slipstream` package. The stubs therefore live in the package
`slipstream_api` and their imports are rewritten after generation (the temporalio/sdk-python
approach).

TypeScript (ts-proto and typescript, pinned in package.json; `npm ci` installs them): messages and
@grpc/grpc-js services and clients in generated/typescript, compiled by tsc into
generated/typescript/lib (.js and .d.ts) so that plain `node` can require them, and
generated/typescript/descriptors.binpb, protoc's own descriptors of every file and its imports, for
server reflection.

Usage: python scripts/generate_stubs.py [--check]
--check regenerates into a temporary folder and exits 1, printing the diff, when generated/python
or generated/typescript differs from a fresh generation.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "proto"
GENERATED = ROOT / "generated"
PACKAGE = "slipstream_api"
PYTHON_OUTPUT = Path("python") / PACKAGE
TYPESCRIPT_OUTPUT = Path("typescript")
# The trees this script owns, relative to generated/; --check compares exactly these.
OUTPUTS = (PYTHON_OUTPUT, TYPESCRIPT_OUTPUT)
# Module references only: import lines, and quoted module names such as 'slipstream.v1.common_pb2'.
# The serialized descriptors must keep the proto package name slipstream.v1 untouched.
_MODULE_REFERENCE = re.compile(r"(?m)^(\s*(?:from|import) )slipstream\.v1\b|(['\"])slipstream\.v1(\.\w+_pb2)")
_TYPE_REFERENCE = re.compile(r"\bslipstream\.v1\.(\w+_pb2)\b")
_PACKAGE_DOC = '"""Generated from proto/slipstream/v1 by scripts/generate_stubs.py; do not edit."""\n'

TS_PROTO_OPTIONS = ",".join(
    (
        "outputServices=grpc-js",
        "esModuleInterop=true",
        "env=node",
        # Messages look like the proto and like the Python stubs: fields keep their proto names
        # (toJSON/fromJSON still speak proto3 JSON), int64 is a decimal string, an enum value its
        # name, a Timestamp {seconds, nanos} (a Date would cut it to milliseconds).
        "snakeToCamel=false",
        "forceLong=string",
        "stringEnums=true",
        "useDate=false",
    )
)
# lib, not dist: the repository's .gitignore keeps dist/ folders out of git.
TS_COMPILED = "lib"
TSC_OPTIONS = (
    "--declaration",
    "--strict",
    "--newLine",
    "lf",
    "--target",
    "es2022",
    "--module",
    "node20",
    "--types",
    "node",
)
DESCRIPTOR_SET = "descriptors.binpb"


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


def _node_tool(name: str) -> str:
    """Find a command of the pinned Node tooling in node_modules/.bin."""
    found = ROOT / "node_modules" / ".bin" / name
    if not found.exists():
        raise SystemExit(f"{name} not found: install the Node tooling (npm ci)")
    return str(found)


def _protoc(*args: str) -> None:
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    well_known = str(resources.files("grpc_tools") / "_proto")
    if protoc.main(["protoc", f"-I{PROTO_ROOT}", f"-I{well_known}", *args, *protos]) != 0:
        raise SystemExit("protoc failed")


def _generate_python(package_root: Path) -> None:
    with tempfile.TemporaryDirectory() as raw:
        _protoc(
            f"--plugin=protoc-gen-mypy={_plugin('protoc-gen-mypy')}",
            f"--plugin=protoc-gen-mypy_grpc={_plugin('protoc-gen-mypy_grpc')}",
            f"--python_out={raw}",
            f"--grpc_python_out={raw}",
            f"--mypy_out=quiet:{raw}",
            f"--mypy_grpc_out=quiet:{raw}",
        )
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


def _generate_typescript(output: Path) -> None:
    with tempfile.TemporaryDirectory() as raw:
        staging = Path(raw)
        _protoc(
            f"--plugin=protoc-gen-ts_proto={_node_tool('protoc-gen-ts_proto')}",
            f"--ts_proto_out={staging}",
            f"--ts_proto_opt={TS_PROTO_OPTIONS}",
            f"--descriptor_set_out={staging / DESCRIPTOR_SET}",
            "--include_imports",
        )
        sources = sorted(str(p.relative_to(staging)) for p in staging.rglob("*.ts"))
        # Compiled in place with relative paths, so nothing absolute reaches the output; the link
        # lets tsc resolve @grpc/grpc-js, @bufbuild/protobuf and @types/node as from generated/.
        (staging / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
        compiled = subprocess.run(
            [_node_tool("tsc"), *TSC_OPTIONS, "--rootDir", ".", "--outDir", TS_COMPILED, *sources],
            cwd=staging,
            capture_output=True,
            text=True,
        )
        if compiled.returncode != 0:
            raise SystemExit(f"tsc failed:\n{compiled.stdout}{compiled.stderr}")
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(staging, output, ignore=shutil.ignore_patterns("node_modules"))


def generate(generated: Path) -> None:
    """Write every stub for every proto file under proto/ into generated/python and generated/typescript."""
    _generate_python(generated / PYTHON_OUTPUT)
    _generate_typescript(generated / TYPESCRIPT_OUTPUT)


def _tree(generated: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(generated)): p.read_bytes()
        for output in OUTPUTS
        for p in sorted((generated / output).rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _print_diff(name: str, committed: bytes, fresh: bytes) -> None:
    try:
        old, new = committed.decode(), fresh.decode()
    except UnicodeDecodeError:
        print(f"Binary files committed/{name} and fresh/{name} differ")
        return
    sys.stdout.writelines(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"committed/{name}", f"fresh/{name}"
        )
    )


def check() -> int:
    """Return 0 when generated/ matches a fresh generation, else print the diff and return 1."""
    with tempfile.TemporaryDirectory() as fresh:
        generate(Path(fresh))
        expected = _tree(Path(fresh))
    actual = _tree(GENERATED)
    if expected == actual:
        return 0
    for name in sorted(set(expected) | set(actual)):
        if expected.get(name) != actual.get(name):
            _print_diff(name, actual.get(name, b""), expected.get(name, b""))
    print("generated/ is stale: run `python scripts/generate_stubs.py` and commit the result.")
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail with a diff when generated/ is stale")
    if parser.parse_args().check:
        return check()
    generate(GENERATED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
