"""The execution gateway over real gRPC on the paper venue: checks, idempotency, feed, identity."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc
import pytest
from conftest import ADMIN_TOKEN, Cluster
from slipstream_api.v1 import common_pb2, gateway_pb2, gateway_pb2_grpc
from support import LoopThread, eventually

from slipstream.core.model import HaltReason, PodLimits, SymbolLimit, TradingState
from slipstream.gateway.controls import StaticControls
from slipstream.gateway.risk import PodControl, RiskSettings
from slipstream.gateway.server import GatewaySettings, PaperAccountSettings, PodAccess, RunningGateway, start_gateway
from slipstream.gateway.venues.paper import PaperVenue
from slipstream.transport import auth

D = Decimal
LIMITS = PodLimits(
    symbol_limits=(SymbolLimit("BTC/USDT", max_position_quantity=D(2)),),
    max_gross_notional_usd=D(200_000),
    capital_allocation_usd=D(100_000),
)
TOKENS = {"alpha": "alpha-gw-token", "beta": "beta-gw-token", "gamma": "gamma-gw-token"}
RISK = RiskSettings(
    max_order_notional_usd=D(150_000),
    max_order_quantity={"BTC/USDT": D(3)},
    price_collar_bps=D(300),
    max_orders_per_second=20,
)


class CountingVenue(PaperVenue):
    """The paper venue, counting what reaches it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitted: list[str] = []

    async def submit(self, order: Any) -> Any:
        self.submitted.append(order.request.client_order_id)
        return await super().submit(order)


@dataclass
class GatewayHandle:
    loop: LoopThread
    data_dir: Path
    running: RunningGateway
    controls: StaticControls

    @property
    def venue(self) -> PaperVenue:
        return self.running.venues["main"]  # type: ignore[return-value]

    def stub(self, pod_id: str | None) -> tuple[Any, tuple[tuple[str, str], ...]]:
        channel = grpc.insecure_channel(self.running.address)
        token = TOKENS[pod_id] if pod_id else ADMIN_TOKEN
        return gateway_pb2_grpc.GatewayServiceStub(channel), auth.bearer_metadata(token)

    def submit(self, pod_id: str, **fields: Any) -> gateway_pb2.SubmitOrderResponse:
        stub, metadata = self.stub(pod_id)
        return stub.SubmitOrder(order(**fields), metadata=metadata, timeout=5)

    def set_price(self, price: str) -> None:
        self.loop.loop.call_soon_threadsafe(self.venue.set_price, "BTC/USDT", D(price))

    def restart(self) -> None:
        port = self.running.server.port
        self.loop.run(self.running.stop())
        self.running = self.loop.run(start_gateway(settings(self.data_dir, f"127.0.0.1:{port}"), self.controls))


def settings(data_dir: Path, listen: str = "127.0.0.1:0", federation: str | None = None) -> GatewaySettings:
    return GatewaySettings(
        data_dir=data_dir,
        pods={pod_id: PodAccess(token, "main" if pod_id != "gamma" else "other") for pod_id, token in TOKENS.items()},
        paper_accounts={
            "main": PaperAccountSettings(
                {"BTC/USDT": D(50_000), "ETH/USDT": D(2_500)}, walk_interval_s=None, max_fill_quantity=D("0.4")
            ),
            "other": PaperAccountSettings({"BTC/USDT": D(50_000)}, walk_interval_s=None),
        },
        listen=listen,
        admin_token=ADMIN_TOKEN,
        federation=federation,
        risk=RISK,
    )


def order(**fields: Any) -> gateway_pb2.SubmitOrderRequest:
    values: dict[str, Any] = {
        "client_order_id": "c1",
        "symbol": "BTC/USDT",
        "side": common_pb2.ORDER_SIDE_BUY,
        "type": gateway_pb2.ORDER_TYPE_MARKET,
        "quantity": "0.5",
        "decision_price": "49990",
    }
    values.update(fields)
    request = gateway_pb2.SubmitOrderRequest(**values)
    if "decision_time" not in fields:
        request.decision_time.FromDatetime(datetime(2026, 1, 1, tzinfo=timezone.utc))
    return request


