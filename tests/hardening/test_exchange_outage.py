"""An exchange outage, ridden out: the simulator goes down, then answers too slowly, then fails
with 5xx, then recovers. The gateway neither crashes nor hangs, refuses orders with a clear
reason while the exchange is away, shows the outage on its health service, never loses or
doubles an order, and trades normally again afterwards."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc
import pytest
from conftest import ADMIN_TOKEN, POD_TOKENS
from grpc_health.v1 import health_pb2, health_pb2_grpc
from slipstream_api.v1 import common_pb2, gateway_pb2, gateway_pb2_grpc
from support import LoopThread, eventually

from slipstream.core.model import PodLimits, TradingState
from slipstream.gateway.controls import StaticControls
from slipstream.gateway.risk import PodControl
from slipstream.gateway.server import (
    CcxtAccountSettings,
    GatewaySettings,
    PodAccess,
    RunningGateway,
    start_gateway,
    venue_health_service,
)
from slipstream.simulator import ExchangeSimulator, Fault, PerpetualMarket, ccxt_client
from slipstream.transport import auth, convert

SYMBOL = "BTC/USDT:USDT"
KEY, SECRET = "trading-key", "trading-secret"
OPTIONS = {"fetchMarkets": {"types": ["linear"]}, "fetchCurrencies": False}
TIMEOUT_MS = 400  # the gateway's ccxt timeout: a slow answer (1 s) is beyond it
SLOW = Fault.timeout(delay_s=1.0)
LIMITS = PodLimits(capital_allocation_usd=Decimal(100_000), max_gross_notional_usd=Decimal(1_000_000))
OK, DOWN = health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING


@pytest.fixture
def simulator() -> Iterator[ExchangeSimulator]:
    with ExchangeSimulator((PerpetualMarket("BTC"),)) as running:
        running.add_account(KEY, SECRET, {"USDT": Decimal(1_000_000)})
        running.add_key("audit-key", "audit-secret", account_of=KEY)
        running.set_price("BTCUSDT", Decimal(50_000))
        yield running


@pytest.fixture
def gateway(loop_thread: LoopThread, simulator: ExchangeSimulator, tmp_path: Path) -> Iterator[RunningGateway]:
    settings = GatewaySettings(
        data_dir=tmp_path,
        pods={"alpha": PodAccess(POD_TOKENS["alpha"], "binance")},
        paper_accounts={},
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,
        ccxt_accounts={
            "binance": CcxtAccountSettings(
                "binanceusdm",
                (SYMBOL,),
                KEY,
                SECRET,
                simulator.base_url,
                timeout_ms=TIMEOUT_MS,
                options=OPTIONS,
                poll_interval_s=0.05,
                max_backoff_s=0.2,
            )
        },
    )
    controls = StaticControls({"alpha": PodControl(TradingState.ACTIVE, LIMITS)})
    running = loop_thread.run(start_gateway(settings, controls))
    yield running
    loop_thread.run(running.stop())


class Pod:
    """Pod alpha's view of the gateway over gRPC, plus the gateway's health service."""

    def __init__(self, address: str) -> None:
        self._channel = grpc.insecure_channel(address)
        self._stub = gateway_pb2_grpc.GatewayServiceStub(self._channel)
        self._health = health_pb2_grpc.HealthStub(self._channel)
        self._metadata = auth.bearer_metadata(POD_TOKENS["alpha"])

    def submit(self, client_order_id: str, **fields: Any) -> gateway_pb2.Order:
        values: dict[str, Any] = {
            "client_order_id": client_order_id,
            "symbol": SYMBOL,
            "side": common_pb2.ORDER_SIDE_BUY,
            "type": gateway_pb2.ORDER_TYPE_MARKET,
            "quantity": "0.01",
            "decision_price": "50000",
            "decision_time": convert.timestamp_to_pb(datetime.now(timezone.utc)),
        }
        values.update(fields)
        return self._stub.SubmitOrder(
            gateway_pb2.SubmitOrderRequest(**values), metadata=self._metadata, timeout=10
        ).order

    def cancel(self, client_order_id: str) -> gateway_pb2.Order:
        request = gateway_pb2.CancelOrderRequest(client_order_id=client_order_id)
        return self._stub.CancelOrder(request, metadata=self._metadata, timeout=10).order

    def get(self, client_order_id: str) -> gateway_pb2.Order:
        request = gateway_pb2.GetOrderRequest(client_order_id=client_order_id)
        return self._stub.GetOrder(request, metadata=self._metadata, timeout=10).order

    def orders(self) -> list[gateway_pb2.Order]:
        return list(self._stub.ListOrders(gateway_pb2.ListOrdersRequest(), metadata=self._metadata, timeout=10).orders)

    def position(self) -> Decimal:
        positions = self._stub.ListPositions(gateway_pb2.ListPositionsRequest(), metadata=self._metadata).positions
        return sum((Decimal(p.quantity) for p in positions), Decimal(0))

    def venue_health(self) -> int:
        request = health_pb2.HealthCheckRequest(service=venue_health_service("binance"))
        return self._health.Check(request, timeout=10).status  # type: ignore[no-any-return]

    def close(self) -> None:
        self._channel.close()


@pytest.fixture
def pod(gateway: RunningGateway) -> Iterator[Pod]:
    client = Pod(gateway.address)
    yield client
    client.close()


def exchange_orders(simulator: ExchangeSimulator) -> list[dict[str, Any]]:
    """Every order the exchange holds for the account, read with a separate read-only key."""
    auditor = ccxt_client(simulator, apiKey="audit-key", secret="audit-secret", enableRateLimit=False)
    return auditor.fetch_orders(SYMBOL)  # type: ignore[no-any-return]


def assert_refused(order: gateway_pb2.Order, gist: str) -> None:
    assert order.status == gateway_pb2.ORDER_STATUS_REJECTED
    assert order.reject_reason == gateway_pb2.REJECT_REASON_VENUE_UNAVAILABLE
    assert gist in order.reject_message and "'binance' is unavailable" in order.reject_message
    assert KEY not in order.reject_message and SECRET not in order.reject_message


def test_down_then_slow_then_failing_then_recovered(
    gateway: RunningGateway, pod: Pod, simulator: ExchangeSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    venue = gateway.venues["binance"]
    assert pod.submit("before").status == gateway_pb2.ORDER_STATUS_FILLED
    resting = pod.submit(
        "resting", type=gateway_pb2.ORDER_TYPE_LIMIT, limit_price="49000", time_in_force=gateway_pb2.TIME_IN_FORCE_GTC
    )
    assert resting.status == gateway_pb2.ORDER_STATUS_OPEN and pod.venue_health() == OK

    # Down: connections refused. The poller notices; orders are refused at once, nothing sent.
    simulator.stop()
    eventually(lambda: pod.venue_health() == DOWN)
    eventually(lambda: "connection refused" in (venue.unavailable() or ""))  # once pooled connections are gone
    assert_refused(pod.submit("down"), "connection refused")
    with pytest.raises(grpc.RpcError) as cancel_failed:
        pod.cancel("resting")
    assert cancel_failed.value.code() is grpc.StatusCode.UNAVAILABLE
    assert "may still be working" in str(cancel_failed.value.details())

    # Slow: back on the same port, but every answer comes after the gateway stopped waiting.
    simulator.set_outage(SLOW)
    simulator.start()
    eventually(lambda: "RequestTimeout" in (venue.unavailable() or ""))
    started = time.monotonic()
    assert_refused(pod.submit("slow"), "no answer within the timeout")
    assert time.monotonic() - started < TIMEOUT_MS / 1000  # refused without waiting on the exchange

    # Failing: every request answered 503 with Binance's internal-error body.
    simulator.set_outage(Fault.server_error(503))
    eventually(lambda: "-1001" in (venue.unavailable() or ""))
    assert_refused(pod.submit("failing"), "Internal error")
    assert pod.venue_health() == DOWN

    # Recovered: health flips back within the bounded backoff and trading resumes.
    simulator.set_outage(None)
    eventually(lambda: pod.venue_health() == OK)
    assert pod.submit("after").status == gateway_pb2.ORDER_STATUS_FILLED
    assert pod.cancel("resting").status == gateway_pb2.ORDER_STATUS_CANCELED

    statuses = {o.client_order_id: gateway_pb2.OrderStatus.Name(o.status) for o in pod.orders()}
    assert statuses == {
        "before": "ORDER_STATUS_FILLED",
        "resting": "ORDER_STATUS_CANCELED",
        "down": "ORDER_STATUS_REJECTED",
        "slow": "ORDER_STATUS_REJECTED",
        "failing": "ORDER_STATUS_REJECTED",
        "after": "ORDER_STATUS_FILLED",
    }
    # The exchange holds exactly the orders the gateway placed, once each: none lost, none doubled.
    at_exchange = exchange_orders(simulator)
    placed = {o.order_id.replace(":", "-") for o in pod.orders() if o.exchange_order_id}
    assert Counter(o["clientOrderId"] for o in at_exchange) == Counter(placed)
    filled = sum(Decimal(str(o["filled"])) for o in at_exchange)
    assert filled == pod.position() == Decimal("0.02")
    # Operators read the outage and the recovery in the logs, without the credentials.
    logged = caplog.text
    assert "the exchange is unavailable: NetworkError: connection refused" in logged
    assert "the exchange answers again" in logged
    assert KEY not in logged and SECRET not in logged


def test_an_order_in_flight_when_the_exchange_turns_slow_is_settled_once(
    gateway: RunningGateway, pod: Pod, simulator: ExchangeSimulator
) -> None:
    simulator.set_outage(SLOW)
    started = time.monotonic()
    in_flight = pod.submit("in-flight")
    # The exchange took the order but its answer, and the lookup's, came too late: recorded,
    # answered as pending (not hung on the exchange), and looked for by client order id.
    assert in_flight.status == gateway_pb2.ORDER_STATUS_PENDING
    assert time.monotonic() - started < 4 * TIMEOUT_MS / 1000
    eventually(lambda: pod.venue_health() == DOWN)

    simulator.set_outage(None)
    settled = eventually(lambda: (o := pod.get("in-flight")).status == gateway_pb2.ORDER_STATUS_FILLED and o)
    assert Decimal(settled.filled_quantity) == Decimal("0.01") == pod.position()
    (at_exchange,) = exchange_orders(simulator)
    assert at_exchange["clientOrderId"] == settled.order_id.replace(":", "-")
    posts = [r for r in simulator.requests if r.method == "POST" and r.path == "/fapi/v1/order"]
    assert len(posts) == 1  # never sent twice


def test_a_gateway_started_while_the_exchange_is_down_trades_once_it_answers(
    loop_thread: LoopThread, simulator: ExchangeSimulator, tmp_path: Path
) -> None:
    base_url = simulator.base_url
    simulator.stop()
    settings = GatewaySettings(
        data_dir=tmp_path,
        pods={"alpha": PodAccess(POD_TOKENS["alpha"], "binance")},
        paper_accounts={},
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,
        ccxt_accounts={
            "binance": CcxtAccountSettings(
                "binanceusdm",
                (SYMBOL,),
                KEY,
                SECRET,
                base_url,
                timeout_ms=TIMEOUT_MS,
                options=OPTIONS,
                poll_interval_s=0.05,
                max_backoff_s=0.2,
            )
        },
    )
    controls = StaticControls({"alpha": PodControl(TradingState.ACTIVE, LIMITS)})
    running = loop_thread.run(start_gateway(settings, controls))
    client = Pod(running.address)
    try:
        assert client.venue_health() == DOWN
        assert_refused(client.submit("while-down"), "connection refused")

        simulator.start()
        eventually(lambda: client.venue_health() == OK)
        assert client.submit("after-start").status == gateway_pb2.ORDER_STATUS_FILLED
    finally:
        client.close()
        loop_thread.run(running.stop())
    assert len(exchange_orders(simulator)) == 1  # the refused order never left
