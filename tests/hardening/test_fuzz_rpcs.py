"""Hostile input against every RPC of every service, each served for real on 127.0.0.1.

Methods are enumerated from the generated descriptors, so a new RPC is fuzzed without editing this
file (a new service fails `test_every_service_is_served` until the world below hosts it). Each call
must succeed or fail with a clean status and a message, never INTERNAL or UNKNOWN; a rejected call
must leave the state fingerprint (what the services list and report) as it was; afterwards every
server still answers its health check.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import grpc
import pytest
import slipstream_api.v1
from conftest import ADMIN_TOKEN, POD_TOKENS
from every_service import AUDITOR_TOKEN, VIEWER_TOKEN, every_service
from fuzz_messages import message_class, wire_requests
from google.protobuf.descriptor import FieldDescriptor, MethodDescriptor, ServiceDescriptor
from google.protobuf.duration_pb2 import Duration
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
from support import LoopThread, eventually

from slipstream.transport import auth
from slipstream.transport.server import MAX_BULK_MESSAGE_BYTES, MAX_MESSAGE_BYTES

CLEAN_FAILURES = {
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.OUT_OF_RANGE,
    grpc.StatusCode.ALREADY_EXISTS,
}
EXAMPLES_PER_RPC = 15
# Fixed examples (derandomize) so a run is reproducible; no example database, no per-example deadline.
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_RPC,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
# Subscriptions validate the request, then wait for events: an idle one ends at this deadline.
SUBSCRIPTION_WAIT_S = 0.2
CALL_TIMEOUT_S = 10.0
SERVING = {health_pb2.HealthCheckResponse.SERVING}
RAW_AUTHORIZATION = "raw:"
# Five federation polls (poll_interval_s=0.1 in conftest.make_settings), with room for a loaded machine.
SETTLE_S = 0.5
READ_PREFIXES = ("Get", "List", "Query", "Stream", "Subscribe", "Status")
OK = grpc.StatusCode.OK


def all_services() -> list[ServiceDescriptor]:
    found = []
    for module in pkgutil.iter_modules(slipstream_api.v1.__path__):
        if module.name.endswith("_pb2"):
            descriptor = importlib.import_module(f"slipstream_api.v1.{module.name}").DESCRIPTOR
            found.extend(descriptor.services_by_name.values())
    return sorted(found, key=lambda service: service.full_name)


ALL_METHODS = [method for service in all_services() for method in service.methods]


def is_subscription(method: MethodDescriptor) -> bool:
    return method.server_streaming and not method.client_streaming and method.name.startswith(("Stream", "Subscribe"))


def is_read(method: MethodDescriptor) -> bool:
    return method.name.startswith(READ_PREFIXES) and not method.client_streaming


DECISION_TIME = Timestamp(seconds=1_767_225_600)
ORDER = gateway_pb2.SubmitOrderRequest(
    client_order_id="fuzz-1",
    symbol="BTC/USDT",
    side=common_pb2.ORDER_SIDE_BUY,
    type=gateway_pb2.ORDER_TYPE_LIMIT,
    quantity="0.01",
    limit_price="40000",
    decision_price="50000",
    decision_time=DECISION_TIME,
)
LIMITS = common_pb2.PodLimits(
    symbol_limits=[common_pb2.SymbolLimit(symbol="BTC/USDT", max_position_quantity="1")],
    max_gross_notional_usd="100000",
    capital_allocation_usd="50000",
)
# Valid requests, one field of which the fuzzer makes hostile: each field's own check must answer.
SEEDS: dict[str, Message] = {
    "GatewayService.SubmitOrder": ORDER,
    "GatewayService.StreamOrders": gateway_pb2.StreamOrdersRequest(request_id=1, submit=ORDER),
    "FederationService.PushPodConfig": federation_pb2.PushPodConfigRequest(
        pod_id="alpha", limits=LIMITS, parameters={"k": "v"}, requested_by="fuzz"
    ),
    "FederationService.HaltPod": federation_pb2.HaltPodRequest(
        pod_id="beta", reason=common_pb2.HALT_REASON_MANUAL, requested_by="fuzz"
    ),
    "ConstitutionService.Configure": constitution_pb2.ConfigureRequest(
        config=common_pb2.PodConfig(config_version=1, trading_state=common_pb2.TRADING_STATE_ACTIVE, limits=LIMITS)
    ),
    "DataLakeService.WriteBars": datalake_pb2.WriteBarsRequest(
        symbol="FUZZ/USD",
        timeframe="1d",
        bars=datalake_pb2.BarColumns(
            open_times_unix_ms=[86_400_000],
            opens=[1.0],
            highs=[2.0],
            lows=[0.5],
            closes=[1.5],
            volumes=[10.0],
            knowledge_times_unix_ns=[2 * 86_400_000_000_000],
        ),
    ),
    "DataLakeService.WriteTrades": datalake_pb2.WriteTradesRequest(
        symbol="FUZZ/USD",
        trades=datalake_pb2.TradeColumns(
            trade_times_unix_ms=[86_400_000],
            trade_ids=["t1"],
            prices=[1.0],
            quantities=[2.0],
            sides=[datalake_pb2.TRADE_SIDE_BUY],
            knowledge_times_unix_ns=[86_400_000_000_001],
        ),
    ),
    "OptimizerService.RunStressTest": optimizer_pb2.RunStressTestRequest(
        pods=[
            optimizer_pb2.PodScenario(
                pod_id="alpha", positions=[optimizer_pb2.ScenarioPosition(symbol="BTC/USD", notional_usd="1000")]
            )
        ],
        btc_correlation_limit=0.5,
    ),
    "OptimizerService.GetCapacity": optimizer_pb2.GetCapacityRequest(symbol="BTC/USD", impact_budget_bps=10.0),
    "OrchestratorService.PinAllocation": orchestrator_pb2.PinAllocationRequest(
        pod_id="beta", capital_usd="1000", requested_by="fuzz", reason="fuzz", expire_time=DECISION_TIME
    ),
    "OrchestratorService.ForceLifecycleStage": orchestrator_pb2.ForceLifecycleStageRequest(
        pod_id="beta", stage=common_pb2.LIFECYCLE_STAGE_GROWTH, requested_by="fuzz", reason="fuzz"
    ),
    "OrchestratorService.HaltPodWithReason": orchestrator_pb2.HaltPodWithReasonRequest(
        pod_id="beta", halt_reason=common_pb2.HALT_REASON_MANUAL, requested_by="fuzz", reason="fuzz"
    ),
    "AnalyticsService.OverrideLifecycleStage": analytics_pb2.OverrideLifecycleStageRequest(
        pod_id="beta", stage=common_pb2.LIFECYCLE_STAGE_GROWTH, requested_by="fuzz", reason="fuzz"
    ),
    "AnalyticsService.GetResidualReport": analytics_pb2.GetResidualReportRequest(
        pod_id="alpha", window=analytics_pb2.ReportWindow(start_time=DECISION_TIME), rolling_window_days=30
    ),
    "AnalyticsService.GetShortfallReport": analytics_pb2.GetShortfallReportRequest(
        pod_id="alpha", window=analytics_pb2.ReportWindow(start_time=DECISION_TIME)
    ),
    "DataLakeService.QueryBars": datalake_pb2.QueryBarsRequest(
        symbol="BTC/USD", timeframe="1d", start_time=DECISION_TIME, batch_size=10
    ),
    "DataLakeService.GetCoverage": datalake_pb2.GetCoverageRequest(symbol="BTC/USD", timeframe="1d", max_gap_count=5),
    "FederationService.ListPodSnapshots": federation_pb2.ListPodSnapshotsRequest(
        pod_id="alpha", start_time=DECISION_TIME, max_count=10
    ),
    "GatewayService.ListPrices": gateway_pb2.ListPricesRequest(pod_id="alpha", symbols=["BTC/USDT"]),
    "OptimizerService.RunCycle": optimizer_pb2.RunCycleRequest(
        mode=optimizer_pb2.CYCLE_MODE_OBSERVE,
        method=optimizer_pb2.ALLOCATION_METHOD_HIERARCHICAL_RISK_PARITY,
        estimator=optimizer_pb2.COVARIANCE_ESTIMATOR_LEDOIT_WOLF,
        requested_by="fuzz",
        pins=[optimizer_pb2.CapitalPin(pod_id="alpha", capital_usd="1000", reason="fuzz")],
    ),
    "VolatilityService.GetForecasts": volatility_pb2.GetForecastsRequest(symbols=["BTC/USD"], as_of_time=DECISION_TIME),
}
# The state a call to each service could change, checked after every rejected call; every other
# part of the fingerprint is checked once per RPC, when all of its calls were rejected.
OWN_STATE = {
    "FederationService": (),
    "ConstitutionService": (),
    "DataLakeService": ("lake",),
    "VolatilityService": ("lake",),
    "GatewayService": ("orders/alpha", "orders/beta", "fills/alpha", "positions/alpha"),
    "AuditorService": ("discrepancies",),
    "OptimizerService": ("allocations",),
    "OrchestratorService": ("overrides", "cycles", "allocations", "lifecycles"),
    "AnalyticsService": ("lifecycles",),
}
ALWAYS = ("federation", "pod")


@dataclass
class Outcome:
    code: grpc.StatusCode
    details: str
    responses: list[bytes] = field(default_factory=list)


@dataclass
class World:
    """Every service running for real, and the tokens each one knows."""

    addresses: dict[str, str]
    channels: dict[str, grpc.Channel] = field(default_factory=dict)

    def channel(self, service: str) -> grpc.Channel:
        address = self.addresses[service]
        if address not in self.channels:
            self.channels[address] = grpc.insecure_channel(address)
        return self.channels[address]

    def call(
        self, method: MethodDescriptor, requests: list[bytes], token: str | None, timeout: float | None = None
    ) -> Outcome:
        """Send raw request bytes to `method` as a hostile client would; return the status it ends with."""
        channel = self.channel(method.containing_service.full_name)
        path = f"/{method.containing_service.full_name}/{method.name}"
        # A token, or (for hostile headers) a whole "authorization" value marked RAW_AUTHORIZATION.
        if token and token.startswith(RAW_AUTHORIZATION):
            metadata: tuple[tuple[str, str], ...] | None = ((auth.AUTHORIZATION, token[len(RAW_AUTHORIZATION) :]),)
        else:
            metadata = auth.bearer_metadata(token) if token else None
        subscription = is_subscription(method)
        if timeout is None:
            timeout = SUBSCRIPTION_WAIT_S if subscription else CALL_TIMEOUT_S
        responses: list[bytes] = []
        try:
            if method.client_streaming:
                stream = channel.stream_stream(path)(iter(requests), metadata=metadata, timeout=timeout)
                responses.extend(stream)
            elif method.server_streaming:
                stream = channel.unary_stream(path)(requests[0], metadata=metadata, timeout=timeout)
                for response in stream:
                    responses.append(response)
                    if subscription:
                        stream.cancel()
                        break
            else:
                responses.append(channel.unary_unary(path)(requests[0], metadata=metadata, timeout=timeout))
        except grpc.RpcError as error:
            code, details = error.code(), error.details() or ""
            if subscription and code == grpc.StatusCode.CANCELLED and responses:
                return Outcome(OK, "", responses)
            if subscription and code == grpc.StatusCode.DEADLINE_EXCEEDED and timeout == SUBSCRIPTION_WAIT_S:
                return Outcome(OK, "an idle subscription", responses)
            return Outcome(code, details, responses)
        return Outcome(OK, "", responses)

    def unary(self, service: str, method: str, request: Message, token: str = ADMIN_TOKEN) -> grpc.Future:
        """Start a well-formed call; the caller takes `.result()`."""
        response_class = type(request).__name__.removesuffix("Request") + "Response"
        response_type = getattr(importlib.import_module(type(request).__module__), response_class)
        call = self.channel(service).unary_unary(
            f"/{service}/{method}",
            request_serializer=type(request).SerializeToString,
            response_deserializer=response_type.FromString,
        )
        return call.future(request, metadata=auth.bearer_metadata(token), timeout=CALL_TIMEOUT_S)

    def fingerprint(self, parts: tuple[str, ...] | None = None) -> dict[str, Any]:
        """What the services hold (all of it, or `parts`), without fields that move by themselves
        (times, marks, health)."""
        gateway, orchestrator = "slipstream.v1.GatewayService", "slipstream.v1.OrchestratorService"
        reads: dict[str, tuple[str, str, Message]] = {
            "federation": ("slipstream.v1.FederationService", "ListPods", federation_pb2.ListPodsRequest()),
            "pod": ("slipstream.v1.ConstitutionService", "Status", constitution_pb2.StatusRequest()),
            "lake": ("slipstream.v1.DataLakeService", "ListSeries", datalake_pb2.ListSeriesRequest()),
            "allocations": (
                "slipstream.v1.OptimizerService",
                "ListAllocations",
                optimizer_pb2.ListAllocationsRequest(),
            ),
            "overrides": (orchestrator, "ListOverrides", orchestrator_pb2.ListOverridesRequest()),
            "cycles": (orchestrator, "ListFederationCycles", orchestrator_pb2.ListFederationCyclesRequest()),
            "lifecycles": ("slipstream.v1.AnalyticsService", "ListLifecycles", analytics_pb2.ListLifecyclesRequest()),
            "discrepancies": (
                "slipstream.v1.AuditorService",
                "ListDiscrepancies",
                auditor_pb2.ListDiscrepanciesRequest(include_resolved=True),
            ),
        }
        for pod_id in ("alpha", "beta"):
            reads[f"orders/{pod_id}"] = (gateway, "ListOrders", gateway_pb2.ListOrdersRequest(pod_id=pod_id))
            reads[f"fills/{pod_id}"] = (gateway, "ListFills", gateway_pb2.ListFillsRequest(pod_id=pod_id))
            reads[f"positions/{pod_id}"] = (gateway, "ListPositions", gateway_pb2.ListPositionsRequest(pod_id=pod_id))
        names = tuple(reads) if parts is None else (*ALWAYS, *parts)
        calls = {
            name: self.unary(*reads[name], token=POD_TOKENS["alpha"] if name == "pod" else ADMIN_TOKEN)
            for name in names
        }
        state: dict[str, Any] = {name: call.result() for name, call in calls.items()}
        state["federation"] = sorted(
            (p.pod_id, p.address, p.desired_trading_state, p.desired_config.SerializeToString(deterministic=True))
            for p in state["federation"].pods
        )
        status = state["pod"].status
        state["pod"] = (status.trading_state, status.config.SerializeToString(), status.halt.SerializeToString())
        return state

    def settled(self, parts: tuple[str, ...] | None = None) -> dict[str, Any]:
        """The fingerprint once follow-ups of an accepted call (a halt's config push on the next
        poll) are done: the same on two reads SETTLE_S apart."""
        previous: dict[str, Any] | None = None

        def quiet() -> dict[str, Any] | None:
            nonlocal previous
            current = self.fingerprint(parts)
            same, previous = current == previous, current
            return current if same else None

        return eventually(quiet, interval_s=SETTLE_S)

    def serving(self) -> set[int]:
        """The health statuses the servers answer ({SERVING} when all are fine)."""
        request = health_pb2.HealthCheckRequest()
        return {
            health_pb2_grpc.HealthStub(self.channel(service)).Check(request, timeout=5).status
            for service in self.addresses
        }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Federation with pod alpha serving, lake (+ volatility), gateway on paper, auditor, optimizer,
    orchestrator and analytics, wired together as in production."""
    loop = LoopThread()
    try:
        with every_service(tmp_path_factory.mktemp("fuzz"), loop) as served:
            world = World(served.addresses)
            world.settled()
            yield world
            for channel in world.channels.values():
                channel.close()
    finally:
        loop.close()


