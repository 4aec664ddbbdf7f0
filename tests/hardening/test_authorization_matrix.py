"""The authorization matrix, walked against every service served for real on 127.0.0.1.

For every RPC of the contract (enumerated from the generated descriptors, so a new RPC without a
request builder below fails) one valid request is sent with each role's token, an unknown token
and none: a role the policy admits must succeed, any other (and the unknown token) must get
PERMISSION_DENIED, no token UNAUTHENTICATED. A pod allowed only on its own pod id is also tried
on another pod's. The walk runs in the order of BUILDERS, so halts and deregistrations come last
and are undone right after.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import grpc
import pytest
import slipstream_api.v1
from conftest import ADMIN_TOKEN, POD_TOKENS
from every_service import AUDITOR_TOKEN, VIEWER_TOKEN, every_service
from google.protobuf.descriptor import MethodDescriptor
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from slipstream_api.v1 import (
    analytics_pb2,
    auditor_pb2,
    common_pb2,
    constitution_pb2,
    datalake_pb2,
    federation_pb2,
    gateway_pb2,
    optimizer_pb2,
    orchestrator_pb2,
    volatility_pb2,
)
from support import REPO_ROOT, LoopThread, eventually

from slipstream.transport import auth, policy
from slipstream.transport.policy import Role

TOKENS = {
    Role.ADMIN: ADMIN_TOKEN,
    Role.POD: POD_TOKENS["alpha"],
    Role.AUDITOR: AUDITOR_TOKEN,
    Role.VIEWER: VIEWER_TOKEN,
}
OTHER_POD_TOKEN = POD_TOKENS["beta"]
CALL_TIMEOUT_S = 10.0
# A subscription that is admitted and has nothing to send yet is still open at this deadline; a
# refused one ends at once with its status.
SUBSCRIPTION_WAIT_S = 0.3
OK = grpc.StatusCode.OK


def contract_methods() -> list[MethodDescriptor]:
    methods = []
    for module in pkgutil.iter_modules(slipstream_api.v1.__path__):
        if module.name.endswith("_pb2"):
            descriptor = importlib.import_module(f"slipstream_api.v1.{module.name}").DESCRIPTOR
            methods += [m for service in descriptor.services_by_name.values() for m in service.methods]
    return methods


def path_of(method: MethodDescriptor) -> str:
    return f"/{method.containing_service.full_name}/{method.name}"


@dataclass
class World:
    """Every service running, each knowing the admin, pod alpha and beta, an auditor and a viewer."""

    addresses: dict[str, str]
    pod_address: str
    channels: dict[str, grpc.Channel] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def channel(self, service: str) -> grpc.Channel:
        address = self.addresses[service]
        if address not in self.channels:
            self.channels[address] = grpc.insecure_channel(address)
        return self.channels[address]

    def call(self, method: MethodDescriptor, request: Message, token: str | None) -> tuple[grpc.StatusCode, str]:
        """Send `request`; return the status the call ends with (OK for a first message or clean end)."""
        channel = self.channel(method.containing_service.full_name)
        metadata = auth.bearer_metadata(token) if token else None
        subscription = method.server_streaming and method.name.startswith(("Stream", "Subscribe"))
        timeout = SUBSCRIPTION_WAIT_S if subscription and not method.client_streaming else CALL_TIMEOUT_S
        try:
            if method.client_streaming:
                list(channel.stream_stream(path_of(method))(iter([request.SerializeToString()]), metadata=metadata))
            elif method.server_streaming:
                stream = channel.unary_stream(path_of(method))(
                    request.SerializeToString(), metadata=metadata, timeout=timeout
                )
                for _ in stream:
                    stream.cancel()
                    break
            else:
                channel.unary_unary(path_of(method))(request.SerializeToString(), metadata=metadata, timeout=timeout)
        except grpc.RpcError as error:
            code = error.code()
            if code is grpc.StatusCode.CANCELLED and subscription:
                return OK, "first message"
            if code is grpc.StatusCode.DEADLINE_EXCEEDED and timeout == SUBSCRIPTION_WAIT_S:
                return OK, "admitted, nothing to send yet"
            return code, error.details() or ""
        return OK, ""

    def admin(self, service: str, method: str, request: Message) -> Any:
        descriptor = importlib.import_module(type(request).__module__).DESCRIPTOR.services_by_name[service]
        response_type = descriptor.methods_by_name[method].output_type._concrete_class
        call = self.channel(descriptor.full_name).unary_unary(
            f"/{descriptor.full_name}/{method}", type(request).SerializeToString, response_type.FromString
        )
        return call(request, metadata=auth.bearer_metadata(ADMIN_TOKEN), timeout=CALL_TIMEOUT_S)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    loop = LoopThread()
    try:
        with every_service(tmp_path_factory.mktemp("authz"), loop) as served:
            world = World(served.addresses, served.pod_address)
            reachable = federation_pb2.CONNECTIVITY_REACHABLE
            get_alpha = federation_pb2.GetPodRequest(pod_id="alpha")
            eventually(lambda: world.admin("FederationService", "GetPod", get_alpha).pod.connectivity == reachable)
            world.admin("DataLakeService", "WriteBars", daily_btc_bars())
            yield world
            for channel in world.channels.values():
                channel.close()
    finally:
        loop.close()


# A request builder gets the world and the role calling; it may prepare what the call needs.
Builder = Callable[[World, Role], Message]
DAY_MS = 86_400_000
NOW = Timestamp(seconds=1_767_225_600)
LIMITS = common_pb2.PodLimits(
    symbol_limits=[common_pb2.SymbolLimit(symbol="BTC/USDT", max_position_quantity="10")],
    max_gross_notional_usd="1000000",
    capital_allocation_usd="100000",
)
BARS = datalake_pb2.WriteBarsRequest(
    symbol="AUTHZ/USD",
    timeframe="1d",
    bars=datalake_pb2.BarColumns(
        open_times_unix_ms=[DAY_MS],
        opens=[1.0],
        highs=[2.0],
        lows=[0.5],
        closes=[1.5],
        volumes=[10.0],
        knowledge_times_unix_ns=[2 * DAY_MS * 1_000_000],
    ),
)


def daily_btc_bars(days: int = 120) -> datalake_pb2.WriteBarsRequest:
    """A seeded random walk of BTC/USD daily bars up to yesterday: the optimizer's reference history."""
    rng = random.Random(11)
    today_ms = int(time.time() // 86_400) * DAY_MS
    opens = [today_ms - (days - i) * DAY_MS for i in range(days)]
    closes = list(
        itertools.accumulate((rng.gauss(0, 0.03) for _ in opens), lambda price, r: price * (1 + r), initial=50_000.0)
    )[1:]
    return datalake_pb2.WriteBarsRequest(
        symbol="BTC/USD",
        timeframe="1d",
        bars=datalake_pb2.BarColumns(
            open_times_unix_ms=opens,
            opens=closes,
            highs=[c * 1.01 for c in closes],
            lows=[c * 0.99 for c in closes],
            closes=closes,
            volumes=[1_000.0] * days,
            knowledge_times_unix_ns=[(t + DAY_MS) * 1_000_000 for t in opens],
        ),
    )


def _order(world: World, role: Role) -> gateway_pb2.SubmitOrderRequest:
    return gateway_pb2.SubmitOrderRequest(
        client_order_id=f"authz-{role.value}-{next(world.ids)}",
        symbol="BTC/USDT",
        side=common_pb2.ORDER_SIDE_BUY,
        type=gateway_pb2.ORDER_TYPE_LIMIT,
        quantity="0.01",
        limit_price="49000",
        decision_price="50000",
        decision_time=NOW,
    )


def _resting_order(world: World, role: Role) -> gateway_pb2.CancelOrderRequest:
    """An open order of alpha's to cancel (placed with alpha's token whoever cancels)."""
    order = _order(world, role)
    stub = world.channel("slipstream.v1.GatewayService").unary_unary(
        "/slipstream.v1.GatewayService/SubmitOrder",
        gateway_pb2.SubmitOrderRequest.SerializeToString,
        gateway_pb2.SubmitOrderResponse.FromString,
    )
    stub(order, metadata=auth.bearer_metadata(POD_TOKENS["alpha"]), timeout=CALL_TIMEOUT_S)
    return gateway_pb2.CancelOrderRequest(client_order_id=order.client_order_id)


def _halt(pod_id: str = "alpha") -> federation_pb2.HaltPodRequest:
    return federation_pb2.HaltPodRequest(pod_id=pod_id, reason=common_pb2.HALT_REASON_MANUAL, requested_by="authz")


def _current_config(world: World, role: Role) -> constitution_pb2.ConfigureRequest:
    """The pod's own configuration sent back: a valid Configure that changes nothing."""
    channel = grpc.insecure_channel(world.pod_address)
    try:
        call = channel.unary_unary(
            "/slipstream.v1.ConstitutionService/Status",
            constitution_pb2.StatusRequest.SerializeToString,
            constitution_pb2.StatusResponse.FromString,
        )
        status = call(constitution_pb2.StatusRequest(), metadata=auth.bearer_metadata(POD_TOKENS["alpha"]))
    finally:
        channel.close()
    return constitution_pb2.ConfigureRequest(config=status.status.config)


def _override_id(world: World, role: Role) -> orchestrator_pb2.LiftOverrideRequest:
    """An override to lift: a fresh freeze, placed with the admin token."""
    frozen = world.admin(
        "OrchestratorService",
        "FreezeAllocation",
        orchestrator_pb2.FreezeAllocationRequest(requested_by="authz", reason="to lift"),
    )
    return orchestrator_pb2.LiftOverrideRequest(
        override_id=frozen.override.override_id, requested_by="authz", reason="authz"
    )


def _fixed(request: Message) -> Builder:
    return lambda world, role: request


def _resume(world: World) -> None:
    request = federation_pb2.ResumePodRequest(pod_id="alpha", requested_by="authz")
    world.admin("FederationService", "ResumePod", request)


def _register_again(world: World) -> None:
    request = federation_pb2.RegisterPodRequest(
        pod_id="alpha", address=world.pod_address, language="python", execution_intent=common_pb2.EXECUTION_INTENT_MIXED
    )
    world.admin("FederationService", "RegisterPod", request)


BUILDERS: dict[str, Builder] = {
    "DataLakeService.WriteBars": _fixed(BARS),
    "DataLakeService.WriteTrades": _fixed(
        datalake_pb2.WriteTradesRequest(
            symbol="AUTHZ/USD",
            trades=datalake_pb2.TradeColumns(
                trade_times_unix_ms=[DAY_MS],
                trade_ids=["t1"],
                prices=[1.0],
                quantities=[2.0],
                sides=[datalake_pb2.TRADE_SIDE_BUY],
                knowledge_times_unix_ns=[DAY_MS * 1_000_000 + 1],
            ),
        )
    ),
    "DataLakeService.QueryBars": _fixed(datalake_pb2.QueryBarsRequest(symbol="AUTHZ/USD", timeframe="1d")),
    "DataLakeService.QueryTrades": _fixed(datalake_pb2.QueryTradesRequest(symbol="AUTHZ/USD")),
    "DataLakeService.ListSeries": _fixed(datalake_pb2.ListSeriesRequest()),
    "DataLakeService.GetCoverage": _fixed(datalake_pb2.GetCoverageRequest(symbol="AUTHZ/USD", timeframe="1d")),
    "VolatilityService.GetForecasts": _fixed(volatility_pb2.GetForecastsRequest()),
    "VolatilityService.SubscribeForecasts": _fixed(volatility_pb2.SubscribeForecastsRequest(send_current=True)),
    "GatewayService.SubmitOrder": _order,
    "GatewayService.StreamOrders": lambda world, role: gateway_pb2.StreamOrdersRequest(
        request_id=1, submit=_order(world, role)
    ),
    "GatewayService.CancelOrder": _resting_order,
    "GatewayService.CancelAllOrders": _fixed(gateway_pb2.CancelAllOrdersRequest()),
    "GatewayService.StreamExecutions": _fixed(gateway_pb2.StreamExecutionsRequest()),
    "GatewayService.GetOrder": lambda world, role: gateway_pb2.GetOrderRequest(
        pod_id="alpha", client_order_id=_resting_order(world, Role.POD).client_order_id
    ),
    "GatewayService.ListOrders": _fixed(gateway_pb2.ListOrdersRequest(pod_id="alpha")),
    "GatewayService.ListFills": _fixed(gateway_pb2.ListFillsRequest(pod_id="alpha")),
    "GatewayService.ListPositions": _fixed(gateway_pb2.ListPositionsRequest(pod_id="alpha")),
    "GatewayService.ListPrices": _fixed(gateway_pb2.ListPricesRequest(pod_id="alpha")),
    "GatewayService.ListVenuePositions": _fixed(gateway_pb2.ListVenuePositionsRequest(account="main")),
    "AuditorService.RunAudit": _fixed(auditor_pb2.RunAuditRequest()),
    "AuditorService.GetExposure": _fixed(auditor_pb2.GetExposureRequest()),
    "AuditorService.GetPodExposure": _fixed(auditor_pb2.GetPodExposureRequest(pod_id="alpha")),
    "AuditorService.ListDiscrepancies": _fixed(auditor_pb2.ListDiscrepanciesRequest()),
    "AuditorService.StreamAlerts": _fixed(auditor_pb2.StreamAlertsRequest()),
    "OptimizerService.RunCycle": _fixed(
        optimizer_pb2.RunCycleRequest(mode=optimizer_pb2.CYCLE_MODE_OBSERVE, requested_by="authz")
    ),
    "OptimizerService.GetAllocation": _fixed(optimizer_pb2.GetAllocationRequest()),
    "OptimizerService.ListAllocations": _fixed(optimizer_pb2.ListAllocationsRequest()),
    "OptimizerService.GetCovariance": _fixed(optimizer_pb2.GetCovarianceRequest()),
    "OptimizerService.RunStressTest": _fixed(
        optimizer_pb2.RunStressTestRequest(
            pods=[
                optimizer_pb2.PodScenario(
                    pod_id="alpha", positions=[optimizer_pb2.ScenarioPosition(symbol="BTC/USD", notional_usd="1000")]
                )
            ],
            btc_correlation_limit=0.5,
        )
    ),
    "OptimizerService.GetCapacity": _fixed(optimizer_pb2.GetCapacityRequest(symbol="BTC/USD", impact_budget_bps=10.0)),
    "AnalyticsService.GetShortfallReport": _fixed(analytics_pb2.GetShortfallReportRequest(pod_id="alpha")),
    "AnalyticsService.ListHighShortfallOrders": _fixed(analytics_pb2.ListHighShortfallOrdersRequest(pod_id="alpha")),
    "AnalyticsService.GetResidualReport": _fixed(analytics_pb2.GetResidualReportRequest(pod_id="alpha")),
    "AnalyticsService.GetFillRatioReport": _fixed(analytics_pb2.GetFillRatioReportRequest(pod_id="alpha")),
    "AnalyticsService.EvaluateLifecycles": _fixed(analytics_pb2.EvaluateLifecyclesRequest(requested_by="authz")),
    "AnalyticsService.ListLifecycles": _fixed(analytics_pb2.ListLifecyclesRequest()),
    "AnalyticsService.GetLifecycleHistory": _fixed(analytics_pb2.GetLifecycleHistoryRequest(pod_id="alpha")),
    "AnalyticsService.OverrideLifecycleStage": _fixed(
        analytics_pb2.OverrideLifecycleStageRequest(
            pod_id="alpha", stage=common_pb2.LIFECYCLE_STAGE_GROWTH, requested_by="authz", reason="authz"
        )
    ),
    "AnalyticsService.LiftLifecycleOverride": _fixed(
        analytics_pb2.LiftLifecycleOverrideRequest(pod_id="alpha", requested_by="authz", reason="authz")
    ),
    "OrchestratorService.RunFederationCycle": _fixed(orchestrator_pb2.RunFederationCycleRequest(requested_by="authz")),
    "OrchestratorService.ListFederationCycles": _fixed(orchestrator_pb2.ListFederationCyclesRequest()),
    "OrchestratorService.PinAllocation": _fixed(
        orchestrator_pb2.PinAllocationRequest(
            pod_id="alpha",
            capital_usd="1000",
            requested_by="authz",
            reason="authz",
            expire_time=Timestamp(seconds=int(time.time()) + 86_400),
        )
    ),
    "OrchestratorService.FreezeAllocation": _fixed(
        orchestrator_pb2.FreezeAllocationRequest(requested_by="authz", reason="authz")
    ),
    "OrchestratorService.ForceLifecycleStage": _fixed(
        orchestrator_pb2.ForceLifecycleStageRequest(
            pod_id="alpha", stage=common_pb2.LIFECYCLE_STAGE_GROWTH, requested_by="authz", reason="authz"
        )
    ),
    "OrchestratorService.LiftOverride": _override_id,
    "OrchestratorService.ListOverrides": _fixed(orchestrator_pb2.ListOverridesRequest()),
    "FederationService.RegisterPod": lambda world, role: federation_pb2.RegisterPodRequest(
        pod_id="alpha", address=world.pod_address, language="python", execution_intent=common_pb2.EXECUTION_INTENT_MIXED
    ),
    "FederationService.ListPods": _fixed(federation_pb2.ListPodsRequest()),
    "FederationService.GetPod": _fixed(federation_pb2.GetPodRequest(pod_id="alpha")),
    "FederationService.ListPodSnapshots": _fixed(federation_pb2.ListPodSnapshotsRequest(pod_id="alpha")),
    "FederationService.PushPodConfig": _fixed(
        federation_pb2.PushPodConfigRequest(pod_id="alpha", limits=LIMITS, requested_by="authz")
    ),
    "ConstitutionService.Status": _fixed(constitution_pb2.StatusRequest()),
    "ConstitutionService.Configure": _current_config,
    # Destructive ones last, each undone after every call that succeeds (see UNDO).
    "OrchestratorService.HaltPodWithReason": _fixed(
        orchestrator_pb2.HaltPodWithReasonRequest(
            pod_id="alpha", halt_reason=common_pb2.HALT_REASON_MANUAL, requested_by="authz", reason="authz"
        )
    ),
    "OrchestratorService.ResumePodWithReason": _fixed(
        orchestrator_pb2.ResumePodWithReasonRequest(pod_id="alpha", requested_by="authz", reason="authz")
    ),
    "FederationService.HaltPod": _fixed(_halt()),
    "FederationService.ResumePod": _fixed(federation_pb2.ResumePodRequest(pod_id="alpha", requested_by="authz")),
    "FederationService.HaltAllPods": _fixed(
        federation_pb2.HaltAllPodsRequest(reason=common_pb2.HALT_REASON_MANUAL, requested_by="authz")
    ),
    "FederationService.DeregisterPod": _fixed(federation_pb2.DeregisterPodRequest(pod_id="alpha")),
    "ConstitutionService.Halt": _fixed(
        constitution_pb2.HaltRequest(reason=common_pb2.HALT_REASON_MANUAL, requested_by="authz")
    ),
}
UNDO: dict[str, Callable[[World], None]] = {
    "OrchestratorService.HaltPodWithReason": _resume,
    "FederationService.HaltPod": _resume,
    "FederationService.HaltAllPods": _resume,
    "FederationService.DeregisterPod": _register_again,
}
# Valid requests that this small world answers with a domain refusal, the same for every admitted
# role (so the call got past authorization); every other admitted call must succeed.
DOMAIN_ANSWERS = {
    "OptimizerService.GetCovariance": grpc.StatusCode.FAILED_PRECONDITION,  # needs two pods with 30 daily returns
    "AnalyticsService.GetResidualReport": grpc.StatusCode.FAILED_PRECONDITION,  # alpha has no daily returns yet
}


def method_key(method: MethodDescriptor) -> str:
    return f"{method.containing_service.name}.{method.name}"


def test_every_rpc_has_a_rule_and_a_request_builder() -> None:
    contract = {path_of(m) for m in contract_methods()}
    assert set(policy.POLICY) == contract, "policy.POLICY must name exactly the RPCs of the contract"
    assert set(BUILDERS) == {method_key(m) for m in contract_methods()}


def test_the_docs_are_the_generated_table() -> None:
    document = REPO_ROOT / "docs" / "authorization.md"
    assert document.read_text() == policy.render_markdown(), "run .venv/bin/python scripts/authz_table.py"


def test_the_whole_matrix_against_the_running_servers(world: World) -> None:
    methods = {method_key(m): m for m in contract_methods()}
    failures: list[str] = []
    walked = 0
    for key, build in BUILDERS.items():
        method = methods[key]
        rule = policy.POLICY[path_of(method)]
        for role in policy.ROLES:
            code, details = world.call(method, build(world, role), TOKENS[role])
            walked += 1
            expected = DOMAIN_ANSWERS.get(key, OK) if role in rule.roles else grpc.StatusCode.PERMISSION_DENIED
            if code is not expected:
                failures.append(f"{key} as {role.value}: {code.name} {details!r}, expected {expected.name}")
            if code is OK and key in UNDO:
                UNDO[key](world)
        code, details = world.call(method, build(world, Role.ADMIN), None)
        if code is not grpc.StatusCode.UNAUTHENTICATED:
            failures.append(f"{key} without a token: {code.name} {details!r}")
        code, details = world.call(method, build(world, Role.ADMIN), "not-a-known-token")
        if code is not grpc.StatusCode.PERMISSION_DENIED:
            failures.append(f"{key} with an unknown token: {code.name} {details!r}")
        request = build(world, Role.POD)
        if rule.own_pod_only and "pod_id" in request.DESCRIPTOR.fields_by_name:
            code, details = world.call(method, request, OTHER_POD_TOKEN)
            if code is not grpc.StatusCode.PERMISSION_DENIED:
                failures.append(f"{key} as pod beta on alpha: {code.name} {details!r}")
    assert not failures, "\n".join(failures)
    assert walked == len(policy.POLICY) * len(policy.ROLES)
