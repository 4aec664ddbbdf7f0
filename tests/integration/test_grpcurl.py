"""The real grpcurl binary against running servers: reflection, health, JSON calls."""

from __future__ import annotations

import json

from conftest import ADMIN_TOKEN, POD_TOKENS, Cluster
from support import eventually, grpcurl

CONSTITUTION = "slipstream.v1.ConstitutionService"


def test_list_services_without_proto_files(cluster: Cluster) -> None:
    pod = cluster.start_pod("alpha")
    on_federation = grpcurl(cluster.address, "list")
    on_pod = grpcurl(pod.server.address, "list")
    assert on_federation.returncode == 0, on_federation.stderr
    assert set(on_federation.stdout.split()) >= {"slipstream.v1.FederationService", "grpc.health.v1.Health"}
    assert on_pod.returncode == 0, on_pod.stderr
    assert set(on_pod.stdout.split()) >= {CONSTITUTION, "grpc.health.v1.Health"}


def test_describe_the_constitution(cluster: Cluster) -> None:
    pod = cluster.start_pod("alpha", register_pod=False)
    described = grpcurl(pod.server.address, "describe", CONSTITUTION)
    assert described.returncode == 0, described.stderr
    for rpc in ("rpc Status", "rpc Configure", "rpc Halt"):
        assert rpc in described.stdout
    message = grpcurl(pod.server.address, "describe", "slipstream.v1.PodStatus")
    assert "nav_usd" in message.stdout and "google.protobuf.Timestamp report_time" in message.stdout


def test_health_check_serving(cluster: Cluster) -> None:
    pod = cluster.start_pod("alpha", register_pod=False)
    for address in (cluster.address, pod.server.address):
        answer = grpcurl(address, "grpc.health.v1.Health/Check")
        assert json.loads(answer.stdout) == {"status": "SERVING"}


def test_status_configure_halt_with_json(cluster: Cluster) -> None:
    pod = cluster.start_pod("alpha", register_pod=False)
    token = POD_TOKENS["alpha"]
    address = pod.server.address

    status = json.loads(grpcurl(address, f"{CONSTITUTION}/Status", token=token).stdout)["status"]
    assert status["pod_id"] == "alpha"
    assert status["trading_state"] == "TRADING_STATE_REDUCE_ONLY"  # never configured yet

    config = {
        "config_version": 7,
        "trading_state": "TRADING_STATE_ACTIVE",
        "limits": {
            "capital_allocation_usd": "250000",
            "max_gross_notional_usd": "400000.50",
            "volatility_target_annualized": 0.25,
            "symbol_limits": [{"symbol": "BTC/USDT", "max_position_quantity": "3.125"}],
        },
        "parameters": {"lookback": "20"},
    }
    answer = grpcurl(address, f"{CONSTITUTION}/Configure", data={"config": config}, token=token)
    assert answer.returncode == 0, answer.stderr
    configured = json.loads(answer.stdout)
    assert configured["applied"] is True and configured["trading_state"] == "TRADING_STATE_ACTIVE"
    assert configured["config"]["limits"]["max_gross_notional_usd"] == "400000.5"
    assert configured["config"]["config_version"] == "7"

    halted = grpcurl(
        address,
        f"{CONSTITUTION}/Halt",
        data={"reason": "HALT_REASON_RISK_VIOLATION", "requested_by": "grpcurl-test", "cancel_open_orders": True},
        token=token,
    )
    assert halted.returncode == 0, halted.stderr
    assert "halt_time" in json.loads(halted.stdout)
    again = json.loads(
        grpcurl(
            address, f"{CONSTITUTION}/Halt", data={"reason": "HALT_REASON_MANUAL", "requested_by": "x"}, token=token
        ).stdout
    )
    assert again["already_halted"] is True

    final = json.loads(grpcurl(address, f"{CONSTITUTION}/Status", token=token).stdout)["status"]
    assert final["trading_state"] == "TRADING_STATE_HALTED"
    assert final["halt"]["reason"] == "HALT_REASON_RISK_VIOLATION"
    assert final["config"]["limits"]["symbol_limits"][0]["max_position_quantity"] == "3.125"


def test_bad_json_input_gets_invalid_argument_naming_the_field(cluster: Cluster) -> None:
    pod = cluster.start_pod("alpha", register_pod=False)
    answer = grpcurl(
        pod.server.address,
        f"{CONSTITUTION}/Configure",
        data={
            "config": {
                "config_version": 1,
                "trading_state": "TRADING_STATE_ACTIVE",
                "limits": {"capital_allocation_usd": "NaN"},
            }
        },
        token=POD_TOKENS["alpha"],
    )
    assert answer.returncode != 0
    assert "InvalidArgument" in answer.stderr and "config.limits.capital_allocation_usd" in answer.stderr


def test_federation_list_pods_with_admin_token(cluster: Cluster) -> None:
    cluster.start_pod("alpha")
    with cluster.admin() as admin:
        eventually(lambda: admin.get_pod("alpha").HasField("last_status"))
    answer = grpcurl(cluster.address, "slipstream.v1.FederationService/ListPods", token=ADMIN_TOKEN)
    assert answer.returncode == 0, answer.stderr
    (pod,) = json.loads(answer.stdout)["pods"]
    assert pod["pod_id"] == "alpha" and pod["language"] == "python"
    denied = grpcurl(cluster.address, "slipstream.v1.FederationService/ListPods")
    assert "Unauthenticated" in denied.stderr