def tokens() -> st.SearchStrategy[str | None]:
    """The admin, a pod (alpha, who exists everywhere it may), an auditor, a viewer, a stranger,
    nobody, and malformed authorization headers."""
    malformed = ["", "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", f"bearer  {ADMIN_TOKEN}x", "Bearer " + "A" * 4000]
    trusted = st.sampled_from([ADMIN_TOKEN, POD_TOKENS["alpha"]])
    others = [AUDITOR_TOKEN, VIEWER_TOKEN, "not-a-known-token", None] + [
        RAW_AUTHORIZATION + value for value in malformed
    ]
    # Two thirds trusted, so most requests get past authentication to the checks behind it.
    return st.one_of(trusted, trusted, st.sampled_from(others))


def assert_clean(method: MethodDescriptor, outcome: Outcome) -> None:
    name = f"{method.containing_service.name}/{method.name}"
    if outcome.code != OK:
        assert outcome.code in CLEAN_FAILURES, f"{name}: {outcome.code.name} {outcome.details!r}"
        assert outcome.details.strip(), f"{name}: {outcome.code.name} without a message"
    if method.name == "StreamOrders":
        # An order-entry session answers each bad request inside the stream, with a status code name.
        for raw in outcome.responses:
            answer = gateway_pb2.StreamOrdersResponse.FromString(raw)
            if answer.HasField("error"):
                assert answer.error.code not in ("INTERNAL", "UNKNOWN"), f"{name}: {answer.error}"


