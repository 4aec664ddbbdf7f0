"""The federation over real gRPC: registration, auth, polling, configure, halt and resume."""

from __future__ import annotations

from decimal import Decimal

import grpc
import pytest
from conftest import ADMIN_TOKEN, POD_TOKENS, Cluster
from slipstream_api.v1 import common_pb2, federation_pb2, federation_pb2_grpc
from support import StuckStrategy, eventually, field_violation

from slipstream.core.model import HaltReason, PodLimits, SymbolLimit
from slipstream.federation.client import FederationClient
from slipstream.transport import auth
from slipstream.transport.server import CHANNEL_OPTIONS

REGISTER = federation_pb2.RegisterPodRequest(
    pod_id="alpha", address="127.0.0.1:1", language="python", execution_intent=common_pb2.EXECUTION_INTENT_TAKER
)


def _stub(cluster: Cluster) -> tuple[grpc.Channel, federation_pb2_grpc.FederationServiceStub]:
    channel = grpc.insecure_channel(cluster.address, options=CHANNEL_OPTIONS)
    return channel, federation_pb2_grpc.FederationServiceStub(channel)


def _active(admin: FederationClient, pod_id: str) -> bool:
    pod = admin.get_pod(pod_id)
    return pod.last_status.trading_state == common_pb2.TRADING_STATE_ACTIVE


def test_pod_registers_is_polled_and_receives_its_first_config(cluster: Cluster) -> None:
    cluster.start_pod("alpha")
    with cluster.admin() as admin:
        pod = eventually(lambda: (p := admin.get_pod("alpha")).last_status.config.config_version == 1 and p)
        assert pod.connectivity == federation_pb2.CONNECTIVITY_REACHABLE
        assert pod.health == common_pb2.HEALTH_HEALTHY
        assert pod.last_status.config.limits.capital_allocation_usd == "100000"
        eventually(lambda: Decimal(admin.get_pod("alpha").last_status.gross_exposure_usd) > 0)
        assert len(admin.snapshots("alpha")) >= 2


@pytest.mark.parametrize(
    ("metadata", "code"),
    [
        ((), grpc.StatusCode.UNAUTHENTICATED),
        ((("authorization", "Basic abc"),), grpc.StatusCode.UNAUTHENTICATED),
        ((("authorization", "Bearer nope"),), grpc.StatusCode.PERMISSION_DENIED),
    ],
)
def test_missing_or_wrong_credentials_are_refused(cluster: Cluster, metadata: tuple, code: grpc.StatusCode) -> None:
    channel, stub = _stub(cluster)
    with channel, pytest.raises(grpc.RpcError) as raised:
        stub.RegisterPod(REGISTER, metadata=metadata, timeout=5)
    assert raised.value.code() is code


def test_a_pod_cannot_act_as_another_pod(cluster: Cluster) -> None:
    channel, stub = _stub(cluster)
    beta = auth.bearer_metadata(POD_TOKENS["beta"])
    with channel:
        for call, request in [
            (stub.RegisterPod, REGISTER),
            (stub.DeregisterPod, federation_pb2.DeregisterPodRequest(pod_id="alpha")),
            (stub.GetPod, federation_pb2.GetPodRequest(pod_id="alpha")),
            (stub.ListPods, federation_pb2.ListPodsRequest()),
            (stub.HaltAllPods, federation_pb2.HaltAllPodsRequest(reason=1, requested_by="beta")),
            (stub.ResumePod, federation_pb2.ResumePodRequest(pod_id="beta", requested_by="beta")),
        ]:
            with pytest.raises(grpc.RpcError) as raised:
                call(request, metadata=beta, timeout=5)
            assert raised.value.code() is grpc.StatusCode.PERMISSION_DENIED, call


def test_registering_twice_updates_the_record_and_keeps_history(cluster: Cluster) -> None:
    channel, stub = _stub(cluster)
    alpha = auth.bearer_metadata(POD_TOKENS["alpha"])
    with channel:
        first = stub.RegisterPod(REGISTER, metadata=alpha, timeout=5)
        moved = federation_pb2.RegisterPodRequest()
        moved.CopyFrom(REGISTER)
        moved.address = "127.0.0.1:2"
        second = stub.RegisterPod(moved, metadata=alpha, timeout=5)
    assert first.created and not second.created
    assert second.pod.address == "127.0.0.1:2"
    assert second.pod.register_time == first.pod.register_time
    assert second.pod.desired_config.config_version == first.pod.desired_config.config_version


