"""The committed TypeScript stubs (compiled JavaScript in generated/typescript/lib) cover the whole
contract, as the Python stubs see it, and write the same messages as the Python stubs."""

from __future__ import annotations

import base64
import importlib
import json
import pkgutil
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import descriptor, duration_pb2, timestamp_pb2
from google.protobuf.message import Message
from slipstream_api import v1
from slipstream_api.v1 import common_pb2, constitution_pb2, gateway_pb2
from support import REPO_ROOT

COMPILED = REPO_ROOT / "generated" / "typescript" / "lib"
FILES: list[descriptor.FileDescriptor] = sorted(
    (
        importlib.import_module(f"{v1.__name__}.{module.name}").DESCRIPTOR
        for module in pkgutil.iter_modules(v1.__path__)
        if module.name.endswith("_pb2")
    ),
    key=lambda file: file.name,
)

# Sorts each compiled module's exports by kind: messages (with encode/decode), gRPC service
# definitions (method -> path), clients (constructors carrying their service) and enums (names).
_LIST_EXPORTS = r"""
const out = {};
for (const file of process.argv.slice(1)) {
  const found = { messages: [], services: {}, clients: [], enums: {} };
  for (const [name, value] of Object.entries(require(file))) {
    if (typeof value === 'function' && value.service) found.clients.push(name);
    else if (typeof value !== 'object') continue;
    else if (typeof value.encode === 'function' && typeof value.decode === 'function') found.messages.push(name);
    else if (Object.values(value).every((method) => typeof method.path === 'string')) {
      found.services[name] = Object.fromEntries(Object.entries(value).map(([key, method]) => [key, method.path]));
    } else if (Object.values(value).every((item) => typeof item === 'string')) found.enums[name] = Object.keys(value);
  }
  out[file] = found;
}
console.log(JSON.stringify(out));
"""

# Decodes each {file, message, data (base64)} read from stdin with the compiled stubs and encodes it again.
_ROUND_TRIP = r"""
const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(items.map(({ file, message, data }) => {
  const codec = require(file)[message];
  return Buffer.from(codec.encode(codec.decode(Buffer.from(data, 'base64'))).finish()).toString('base64');
})));
"""


def _node(script: str, *args: str, stdin: str | None = None) -> Any:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js 20 is required")
    result = subprocess.run(
        [node, "-e", script, *args], input=stdin, capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _compiled(file: descriptor.FileDescriptor) -> Path:
    return COMPILED / f"{file.name.removesuffix('.proto')}.js"


def _ts_name(full_name: str, package: str) -> str:
    """Return ts-proto's name for a type: nested types join their parents with '_'."""
    return full_name.removeprefix(f"{package}.").replace(".", "_")


def _expected(file: descriptor.FileDescriptor) -> dict[str, Any]:
    messages: list[str] = []
    enums: dict[str, list[str]] = {}

    def visit(message_type: descriptor.Descriptor) -> None:
        messages.append(_ts_name(message_type.full_name, file.package))
        for enum_type in message_type.enum_types:
            enums[_ts_name(enum_type.full_name, file.package)] = [v.name for v in enum_type.values] + ["UNRECOGNIZED"]
        for nested in message_type.nested_types:
            visit(nested)

    for message_type in file.message_types_by_name.values():
        visit(message_type)
    for enum_type in file.enum_types_by_name.values():
        enums[_ts_name(enum_type.full_name, file.package)] = [v.name for v in enum_type.values] + ["UNRECOGNIZED"]
    services = {
        f"{service.name}Service": {
            method.name[0].lower() + method.name[1:]: f"/{service.full_name}/{method.name}"
            for method in service.methods
        }
        for service in file.services_by_name.values()
    }
    clients = [f"{service.name}Client" for service in file.services_by_name.values()]
    return {"messages": sorted(messages), "services": services, "clients": sorted(clients), "enums": enums}


@pytest.fixture(scope="module")
def exports() -> dict[str, Any]:
    return _node(_LIST_EXPORTS, *[str(_compiled(file)) for file in FILES if _compiled(file).exists()])


def test_every_proto_file_has_typescript_sources_and_compiled_javascript() -> None:
    assert len(FILES) == len(list((REPO_ROOT / "proto").rglob("*.proto")))
    for file in FILES:
        stem = file.name.removesuffix(".proto")
        for path in (f"{stem}.ts", f"lib/{stem}.js", f"lib/{stem}.d.ts"):
            assert (REPO_ROOT / "generated" / "typescript" / path).is_file(), path


@pytest.mark.parametrize("file", FILES, ids=[file.name for file in FILES])
def test_typescript_stubs_cover_every_message_enum_and_service(
    exports: dict[str, Any], file: descriptor.FileDescriptor
) -> None:
    found = exports[str(_compiled(file))]
    expected = _expected(file)
    assert sorted(found["messages"]) == expected["messages"]
    assert found["enums"] == expected["enums"]
    assert found["services"] == expected["services"]
    assert sorted(found["clients"]) == expected["clients"]


def test_typescript_stubs_write_what_python_reads() -> None:
    """int64 beyond 2**53, maps, enums, Timestamp, Duration and a oneof survive a trip through the stubs."""
    status = constitution_pb2.StatusResponse(
        status=common_pb2.PodStatus(
            pod_id="node-pod",
            trading_state=common_pb2.TRADING_STATE_HALTED,
            positions=[common_pb2.Position(symbol="ETH/USDT", quantity="-3.3201", mark_price="3012.19")],
            config=common_pb2.PodConfig(
                config_version=2**53 + 1,
                trading_state=common_pb2.TRADING_STATE_ACTIVE,
                limits=common_pb2.PodLimits(capital_allocation_usd="50000", volatility_target_annualized=0.25),
                parameters={"lookback": "20", "mode": "test"},
            ),
            uptime=duration_pb2.Duration(seconds=3, nanos=985_000_000),
            report_time=timestamp_pb2.Timestamp(seconds=1_790_000_000, nanos=123_456_789),
            halt=common_pb2.HaltState(reason=common_pb2.HALT_REASON_RISK_VIOLATION, requested_by="me"),
        )
    )
    halt = constitution_pb2.HaltRequest(
        reason=common_pb2.HALT_REASON_MANUAL, requested_by="me", config_version=-(2**62)
    )
    order = gateway_pb2.StreamOrdersRequest(request_id=9, cancel=gateway_pb2.CancelOrderRequest())
    sent: list[tuple[str, Message]] = [("constitution", status), ("constitution", halt), ("gateway", order)]
    items = [
        {
            "file": str(COMPILED / "slipstream" / "v1" / f"{file}.js"),
            "message": type(message).__name__,
            "data": base64.b64encode(message.SerializeToString()).decode(),
        }
        for file, message in sent
    ]

    echoed = _node(_ROUND_TRIP, stdin=json.dumps(items))

    for (_, message), data in zip(sent, echoed, strict=True):
        assert type(message).FromString(base64.b64decode(data)) == message