@pytest.fixture
def gateway(tmp_path: Path, loop_thread: LoopThread) -> Iterator[GatewayHandle]:
    controls = StaticControls({pod: PodControl(TradingState.ACTIVE, LIMITS) for pod in TOKENS})
    running = loop_thread.run(start_gateway(settings(tmp_path), controls))
    counting = CountingVenue("main", {"BTC/USDT": D(50_000), "ETH/USDT": D(2_500)}, max_fill_quantity=D("0.4"))
    counting.set_listener(running.gateway._on_venue_report)
    running.venues["main"] = counting
    running.gateway.venues["main"] = counting
    handle = GatewayHandle(loop_thread, tmp_path, running, controls)
    yield handle
    loop_thread.run(handle.running.stop())


def test_market_order_fills_as_taker_and_builds_the_position(gateway: GatewayHandle) -> None:
    answer = gateway.submit("alpha")
    filled = answer.order
    assert filled.status == gateway_pb2.ORDER_STATUS_FILLED and not answer.duplicate
    assert D(filled.average_fill_price) == D(50_000) * D("1.0001")  # mark + 1 bp half spread
    assert D(filled.fees_usd) == D("0.5") * D(50_005) * D("0.0005")
    assert filled.decision_price == "49990" and filled.reference_price == "50000"
    stub, metadata = gateway.stub("alpha")
    (fill,) = stub.ListFills(gateway_pb2.ListFillsRequest(), metadata=metadata).fills
    assert fill.liquidity == gateway_pb2.LIQUIDITY_TAKER and fill.quantity == "0.5"
    (position,) = stub.ListPositions(gateway_pb2.ListPositionsRequest(), metadata=metadata).positions
    assert position.quantity == "0.5" and D(position.average_entry_price) == D(50_005)


def test_a_retry_returns_the_original_order_and_places_nothing(gateway: GatewayHandle) -> None:
    first = gateway.submit("alpha", client_order_id="same")
    again = gateway.submit("alpha", client_order_id="same")
    assert again.duplicate and again.order == first.order
    assert gateway.venue.submitted == ["same"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"quantity": "3.5"}, gateway_pb2.REJECT_REASON_MAX_ORDER_QUANTITY),
        ({"symbol": "ETH/USDT", "quantity": "61"}, gateway_pb2.REJECT_REASON_MAX_ORDER_NOTIONAL),
        ({"type": gateway_pb2.ORDER_TYPE_LIMIT, "limit_price": "52000"}, gateway_pb2.REJECT_REASON_PRICE_COLLAR),
        ({"quantity": "2.5"}, gateway_pb2.REJECT_REASON_POSITION_LIMIT),
        ({"symbol": "DOGE/USDT"}, gateway_pb2.REJECT_REASON_UNKNOWN_SYMBOL),
        ({"reduce_only": True}, gateway_pb2.REJECT_REASON_REDUCE_ONLY_ORDER),
        ({"symbol": "ETH/USDT", "quantity": "59"}, gateway_pb2.REJECT_REASON_GROSS_NOTIONAL_LIMIT),
    ],
)
def test_each_check_rejects_with_its_reason_and_nothing_reaches_the_venue(
    gateway: GatewayHandle, fields: dict[str, Any], reason: int
) -> None:
    if reason == gateway_pb2.REJECT_REASON_GROSS_NOTIONAL_LIMIT:
        gateway.submit("alpha", client_order_id="btc", quantity="1.8")  # 90,000 USD of BTC first
    answer = gateway.submit("alpha", client_order_id="x", **fields)
    assert answer.order.status == gateway_pb2.ORDER_STATUS_REJECTED
    assert answer.order.reject_reason == reason, answer.order.reject_message
    assert "x" not in gateway.venue.submitted  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (TradingState.HALTED, gateway_pb2.REJECT_REASON_POD_HALTED),
        (TradingState.REDUCE_ONLY, gateway_pb2.REJECT_REASON_REDUCE_ONLY),
        (None, gateway_pb2.REJECT_REASON_NOT_CONFIGURED),
    ],
)
def test_the_federations_state_is_enforced(gateway: GatewayHandle, state: TradingState | None, reason: int) -> None:
    if state is None:
        del gateway.controls.controls["alpha"]
    else:
        gateway.controls.controls["alpha"] = PodControl(state, LIMITS)
    answer = gateway.submit("alpha", client_order_id="blocked")
    assert answer.order.reject_reason == reason
    assert gateway.venue.submitted == []  # type: ignore[attr-defined]


