"""kill -9 of the federation, the gateway and the auditor at seeded random moments of a trading
run: nothing acknowledged is lost or doubled, nonces keep rising, state and the feed survive."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import grpc
import pytest
from crash_run import SYMBOL, CrashRun, gateway_config, start_service
from slipstream_api.v1 import common_pb2, gateway_pb2, gateway_pb2_grpc
from support import LoopThread, eventually

from slipstream.core.clock import SystemClock
from slipstream.core.model import OrderSide, PodLimits, TradingState
from slipstream.gateway.controls import StaticControls
from slipstream.gateway.core import Gateway
from slipstream.gateway.model import OrderRequest, OrderStatus, OrderType, TimeInForce
from slipstream.gateway.nonces import NonceSource
from slipstream.gateway.ratelimit import RateLimiter
from slipstream.gateway.risk import PodControl, RiskSettings
from slipstream.gateway.store import GatewayStore
from slipstream.gateway.venues.ccxt_venue import CcxtVenue
from slipstream.simulator import ExchangeSimulator, Fault, PerpetualMarket, TradingConfig, ccxt_client
from slipstream.transport import auth

CI_SEEDS = (1, 2, 3)
D = Decimal
LIMITS = PodLimits(capital_allocation_usd=D(100_000), max_gross_notional_usd=D(1_000_000))


def test_kill_9_at_seeded_random_moments_loses_and_doubles_nothing(tmp_path: Path, loop_thread: LoopThread) -> None:
    """One system, one seeded schedule per seed (each service killed once, in a random order, at a
    random moment of the order flow); everything is checked after each seed's kills."""
    with CrashRun(tmp_path, loop_thread) as run:
        outcomes = [run.run(seed) for seed in CI_SEEDS]

    for outcome in outcomes:
        assert outcome.problems == [], f"seed {outcome.seed}"
        assert dict(outcome.kills) == {"federation": 1, "gateway": 1, "auditor": 1}
        assert (outcome.lost, outcome.duplicated, outcome.nonce_violations, outcome.feed_gaps) == (0, 0, 0, 0)
        assert outcome.state_lost == 0
    assert 0 < outcomes[0].acked < outcomes[1].acked < outcomes[2].acked  # checks cover every order so far
    assert outcomes[-1].fills >= outcomes[-1].acked - 10  # market orders: nearly every one filled


@pytest.mark.parametrize(
    ("order_type", "limit_price", "settled_status", "filled"),
    [
        (gateway_pb2.ORDER_TYPE_MARKET, "", gateway_pb2.ORDER_STATUS_FILLED, "0.01"),
        (gateway_pb2.ORDER_TYPE_LIMIT, "48000", gateway_pb2.ORDER_STATUS_OPEN, "0"),  # rests below the market
    ],
    ids=["filled", "resting"],
)
def test_an_order_in_flight_when_the_gateway_dies_is_settled_after_the_restart(
    tmp_path: Path, order_type: int, limit_price: str, settled_status: int, filled: str
) -> None:
    """The order reached the exchange (and filled, or rests there), but the gateway died before
    hearing so: the restarted gateway must find it by client order id and say so (booking its fill),
    not leave it pending."""
    with ExchangeSimulator((PerpetualMarket("BTC"),)) as simulator:
        simulator.add_account("in-flight-key", "in-flight-secret", {"USDT": Decimal(1_000_000)})
        simulator.set_price("BTCUSDT", Decimal(50_000))
        (tmp_path / "gateway.toml").write_text(
            gateway_config(simulator.base_url, "in-flight-key", "in-flight-secret", federation=None)
        )
        process = start_service(tmp_path, "gateway", 0)
        address = process.wait_address(60)
        simulator.inject("/fapi/v1/order", Fault.timeout(delay_s=30))  # placed and filled; the answer never comes
        metadata = auth.bearer_metadata("alpha-crash")
        request = gateway_pb2.SubmitOrderRequest(
            client_order_id="in-flight",
            symbol=SYMBOL,
            side=common_pb2.ORDER_SIDE_BUY,
            type=order_type,
            quantity="0.01",
            limit_price=limit_price,
            decision_price="50000",
        )
        request.decision_time.FromDatetime(datetime.now(timezone.utc))
        channel = grpc.insecure_channel(address)
        stub = gateway_pb2_grpc.GatewayServiceStub(channel)
        submitting = threading.Thread(
            target=lambda: stub.SubmitOrder.future(request, metadata=metadata).exception(), daemon=True
        )
        submitting.start()
        eventually(lambda: any(r.method == "POST" and r.path == "/fapi/v1/order" for r in simulator.requests))
        process.kill()
        process = start_service(tmp_path, "gateway", int(address.rpartition(":")[2]))
        try:
            process.wait_address(60)
            settled = eventually(
                lambda: (
                    (
                        o := stub.GetOrder(gateway_pb2.GetOrderRequest(client_order_id="in-flight"), metadata=metadata)
                    ).order.status
                    == settled_status
                    and o
                ),
                timeout_s=20,
            )
            assert settled.order.filled_quantity == filled and settled.order.exchange_order_id
            fills = stub.ListFills(gateway_pb2.ListFillsRequest(), metadata=metadata).fills
            booked = [(f.quantity, bool(f.exchange_trade_id)) for f in fills]
            assert booked == ([(filled, True)] if filled != "0" else [])
            retried = stub.SubmitOrder(request, metadata=metadata, timeout=5)  # the client's retry: the same order
            assert retried.duplicate and retried.order.order_id == settled.order.order_id
            posts = [r for r in simulator.requests if r.method == "POST" and r.path == "/fapi/v1/order"]
            assert len(posts) == 1  # found again at the exchange, never sent twice
        finally:
            channel.close()
            process.stop()
            submitting.join(5)