def test_every_service_is_served(world: World) -> None:
    assert {service.full_name for service in all_services()} == set(world.addresses)


def method_id(method: MethodDescriptor) -> str:
    return f"{method.containing_service.name}.{method.name}"


@pytest.mark.parametrize("method", ALL_METHODS, ids=method_id)
def test_hostile_requests_get_a_clean_status_and_rejected_ones_change_nothing(
    world: World, method: MethodDescriptor
) -> None:
    own = None if is_read(method) else OWN_STATE[method.containing_service.name]
    seed = SEEDS.get(method_id(method))
    requests = st.lists(
        wire_requests(method.input_type, seed), min_size=1, max_size=3 if method.client_streaming else 1
    )
    start = world.fingerprint()
    baseline = world.fingerprint(own) if own is not None else {}
    accepted: list[bool] = []

    @FUZZ_SETTINGS
    @given(requests=requests, token=tokens())
    def fuzz(requests: list[bytes], token: str | None) -> None:
        nonlocal baseline
        outcome = world.call(method, requests, token)
        assert_clean(method, outcome)
        accepted.append(outcome.code == OK)
        if own is None:
            return
        if outcome.code == OK:
            baseline = world.settled(own)
        else:
            assert world.fingerprint(own) == baseline, f"rejected {method.name} ({outcome.details}) changed the state"

    fuzz()
    if is_read(method) or not any(accepted):
        assert world.fingerprint() == start, f"{method.name} changed the state"
    assert world.serving() == SERVING


