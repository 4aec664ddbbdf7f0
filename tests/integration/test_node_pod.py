"""The Node.js pod (grpc-js on the generated TypeScript stubs) under the federation, the real CLI and grpcurl."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from typing import Any

from conftest import ADMIN_TOKEN, POD_TOKENS, Cluster
from slipstream_api.v1 import common_pb2, federation_pb2
from support import eventually, grpcurl

from slipstream.core.model import PodLimits


def test_node_pod_registers_is_configured_and_obeys_halt_all(cluster: Cluster, node_pod_factory: Any) -> None:
    cluster.start_pod("alpha")
    node_pod_factory("node-pod", federation=cluster.address)
    with cluster.admin() as admin:
        eventually(lambda: "node-pod" in {p.pod_id for p in admin.list_pods()})
        node = eventually(
            lambda: (p := admin.get_pod("node-pod")).last_status.trading_state == common_pb2.TRADING_STATE_ACTIVE and p
        )
        assert node.language == "node"
        assert node.execution_intent == common_pb2.EXECUTION_INTENT_MIXED
        assert node.connectivity == federation_pb2.CONNECTIVITY_REACHABLE

        pushed = admin.push_config(
            "node-pod", PodLimits(capital_allocation_usd=Decimal(20_000)), {"mode": "test"}, "test"
        )
        assert pushed.delivered
        eventually(lambda: admin.get_pod("node-pod").last_status.config.limits.capital_allocation_usd == "20000")
        eventually(lambda: admin.get_pod("node-pod").last_status.positions)

        halted = subprocess.run(
            [
                sys.executable,
                "-m",
                "slipstream.cli.main",
                "--federation",
                cluster.address,
                "--token",
                ADMIN_TOKEN,
                "halt",
                "--all",
                "--reason",
                "risk_violation",
                "--note",
                "test",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert halted.returncode == 0, halted.stdout + halted.stderr
        assert "node-pod: halted" in halted.stdout and "alpha: halted" in halted.stdout

        status = eventually(
            lambda: (s := admin.get_pod("node-pod").last_status).trading_state == common_pb2.TRADING_STATE_HALTED and s
        )
        assert status.halt.reason == common_pb2.HALT_REASON_RISK_VIOLATION
        frozen = [(p.symbol, p.quantity) for p in status.positions]
        count = len(admin.snapshots("node-pod"))
        eventually(lambda: len(admin.snapshots("node-pod")) >= count + 5)
        assert [(p.symbol, p.quantity) for p in admin.get_pod("node-pod").last_status.positions] == frozen


def test_grpcurl_calls_the_node_pod_through_reflection(node_pod_factory: Any) -> None:
    """Reflection answers from the generated descriptor set, with proto field names as Python pods give."""
    address = node_pod_factory("node-pod").wait_address()
    token = POD_TOKENS["node-pod"]
    constitution = "slipstream.v1.ConstitutionService"
    config = {
        "config_version": 2,
        "trading_state": "TRADING_STATE_ACTIVE",
        "limits": {"capital_allocation_usd": "50000"},
    }

    listed = grpcurl(address, "list")
    described = grpcurl(address, "describe", "slipstream.v1.PodStatus")
    configured = grpcurl(address, f"{constitution}/Configure", data={"config": config}, token=token)
    halted = grpcurl(
        address,
        f"{constitution}/Halt",
        data={"reason": "HALT_REASON_MANUAL", "requested_by": "me", "config_version": 5},
        token=token,
    )
    stale = grpcurl(address, f"{constitution}/Configure", data={"config": {**config, "config_version": 4}}, token=token)
    resumed = grpcurl(
        address, f"{constitution}/Configure", data={"config": {**config, "config_version": 5}}, token=token
    )
    status = grpcurl(address, f"{constitution}/Status", token=token)
    # int64's top: the federation would overflow issuing the next version, so pods refuse it.
    overflowing = grpcurl(
        address, f"{constitution}/Configure", data={"config": {**config, "config_version": str(2**63 - 1)}}, token=token
    )

    assert set(listed.stdout.split()) >= {constitution, "grpc.health.v1.Health"}, listed.stderr
    assert "google.protobuf.Timestamp report_time" in described.stdout, described.stderr
    assert json.loads(configured.stdout)["config"]["config_version"] == "2"
    assert "halt_time" in json.loads(halted.stdout)
    assert stale.returncode != 0 and "config.config_version" in stale.stderr
    assert json.loads(resumed.stdout)["trading_state"] == "TRADING_STATE_ACTIVE"
    assert json.loads(status.stdout)["status"]["config"]["limits"]["capital_allocation_usd"] == "50000"
    assert overflowing.returncode != 0 and "must be between 1 and" in overflowing.stderr
