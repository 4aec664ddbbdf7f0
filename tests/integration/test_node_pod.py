"""The Node.js pod (grpc-js loading proto/ directly) under the federation and the real CLI."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from typing import Any

from conftest import ADMIN_TOKEN, Cluster
from slipstream_api.v1 import common_pb2, federation_pb2
from support import eventually

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