def test_admin_registers_a_new_pod_and_gets_its_token_once(cluster: Cluster) -> None:
    channel, stub = _stub(cluster)
    request = federation_pb2.RegisterPodRequest()
    request.CopyFrom(REGISTER)
    request.pod_id = "gamma"
    with channel:
        created = stub.RegisterPod(request, metadata=auth.bearer_metadata(ADMIN_TOKEN), timeout=5)
        again = stub.RegisterPod(request, metadata=auth.bearer_metadata(created.issued_token), timeout=5)
    assert created.created and len(created.issued_token) >= 32
    assert not again.created and again.issued_token == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("pod_id", "bad id with spaces"), "pod_id"),
        (("address", "no-port"), "address"),
        (("execution_intent", 0), "execution_intent"),
        (("language", ""), "language"),
    ],
)
def test_bad_registration_is_invalid_argument(cluster: Cluster, change: tuple[str, object], field: str) -> None:
    request = federation_pb2.RegisterPodRequest()
    request.CopyFrom(REGISTER)
    setattr(request, *change)
    channel, stub = _stub(cluster)
    with channel, pytest.raises(grpc.RpcError) as raised:
        stub.RegisterPod(request, metadata=auth.bearer_metadata(ADMIN_TOKEN), timeout=5)
    assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field_violation(raised.value)[0] == field
    with cluster.admin() as admin:
        assert admin.list_pods() == []


def test_unknown_pod_is_not_found(cluster: Cluster) -> None:
    with cluster.admin() as admin:
        for call in (
            lambda: admin.get_pod("ghost"),
            lambda: admin.halt("ghost", HaltReason.MANUAL, "test"),
            lambda: admin.resume("ghost", "test"),
            lambda: admin.snapshots("ghost"),
            lambda: admin.push_config("ghost", PodLimits(), {}, "test"),
        ):
            with pytest.raises(grpc.RpcError) as raised:
                call()
            assert raised.value.code() is grpc.StatusCode.NOT_FOUND


def test_push_config_reaches_the_pod_with_a_new_version(cluster: Cluster) -> None:
    cluster.start_pod("alpha")
    limits = PodLimits(
        symbol_limits=(SymbolLimit("BTC/USDT", max_position_quantity=Decimal("0.25")),),
        max_gross_notional_usd=Decimal(30_000),
        capital_allocation_usd=Decimal(50_000),
        volatility_target_annualized=0.15,
    )
    with cluster.admin() as admin:
        eventually(lambda: _active(admin, "alpha"))
        response = admin.push_config("alpha", limits, {"lookback": "30"}, "test")
        assert response.delivered and response.config.config_version == 2
        status = eventually(lambda: (s := admin.get_pod("alpha").last_status).config.config_version == 2 and s)
        assert status.config.limits.capital_allocation_usd == "50000"
        assert dict(status.config.parameters) == {"lookback": "30"}
        # The strategy wants 0.5 x capital = 25,000 USD of BTC, the cap is 0.25 BTC.
        eventually(lambda: Decimal(admin.get_pod("alpha").last_status.positions[0].quantity) == Decimal("0.25"))


def test_push_config_with_bad_limit_changes_nothing(cluster: Cluster) -> None:
    cluster.start_pod("alpha")
    with cluster.admin() as admin:
        eventually(lambda: _active(admin, "alpha"))
        with pytest.raises(grpc.RpcError) as raised:
            admin.push_config("alpha", PodLimits(capital_allocation_usd=Decimal(-5)), {}, "test")
        assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert field_violation(raised.value)[0] == "limits.capital_allocation_usd"
        assert admin.get_pod("alpha").desired_config.config_version == 1


def test_halt_all_then_resume(cluster: Cluster) -> None:
    alpha = cluster.start_pod("alpha")
    cluster.start_pod("beta")
    with cluster.admin() as admin:
        eventually(lambda: _active(admin, "alpha") and _active(admin, "beta"))
        response = admin.halt_all(HaltReason.MAINTENANCE, "test", note="drill")
        assert [(r.pod_id, r.outcome) for r in response.results] == [
            ("alpha", federation_pb2.POD_HALT_OUTCOME_HALTED),
            ("beta", federation_pb2.POD_HALT_OUTCOME_HALTED),
        ]
        assert alpha.runtime.control.trading_state.value == "halted"
        position = alpha.runtime.position("BTC/USDT")
        eventually(lambda: admin.get_pod("alpha").last_status.halt.reason == common_pb2.HALT_REASON_MAINTENANCE)
        assert alpha.runtime.position("BTC/USDT") == position  # a halted pod does not trade

        again = admin.halt("alpha", HaltReason.MANUAL, "test")
        assert again.outcome == federation_pb2.POD_HALT_OUTCOME_ALREADY_HALTED

        resumed = admin.resume("alpha", "test", note="drill over")
        assert resumed.delivered
        assert resumed.config.trading_state == common_pb2.TRADING_STATE_ACTIVE
        eventually(lambda: _active(admin, "alpha"))
        assert admin.get_pod("beta").last_status.trading_state == common_pb2.TRADING_STATE_HALTED