def test_throttle_and_self_trade_prevention(gateway: GatewayHandle) -> None:
    resting = gateway.submit(
        "beta",
        client_order_id="ask",
        side=common_pb2.ORDER_SIDE_SELL,
        type=gateway_pb2.ORDER_TYPE_LIMIT,
        limit_price="50500",
        quantity="0.1",
    )
    assert resting.order.status == gateway_pb2.ORDER_STATUS_OPEN
    crossing = gateway.submit("alpha", client_order_id="bid", type=gateway_pb2.ORDER_TYPE_LIMIT, limit_price="50600")
    assert crossing.order.reject_reason == gateway_pb2.REJECT_REASON_SELF_TRADE
    answers = [gateway.submit("alpha", client_order_id=f"t{i}", quantity="0.01").order for i in range(25)]
    throttled = [a for a in answers if a.reject_reason == gateway_pb2.REJECT_REASON_MESSAGE_THROTTLE]
    assert 1 <= len(throttled) <= 25 - 19  # the 20-per-second budget, minus the orders already sent


def test_resting_limit_order_fills_partially_as_maker(gateway: GatewayHandle) -> None:
    answer = gateway.submit(
        "alpha", client_order_id="bid", type=gateway_pb2.ORDER_TYPE_LIMIT, limit_price="49500", quantity="1"
    )
    assert answer.order.status == gateway_pb2.ORDER_STATUS_OPEN
    stub, metadata = gateway.stub("alpha")
    get = gateway_pb2.GetOrderRequest(client_order_id="bid")
    gateway.set_price("49400")
    eventually(lambda: stub.GetOrder(get, metadata=metadata).order.status == gateway_pb2.ORDER_STATUS_PARTIALLY_FILLED)
    gateway.set_price("49300")
    gateway.set_price("49200")
    done = eventually(
        lambda: (o := stub.GetOrder(get, metadata=metadata).order).status == gateway_pb2.ORDER_STATUS_FILLED and o
    )
    assert done.filled_quantity == "1" and D(done.average_fill_price) == D(49_500)
    fills = stub.ListFills(gateway_pb2.ListFillsRequest(), metadata=metadata).fills
    assert [f.quantity for f in fills] == ["0.4", "0.4", "0.2"]
    assert all(f.liquidity == gateway_pb2.LIQUIDITY_MAKER for f in fills)


def test_a_pod_sees_only_its_own_orders_and_the_admin_never_trades(gateway: GatewayHandle) -> None:
    gateway.submit("alpha", client_order_id="mine")
    beta, beta_md = gateway.stub("beta")
    with pytest.raises(grpc.RpcError) as raised:
        beta.GetOrder(gateway_pb2.GetOrderRequest(client_order_id="mine"), metadata=beta_md)
    assert raised.value.code() is grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as raised:
        beta.ListOrders(gateway_pb2.ListOrdersRequest(pod_id="alpha"), metadata=beta_md)
    assert raised.value.code() is grpc.StatusCode.PERMISSION_DENIED
    admin, admin_md = gateway.stub(None)
    assert (
        admin.GetOrder(
            gateway_pb2.GetOrderRequest(client_order_id="mine", pod_id="alpha"), metadata=admin_md
        ).order.pod_id
        == "alpha"
    )
    with pytest.raises(grpc.RpcError) as raised:
        admin.SubmitOrder(order(), metadata=admin_md)
    assert raised.value.code() is grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "NaN"}, "quantity"),
        ({"side": 0}, "side"),
        ({"type": 0}, "type"),
        ({"client_order_id": "bad id!"}, "client_order_id"),
        ({"type": gateway_pb2.ORDER_TYPE_LIMIT}, "limit_price"),
        ({"decision_price": ""}, "decision_price"),
    ],
)
def test_malformed_orders_are_invalid_argument(gateway: GatewayHandle, fields: dict[str, Any], field: str) -> None:
    stub, metadata = gateway.stub("alpha")
    with pytest.raises(grpc.RpcError) as raised:
        stub.SubmitOrder(order(**fields), metadata=metadata, timeout=5)
    assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert raised.value.details().startswith(field)
    assert gateway.venue.submitted == []  # type: ignore[attr-defined]