def test_a_zero_deadline_is_deadline_exceeded_everywhere_and_the_servers_are_fine(world: World) -> None:
    before = world.fingerprint()
    for method in ALL_METHODS:
        empty = message_class(method.input_type)().SerializeToString()

        expired = world.call(method, [empty], ADMIN_TOKEN, timeout=-1.0)
        # A deadline of zero (or 100 us) races the server: either it expires or a clean answer wins.
        racing = [world.call(method, [empty], ADMIN_TOKEN, timeout=timeout) for timeout in (0.0, 1e-4)]

        assert expired.code == grpc.StatusCode.DEADLINE_EXCEEDED, method_id(method)
        for outcome in racing:
            assert outcome.code in {*CLEAN_FAILURES, OK, grpc.StatusCode.DEADLINE_EXCEEDED}, (
                method_id(method),
                outcome,
            )
    assert world.serving() == SERVING
    assert world.fingerprint() == before


def test_an_oversized_message_is_resource_exhausted_by_every_server(world: World) -> None:
    limits = {"slipstream.v1.DataLakeService": MAX_BULK_MESSAGE_BYTES, "slipstream.v1.VolatilityService": None}
    before = world.fingerprint()
    for service in all_services():
        limit = limits.get(service.full_name, MAX_MESSAGE_BYTES)
        if limit is None:
            continue  # shares the data lake's server, checked there
        method = next(m for m in service.methods if not m.client_streaming)
        # Any field number will do: the size is checked before the message is parsed.
        oversized = b"\x0a" + _varint(limit) + b"x" * limit

        outcome = world.call(method, [oversized], ADMIN_TOKEN)

        assert outcome.code == grpc.StatusCode.RESOURCE_EXHAUSTED, (service.name, outcome)
        assert "larger than max" in outcome.details
    assert world.serving() == SERVING
    assert world.fingerprint() == before


