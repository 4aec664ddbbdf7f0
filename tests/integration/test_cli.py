"""The `slipstream` CLI against a running federation, as an operator would use it."""

from __future__ import annotations

import subprocess
import sys

from conftest import ADMIN_TOKEN, Cluster
from support import eventually


def slipstream(cluster: Cluster, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "slipstream.cli.main", "--federation", cluster.address, "--token", ADMIN_TOKEN, *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env={"COLUMNS": "200", "PATH": ""})


def test_pods_status_halt_resume_configure(cluster: Cluster) -> None:
    cluster.start_pod("alpha")
    with cluster.admin() as admin:
        eventually(lambda: admin.get_pod("alpha").last_status.config.config_version == 1)

    pods = slipstream(cluster, "pods")
    assert pods.returncode == 0, pods.stderr
    assert "alpha" in pods.stdout and "reachable" in pods.stdout and "active" in pods.stdout

    configured = slipstream(
        cluster,
        "configure",
        "alpha",
        "--capital",
        "42000",
        "--max-gross",
        "60000",
        "--symbol-limit",
        "BTC/USDT=0.5,30000",
        "--param",
        "lookback=9",
    )
    assert configured.returncode == 0, configured.stderr
    assert "config v2, delivered" in configured.stdout

    halted = slipstream(cluster, "halt", "alpha", "--reason", "maintenance", "--note", "patching")
    assert halted.returncode == 0 and "alpha: halted" in halted.stdout

    with cluster.admin() as admin:
        eventually(lambda: admin.get_pod("alpha").last_status.HasField("halt"))
    status = slipstream(cluster, "status", "alpha")
    assert status.returncode == 0, status.stderr
    for expected in ("halted", "maintenance", "patching", "42,000.00", "BTC/USDT max quantity", "param lookback"):
        assert expected in status.stdout, expected

    resumed = slipstream(cluster, "resume", "alpha")
    assert resumed.returncode == 0 and "delivered" in resumed.stdout


def test_cli_errors_are_clear(cluster: Cluster) -> None:
    missing = slipstream(cluster, "status", "ghost")
    assert missing.returncode == 1 and "NOT_FOUND" in missing.stderr
    bad = slipstream(cluster, "configure", "ghost", "--capital", "NaN")
    assert bad.returncode != 0 and "--capital" in bad.stderr


def test_a_viewer_token_reads_through_the_cli_and_cannot_halt(cluster: Cluster) -> None:
    cluster.restart_federation(viewer_tokens={"dashboard": "viewer-token-for-cli"})
    cluster.start_pod("alpha")

    def as_viewer(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "slipstream.cli.main", "--federation", cluster.address]
        argv += ["--token", "viewer-token-for-cli", *args]
        return subprocess.run(argv, capture_output=True, text=True, timeout=60, env={"COLUMNS": "200", "PATH": ""})

    listed = eventually(lambda: (p := as_viewer("pods")).returncode == 0 and "alpha" in p.stdout and p)
    halted = as_viewer("halt", "alpha", "--reason", "maintenance")

    assert "reachable" in listed.stdout
    assert halted.returncode == 1 and "PERMISSION_DENIED" in halted.stderr
    with cluster.admin() as admin:
        assert not admin.get_pod("alpha").last_status.HasField("halt")
