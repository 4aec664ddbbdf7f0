"""The federation's state survives a restart: registry, intent, credentials and history."""

from __future__ import annotations

from decimal import Decimal

from conftest import Cluster
from slipstream_api.v1 import common_pb2, federation_pb2
from support import eventually

from slipstream.core.model import HaltReason, PodLimits


def test_restart_keeps_pods_states_and_history(cluster: Cluster) -> None:
    alpha = cluster.start_pod("alpha")
    cluster.start_pod("beta")
    with cluster.admin() as admin:
        eventually(
            lambda: (
                all(p.last_status.trading_state == common_pb2.TRADING_STATE_ACTIVE for p in admin.list_pods())
                and len(admin.list_pods()) == 2
            )
        )
        admin.push_config("alpha", PodLimits(capital_allocation_usd=Decimal(70_000)), {"k": "v"}, "test")
        admin.halt("beta", HaltReason.PERFORMANCE_FAILURE, "test", note="drawdown")
        eventually(lambda: len(admin.snapshots("alpha")) >= 5)
        before = {p.pod_id: p for p in admin.list_pods()}
        history = {pod_id: len(admin.snapshots(pod_id)) for pod_id in before}

    cluster.restart_federation()

    with cluster.admin() as admin:
        after = {p.pod_id: p for p in admin.list_pods()}
        assert after.keys() == before.keys()
        for pod_id, pod in after.items():
            assert pod.address == before[pod_id].address
            assert pod.register_time == before[pod_id].register_time
            assert pod.desired_config == before[pod_id].desired_config
            assert len(admin.snapshots(pod_id)) >= history[pod_id]
        assert after["beta"].desired_trading_state == common_pb2.TRADING_STATE_HALTED
        assert after["alpha"].desired_config.limits.capital_allocation_usd == "70000"
        # Polling resumes against the same pods without them re-registering.
        eventually(lambda: len(admin.snapshots("alpha")) > history["alpha"] + 3)
        assert admin.get_pod("alpha").connectivity == federation_pb2.CONNECTIVITY_REACHABLE
        assert admin.get_pod("beta").last_status.trading_state == common_pb2.TRADING_STATE_HALTED
        # The pods' tokens still authenticate: a restarted pod can register again.
        cluster.stop_pod(alpha)
        returned = cluster.start_pod("alpha")
        eventually(lambda: returned.runtime.control.config.config_version == 2)
        assert returned.runtime.control.config.parameter_map == {"k": "v"}