def _varint(value: int) -> bytes:
    encoded = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        encoded.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(encoded)


HUGE_COUNT = 100_000


def _huge(field: FieldDescriptor) -> list[Any]:
    """HUGE_COUNT copies of a plausible element: about 1 MiB, under the 4 MiB limit."""
    if field.message_type is not None:
        element: Any = message_class(field.message_type)()
    elif field.type == FieldDescriptor.TYPE_STRING:
        element = "BTC/USDT"
    elif field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        element = 1.0
    elif field.type == FieldDescriptor.TYPE_BYTES:
        element = b"x"
    else:
        element = 1
    return [element] * HUGE_COUNT


def _grow(holder: Message, depth: int = 0) -> bool:
    """Make every repeated field of `holder` huge, through singular nested messages; True if any."""
    grown = False
    for part in holder.DESCRIPTOR.fields:
        if part.is_repeated and not (part.message_type and part.message_type.GetOptions().map_entry):
            container = getattr(holder, part.name)
            del container[:]
            container.extend(_huge(part))
            grown = True
        elif part.message_type is not None and not part.is_repeated and depth < 3:
            grown = _grow(getattr(holder, part.name), depth + 1) or grown
    return grown


def huge_requests() -> list[tuple[MethodDescriptor, bytes]]:
    """For every method with a repeated field (at any depth), a request with all of them huge."""
    found = []
    for method in ALL_METHODS:
        request = message_class(method.input_type)()
        request.CopyFrom(SEEDS.get(method_id(method), request))
        if _grow(request):
            found.append((method, request.SerializeToString()))
    return found