def test_feed_resumes_after_a_restart_without_gaps_or_repeats(gateway: GatewayHandle) -> None:
    for i in range(5):
        gateway.submit("alpha", client_order_id=f"o{i}", quantity="0.1")
    stub, metadata = gateway.stub("alpha")
    stream = stub.StreamExecutions(gateway_pb2.StreamExecutionsRequest(after_sequence=0), metadata=metadata)
    seen = []
    for event in stream:
        seen.append(event.sequence)
        if len(seen) == 7:
            break
    stream.cancel()
    gateway.restart()
    gateway.submit("alpha", client_order_id="after-restart", quantity="0.1")
    stub, metadata = gateway.stub("alpha")
    resumed = stub.StreamExecutions(gateway_pb2.StreamExecutionsRequest(after_sequence=seen[-1]), metadata=metadata)
    rest: list[Any] = []

    def collect() -> None:
        try:
            for event in resumed:
                rest.append(event)
        except grpc.RpcError as error:
            assert error.code() is grpc.StatusCode.CANCELLED

    collector = threading.Thread(target=collect, daemon=True)
    collector.start()
    # Per market order: PENDING, fill, FILLED = 3 events; 6 orders = 18.
    eventually(lambda: len(rest) >= 18 - 7)
    resumed.cancel()
    sequences = seen + [e.sequence for e in rest]
    assert sequences == list(range(1, 19))
    orders = stub.ListOrders(gateway_pb2.ListOrdersRequest(), metadata=metadata).orders
    assert len(orders) == 6 and all(o.status == gateway_pb2.ORDER_STATUS_FILLED for o in orders)
    (position,) = stub.ListPositions(gateway_pb2.ListPositionsRequest(), metadata=metadata).positions
    assert position.quantity == "0.6"


def test_a_federation_halt_blocks_the_pod_at_the_gateway(cluster: Cluster, tmp_path: Path) -> None:
    from conftest import POD_TOKENS

    cluster.start_pod("alpha")
    with cluster.admin() as admin:
        eventually(lambda: admin.get_pod("alpha").last_status.trading_state == common_pb2.TRADING_STATE_ACTIVE)
        gateway_settings = settings(tmp_path / "gw", federation=cluster.address)
        gateway_settings = GatewaySettings(
            **{**gateway_settings.__dict__, "pods": {"alpha": PodAccess(POD_TOKENS["alpha"], "main")}}
        )
        running = cluster.loop.run(start_gateway(gateway_settings))
        try:
            channel = grpc.insecure_channel(running.address)
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            metadata = auth.bearer_metadata(POD_TOKENS["alpha"])
            assert eventually(lambda: running.controls("alpha") is not None)
            ok = stub.SubmitOrder(order(client_order_id="before"), metadata=metadata).order
            assert ok.status == gateway_pb2.ORDER_STATUS_FILLED
            admin.halt("alpha", HaltReason.RISK_VIOLATION, "test")
            eventually(lambda: running.controls("alpha").trading_state is TradingState.HALTED)  # type: ignore[union-attr]
            blocked = stub.SubmitOrder(order(client_order_id="after"), metadata=metadata).order
            assert blocked.reject_reason == gateway_pb2.REJECT_REASON_POD_HALTED
            channel.close()
        finally:
            cluster.loop.run(running.stop())


