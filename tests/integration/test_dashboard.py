"""`slipstream dashboard --once` over a running federation: pods shown, missing services named."""

from __future__ import annotations

import subprocess

from conftest import ADMIN_TOKEN, Cluster
from support import eventually

from slipstream.core.model import HaltReason
from slipstream.demo.processes import python_module


def test_the_dashboard_shows_pods_and_a_halt_and_says_which_service_is_missing(cluster: Cluster) -> None:
    cluster.start_pod("alpha")
    cluster.start_pod("beta")
    with cluster.admin() as admin:
        eventually(lambda: len(admin.list_pods()) == 2)
        admin.halt("beta", HaltReason.RISK_VIOLATION, "test", note="drill")
        eventually(lambda: admin.get_pod("beta").last_status.halt.note == "drill")
    shown = subprocess.run(
        python_module("slipstream.cli.main", "--federation", cluster.address, "--token", ADMIN_TOKEN, "dashboard")
        + ["--once", "--optimizer", "127.0.0.1:9", "--analytics", "", "--auditor", "", "--orchestrator", ""],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert "alpha" in shown.stdout and "active" in shown.stdout
    assert "halted: drill" in shown.stdout
    assert "optimizer at 127.0.0.1:9" in shown.stdout