def test_huge_repeated_fields_get_a_clean_answer_in_bounded_time(world: World) -> None:
    cases = huge_requests()
    assert {"ConstitutionService.Configure", "VolatilityService.GetForecasts"} <= {method_id(m) for m, _ in cases}
    before = world.fingerprint()
    for method, request in cases:
        outcome = world.call(method, [request], ADMIN_TOKEN)

        assert_clean(method, outcome)
        assert outcome.code != OK or is_read(method), f"{method_id(method)} accepted {HUGE_COUNT} copies"
    assert world.serving() == SERVING
    assert world.fingerprint() == before


def test_malformed_wire_data_is_invalid_argument_naming_the_request(world: World) -> None:
    """Regression: grpc answered UNKNOWN with the parser's message (our type names) before the fix."""
    methods = {method_id(m): m for m in ALL_METHODS}
    register, query = methods["FederationService.RegisterPod"], methods["DataLakeService.QueryBars"]
    session = methods["GatewayService.StreamOrders"]
    good = gateway_pb2.StreamOrdersRequest(request_id=1, cancel=gateway_pb2.CancelOrderRequest(client_order_id="x"))

    unary = world.call(register, [b"\x00"], ADMIN_TOKEN)
    streamed = world.call(query, [b"\x0a\x05BTC"], ADMIN_TOKEN)
    in_session = world.call(session, [good.SerializeToString(), b"\xff\xff"], POD_TOKENS["alpha"])

    for outcome in (unary, streamed, in_session):
        assert outcome.code == grpc.StatusCode.INVALID_ARGUMENT, outcome
        assert outcome.details.startswith("request: not a valid protobuf encoding")
        assert "slipstream.v1" not in outcome.details
    # The session answered the good request before refusing the malformed one.
    (answer,) = [gateway_pb2.StreamOrdersResponse.FromString(raw) for raw in in_session.responses]
    assert answer.request_id == 1 and answer.error.code == "NOT_FOUND"


def _trades(**columns: Any) -> datalake_pb2.WriteTradesRequest:
    values: dict[str, Any] = {
        "trade_times_unix_ms": [86_400_000],
        "trade_ids": ["t1"],
        "prices": [1.0],
        "quantities": [1.0],
        "sides": [datalake_pb2.TRADE_SIDE_BUY],
        "knowledge_times_unix_ns": [86_400_000_000_001],
    }
    values.update(columns)
    return datalake_pb2.WriteTradesRequest(symbol="FAR/USD", trades=datalake_pb2.TradeColumns(**values))