def test_an_order_entry_session_answers_each_request_in_order_and_survives_bad_ones(gateway: GatewayHandle) -> None:
    stub, metadata = gateway.stub("alpha")
    requests = [
        gateway_pb2.StreamOrdersRequest(request_id=1, submit=order(client_order_id="s1")),
        gateway_pb2.StreamOrdersRequest(request_id=2, submit=order(client_order_id="s2", quantity="-1")),
        gateway_pb2.StreamOrdersRequest(request_id=3, cancel=gateway_pb2.CancelOrderRequest(client_order_id="nope")),
        gateway_pb2.StreamOrdersRequest(request_id=4),
        gateway_pb2.StreamOrdersRequest(request_id=5, submit=order(client_order_id="s1")),
        gateway_pb2.StreamOrdersRequest(
            request_id=6,
            submit=order(client_order_id="s3", type=gateway_pb2.ORDER_TYPE_LIMIT, limit_price="49000"),
        ),
        gateway_pb2.StreamOrdersRequest(request_id=7, cancel=gateway_pb2.CancelOrderRequest(client_order_id="s3")),
    ]
    answers = list(stub.StreamOrders(iter(requests), metadata=metadata, timeout=10))
    assert [a.request_id for a in answers] == [1, 2, 3, 4, 5, 6, 7]
    assert answers[0].submitted.order.status == gateway_pb2.ORDER_STATUS_FILLED
    assert (answers[1].error.code, answers[1].error.field) == ("INVALID_ARGUMENT", "quantity")
    assert answers[2].error.code == "NOT_FOUND"
    assert (answers[3].error.code, answers[3].error.field) == ("INVALID_ARGUMENT", "action")
    assert answers[4].submitted.duplicate and answers[4].submitted.order.order_id == answers[0].submitted.order.order_id
    assert answers[5].submitted.order.status == gateway_pb2.ORDER_STATUS_OPEN
    assert answers[6].cancelled.order.status == gateway_pb2.ORDER_STATUS_CANCELED
    assert gateway.venue.submitted == ["s1", "s3"]
    listed = stub.ListOrders(gateway_pb2.ListOrdersRequest(), metadata=metadata).orders
    assert sorted(o.client_order_id for o in listed) == ["s1", "s3"]

    admin, admin_metadata = gateway.stub(None)
    with pytest.raises(grpc.RpcError) as refused:
        list(admin.StreamOrders(iter(requests[:1]), metadata=admin_metadata, timeout=5))
    assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED


def test_an_order_list_is_checked_whole_then_each_order_answered_on_its_own(gateway: GatewayHandle) -> None:
    stub, metadata = gateway.stub("alpha")

    def send(*orders: gateway_pb2.SubmitOrderRequest) -> gateway_pb2.StreamOrdersResponse:
        request = gateway_pb2.StreamOrdersRequest(
            request_id=7, submit_list=gateway_pb2.SubmitOrderListRequest(orders=list(orders))
        )
        (answer,) = stub.StreamOrders(iter([request]), metadata=metadata, timeout=10)
        return answer

    malformed = send(order(client_order_id="l1"), order(client_order_id="l2", quantity="-1"))
    assert (malformed.error.code, malformed.error.field) == ("INVALID_ARGUMENT", "orders[1].quantity")
    repeated = send(order(client_order_id="l1"), order(client_order_id="l1"))
    assert repeated.error.field == "orders[1].client_order_id"
    assert gateway.venue.submitted == []

    answer = send(
        order(client_order_id="l1"),
        order(client_order_id="l2", quantity="3.5"),  # above the 3 BTC max order quantity
        order(client_order_id="l3", side=common_pb2.ORDER_SIDE_SELL),
    )
    results = answer.submitted_list.results
    assert answer.request_id == 7 and [r.order.client_order_id for r in results] == ["l1", "l2", "l3"]
    assert [r.order.status for r in results] == [
        gateway_pb2.ORDER_STATUS_FILLED,
        gateway_pb2.ORDER_STATUS_REJECTED,
        gateway_pb2.ORDER_STATUS_FILLED,
    ]
    assert results[1].order.reject_reason == gateway_pb2.REJECT_REASON_MAX_ORDER_QUANTITY
    assert gateway.venue.submitted == ["l1", "l3"]