def test_halt_is_answered_while_the_strategy_is_stuck(cluster: Cluster) -> None:
    strategy = StuckStrategy()
    pod = cluster.start_pod("alpha", strategy)
    try:
        with cluster.admin() as admin:
            eventually(lambda: _active(admin, "alpha"))
            assert strategy.entered.wait(5)
            result = admin.halt("alpha", HaltReason.RISK_VIOLATION, "test")
            assert result.outcome == federation_pb2.POD_HALT_OUTCOME_HALTED
            assert result.latency.ToTimedelta().total_seconds() < 0.5
            pod_view = eventually(lambda: (p := admin.get_pod("alpha")).health == common_pb2.HEALTH_DEGRADED and p)
            assert pod_view.last_status.trading_state == common_pb2.TRADING_STATE_HALTED
    finally:
        strategy.release.set()
    assert pod.runtime.control.trading_state.value == "halted"


def test_unreachable_pod_is_marked_and_halt_sticks_until_it_returns(cluster: Cluster) -> None:
    pod = cluster.start_pod("alpha")
    with cluster.admin() as admin:
        eventually(lambda: _active(admin, "alpha"))
        cluster.stop_pod(pod)
        gone = eventually(
            lambda: (p := admin.get_pod("alpha")).connectivity == federation_pb2.CONNECTIVITY_UNREACHABLE and p
        )
        assert gone.health == common_pb2.HEALTH_UNKNOWN
        result = admin.halt("alpha", HaltReason.RISK_VIOLATION, "test")
        assert result.outcome in (federation_pb2.POD_HALT_OUTCOME_FAILED, federation_pb2.POD_HALT_OUTCOME_TIMEOUT)
        # The pod restarts with no memory of the halt; the federation re-applies it.
        returned = cluster.start_pod("alpha")
        eventually(lambda: returned.runtime.control.trading_state.value == "halted")
        assert returned.runtime.control.halt_state.reason is HaltReason.RISK_VIOLATION
        eventually(lambda: admin.get_pod("alpha").connectivity == federation_pb2.CONNECTIVITY_REACHABLE)


def test_deregistered_pod_is_no_longer_listed_or_polled(cluster: Cluster) -> None:
    cluster.start_pod("alpha")
    with cluster.admin() as admin:
        eventually(lambda: _active(admin, "alpha"))
        channel, stub = _stub(cluster)
        with channel:
            stub.DeregisterPod(
                federation_pb2.DeregisterPodRequest(pod_id="alpha"), metadata=auth.bearer_metadata(POD_TOKENS["alpha"])
            )
        assert admin.list_pods() == []
        history = len(admin.snapshots("alpha"))
        assert history > 0
        eventually(lambda: len(admin.snapshots("alpha")) == history, timeout_s=1)


def test_pod_declared_in_config_with_an_address_is_polled_without_registering(cluster: Cluster) -> None:
    from slipstream.federation.settings import PodDeclaration

    pod = cluster.start_pod("alpha", register_pod=False)
    declared = (PodDeclaration("alpha", POD_TOKENS["alpha"], address=pod.server.address, language="python"),)
    cluster.restart_federation(pods=declared)
    with cluster.admin() as admin:
        eventually(lambda: _active(admin, "alpha"))
        assert admin.get_pod("alpha").address == pod.server.address


def test_a_config_set_behind_the_federations_back_is_overridden(cluster: Cluster) -> None:
    from slipstream.core.model import PodConfig, TradingState

    pod = cluster.start_pod("alpha")
    with cluster.admin() as admin:
        eventually(lambda: _active(admin, "alpha"))
        rogue = PodConfig(50, TradingState.ACTIVE, PodLimits(capital_allocation_usd=Decimal(10_000_000)))
        pod.runtime.configure(rogue)
        eventually(lambda: pod.runtime.control.config.config_version == 51)
        assert pod.runtime.control.config.limits.capital_allocation_usd == Decimal(100_000)
        assert admin.get_pod("alpha").desired_config.config_version == 51