FAR_BAR = datalake_pb2.BarColumns(
    open_times_unix_ms=[(2**63 - 1) // 60_000 * 60_000],
    opens=[1.0],
    highs=[1.0],
    lows=[1.0],
    closes=[1.0],
    volumes=[1.0],
    knowledge_times_unix_ns=[1],
)
HUGE_QUANTITY = common_pb2.PodLimits(
    symbol_limits=[common_pb2.SymbolLimit(symbol="BTC/USDT", max_position_quantity="1e999999999")]
)
ORDER_FIELDS: dict[str, Any] = {
    "client_order_id": "t1",
    "symbol": "BTC/USDT",
    "side": common_pb2.ORDER_SIDE_BUY,
    "type": gateway_pb2.ORDER_TYPE_MARKET,
    "quantity": "0.01",
    "decision_price": "50000",
}
# Each was INTERNAL before its fix (the fuzzer found them); the comment says what raised.
FOUND_BY_FUZZING: list[tuple[str, str, Message, str, str]] = [
    # Timestamp.ToDatetime: ValueError outside years 1..9999 or nanos outside 0..999,999,999.
    (
        "before-year-1",
        "FederationService.ListPodSnapshots",
        federation_pb2.ListPodSnapshotsRequest(pod_id="alpha", start_time=Timestamp(seconds=-62_135_596_801)),
        "start_time",
        "must be a valid Timestamp",
    ),
    (
        "after-year-9999",
        "FederationService.ListPodSnapshots",
        federation_pb2.ListPodSnapshotsRequest(pod_id="alpha", end_time=Timestamp(seconds=2**62)),
        "end_time",
        "must be a valid Timestamp",
    ),
    (
        "negative-nanos",
        "GatewayService.SubmitOrder",
        gateway_pb2.SubmitOrderRequest(**ORDER_FIELDS, decision_time=Timestamp(seconds=1, nanos=-1)),
        "decision_time",
        "must be a valid Timestamp",
    ),
    (
        "expire-after-9999",
        "OrchestratorService.PinAllocation",
        orchestrator_pb2.PinAllocationRequest(
            pod_id="alpha", capital_usd="1", requested_by="t", reason="t", expire_time=Timestamp(seconds=2**40)
        ),
        "expire_time",
        "must be a valid Timestamp",
    ),
    # The time times 1e6 wrapped around int64 and passed the checks; the stored row then made
    # ListSeries INTERNAL for everyone.
    (
        "far-future-trade",
        "DataLakeService.WriteTrades",
        _trades(trade_times_unix_ms=[2**63 - 1], knowledge_times_unix_ns=[1]),
        "trades[0].trade_time_ms",
        "must not be in the future",
    ),
    (
        "far-future-bar",
        "DataLakeService.WriteBars",
        datalake_pb2.WriteBarsRequest(symbol="FAR/USD", timeframe="1m", bars=FAR_BAR),
        "bars[0].open_time_ms",
        "must not be in the future",
    ),
    # numpy: OverflowError casting the side to int8.
    (
        "unknown-trade-side",
        "DataLakeService.WriteTrades",
        _trades(sides=[2**31 - 1]),
        "trades[0].side",
        "must be a known TRADE_SIDE",
    ),
    # Duration.ToTimedelta: OverflowError on huge seconds.
    (
        "huge-halt-timeout",
        "FederationService.HaltPod",
        federation_pb2.HaltPodRequest(
            pod_id="alpha",
            reason=common_pb2.HALT_REASON_MANUAL,
            requested_by="t",
            timeout=Duration(seconds=2**62),
        ),
        "timeout",
        "must be at most 60 seconds",
    ),
    # The pod took it; the federation, re-issuing its own configuration one version above, overflowed
    # int64 and its polling task died (no more polls, halts re-applied or configurations pushed).
    (
        "config-version-at-int64-max",
        "ConstitutionService.Configure",
        constitution_pb2.ConfigureRequest(
            config=common_pb2.PodConfig(config_version=2**63 - 1, trading_state=common_pb2.TRADING_STATE_ACTIVE)
        ),
        "config.config_version",
        "must be between 1 and",
    ),
    # decimal.Overflow: abs() of 1e999999999 rounds to the context.
    (
        "huge-exponent-decimal",
        "FederationService.PushPodConfig",
        federation_pb2.PushPodConfigRequest(pod_id="alpha", limits=HUGE_QUANTITY, requested_by="t"),
        "limits.symbol_limits[0].max_position_quantity",
        "is out of range",
    ),
]


@pytest.mark.parametrize(
    ("method", "request_message", "field", "problem"),
    [case[1:] for case in FOUND_BY_FUZZING],
    ids=[case[0] for case in FOUND_BY_FUZZING],
)
def test_inputs_the_fuzzer_broke_are_invalid_argument_naming_the_field(
    world: World, method: str, request_message: Message, field: str, problem: str
) -> None:
    (descriptor,) = [m for m in ALL_METHODS if method_id(m) == method]
    token = POD_TOKENS["alpha"] if method.startswith(("Gateway", "Constitution")) else ADMIN_TOKEN
    before = world.fingerprint()

    outcome = world.call(descriptor, [request_message.SerializeToString()], token)

    assert outcome.code == grpc.StatusCode.INVALID_ARGUMENT, outcome
    assert outcome.details.startswith(f"{field}: {problem}"), outcome.details
    assert world.fingerprint() == before