def test_a_restarted_gateway_books_only_the_unbooked_fills_of_a_working_order(
    tmp_path: Path, loop_thread: LoopThread
) -> None:
    """A resting order filled in part before the restart goes on filling after it: the fill already
    booked is neither booked nor counted again (the exchange reports every trade of the order)."""
    with ExchangeSimulator((PerpetualMarket("BTC"),), trading=TradingConfig(max_fill_quantity=D("0.01"))) as simulator:
        simulator.add_account("working-key", "working-secret", {"USDT": D(1_000_000)})
        simulator.set_price("BTCUSDT", D(50_000))

        def start() -> tuple[Gateway, CcxtVenue, NonceSource, RateLimiter]:
            exchange = ccxt_client(simulator, apiKey="working-key", secret="working-secret", timeout=2000)
            nonces = NonceSource(tmp_path / "nonces.sqlite", lambda: int(time.time() * 1000))
            limiter = RateLimiter(1.0, 100, time.monotonic)
            venue = CcxtVenue("sim", exchange, nonces, limiter, (SYMBOL,), poll_interval_s=0.05)

            async def build() -> Gateway:
                limiter.start()
                await venue.start()
                controls = StaticControls({"alpha": PodControl(TradingState.ACTIVE, LIMITS)})
                store = GatewayStore(tmp_path / "gateway")
                return Gateway(store, {"sim": venue}, {"alpha": "sim"}, RiskSettings(), controls, SystemClock())

            return loop_thread.run(build()), venue, nonces, limiter

        def stop(gateway: Gateway, venue: CcxtVenue, nonces: NonceSource, limiter: RateLimiter) -> None:
            loop_thread.run(venue.close())
            loop_thread.run(limiter.stop())
            gateway.flush()
            gateway.store.close()
            nonces.close()

        first = start()
        request = OrderRequest(
            "bid",
            SYMBOL,
            OrderSide.BUY,
            OrderType.LIMIT,
            D("0.03"),
            D(49_000),
            TimeInForce.GTC,
            False,
            False,
            D(50_000),
            datetime.now(timezone.utc),
        )
        order = loop_thread.run(first[0].submit("alpha", request)).order
        assert order.status is OrderStatus.OPEN
        simulator.set_price("BTCUSDT", D(48_900))  # one maker fill of 0.01
        eventually(lambda: first[0].get("alpha", "bid").filled_quantity == D("0.01"))
        stop(*first)

        second = start()  # the same store: the order is still working
        try:
            simulator.set_price("BTCUSDT", D(48_800))
            simulator.set_price("BTCUSDT", D(48_700))
            done = eventually(lambda: (o := second[0].get("alpha", "bid")).status is OrderStatus.FILLED and o)
            assert done.filled_quantity == D("0.03")
            fills = second[0].fills("alpha", 0)
            assert [f.quantity for f in fills] == [D("0.01")] * 3
            assert len({f.exchange_trade_id for f in fills}) == 3
            assert [p.quantity for p in second[0].positions("alpha")] == [D("0.03")]
        finally:
            stop(*second)
