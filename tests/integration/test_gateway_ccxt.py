"""The gateway on a ccxt venue: real ccxt binanceusdm signing requests to the local simulator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from support import LoopThread, eventually

from slipstream.core.clock import SystemClock
from slipstream.core.model import OrderSide, PodLimits, TradingState
from slipstream.gateway.controls import StaticControls
from slipstream.gateway.core import Gateway
from slipstream.gateway.model import OrderRequest, OrderStatus, OrderType, RejectReason, TimeInForce
from slipstream.gateway.nonces import NonceSource
from slipstream.gateway.ratelimit import RateLimiter
from slipstream.gateway.risk import PodControl, RiskSettings
from slipstream.gateway.store import GatewayStore
from slipstream.gateway.venues.ccxt_venue import CcxtVenue
from slipstream.simulator import ExchangeSimulator, Fault, PerpetualMarket, TradingConfig, ccxt_client

SYMBOL = "BTC/USDT:USDT"
D = Decimal
LIMITS = PodLimits(capital_allocation_usd=D(100_000), max_gross_notional_usd=D(1_000_000))
MS_PER_UNIT = 20.0  # 50 weight units a second: slow enough to measure, fast enough for a test
BURST = 5


@pytest.fixture
def simulator() -> Iterator[ExchangeSimulator]:
    with ExchangeSimulator((PerpetualMarket("BTC"),), trading=TradingConfig(max_fill_quantity=D("0.01"))) as running:
        running.add_account("trading-key", "trading-secret", {"USDT": D(1_000_000)})
        running.set_price("BTCUSDT", D(50_000))
        yield running


class Harness:
    def __init__(self, loop: LoopThread, simulator: ExchangeSimulator, data_dir: Path) -> None:
        self.loop = loop
        exchange = ccxt_client(
            simulator, apiKey="trading-key", secret="trading-secret", enableRateLimit=False, timeout=400
        )
        self.limiter = RateLimiter(MS_PER_UNIT, BURST, time.monotonic)
        self.nonces = NonceSource(data_dir / "nonces.sqlite", lambda: int(time.time() * 1000))
        self.venue = CcxtVenue(
            "binance", exchange, self.nonces, self.limiter, (SYMBOL,), poll_interval_s=0.05, max_backoff_s=0.2
        )

        async def start() -> Gateway:
            self.limiter.start()
            await self.venue.start()
            controls = StaticControls({p: PodControl(TradingState.ACTIVE, LIMITS) for p in ("alpha", "beta")})
            return Gateway(
                GatewayStore(data_dir),
                {"binance": self.venue},
                {"alpha": "binance", "beta": "binance"},
                RiskSettings(max_orders_per_second=1000),
                controls,
                SystemClock(),
            )

        self.gateway = loop.run(start())

    def submit(self, pod_id: str, client_order_id: str, **changes: Any) -> Any:
        values: dict[str, Any] = {
            "client_order_id": client_order_id,
            "symbol": SYMBOL,
            "side": OrderSide.BUY,
            "type": OrderType.MARKET,
            "quantity": D("0.01"),
            "limit_price": None,
            "time_in_force": TimeInForce.IOC,
            "post_only": False,
            "reduce_only": False,
            "decision_price": D(49_990),
            "decision_time": datetime(2026, 1, 1, tzinfo=timezone.utc),
        }
        values.update(changes)
        return self.loop.run(self.gateway.submit(pod_id, OrderRequest(**values))).order

    def close(self) -> None:
        async def stop() -> None:
            await self.venue.close()
            await self.limiter.stop()

        self.loop.run(stop())
        self.gateway.store.close()
        self.nonces.close()


@pytest.fixture
def harness(loop_thread: LoopThread, simulator: ExchangeSimulator, tmp_path: Path) -> Iterator[Harness]:
    built = Harness(loop_thread, simulator, tmp_path)
    yield built
    built.close()


def order_posts(simulator: ExchangeSimulator) -> list[Any]:
    return [r for r in simulator.requests if r.method == "POST" and r.path == "/fapi/v1/order"]


def test_market_order_is_signed_placed_and_filled_with_its_fees(harness: Harness, simulator: ExchangeSimulator) -> None:
    order = harness.submit("alpha", "m1")
    assert order.status is OrderStatus.FILLED and order.filled_quantity == D("0.01")
    assert order.average_fill_price == D(50_000) and order.fees_usd == D("0.25")  # 500 USD x 5 bps taker
    (post,) = order_posts(simulator)
    assert post.signed and post.api_key == "trading-key"
    assert post.params["newClientOrderId"] == order.order_id  # the exchange knows the gateway's id
    (fill,) = harness.gateway.fills("alpha", 0)
    assert fill.liquidity.value == "taker" and fill.exchange_trade_id


def test_a_timeout_after_the_order_reached_the_exchange_never_doubles_it(
    harness: Harness, simulator: ExchangeSimulator
) -> None:
    simulator.inject("/fapi/v1/order", Fault.timeout(delay_s=1.0))
    order = harness.submit("alpha", "t1")
    assert order.status is OrderStatus.FILLED
    assert len(order_posts(simulator)) == 1  # looked up by client order id, not sent again
    assert [p.quantity for p in harness.gateway.positions("alpha")] == [D("0.01")]


def test_rate_limited_answers_back_off_and_the_order_goes_once(harness: Harness, simulator: ExchangeSimulator) -> None:
    simulator.inject("/fapi/v1/order", Fault.rate_limited(retry_after_s=1))
    started = time.monotonic()
    order = harness.submit("alpha", "r1")
    assert order.status is OrderStatus.FILLED
    assert time.monotonic() - started >= 1.0  # the exchange's Retry-After was honoured
    assert len([p for p in order_posts(simulator)]) == 2  # the 429'd attempt, then the accepted one


def test_venue_refusal_is_a_rejection_with_the_exchanges_words(harness: Harness) -> None:
    order = harness.submit(
        "alpha", "po", type=OrderType.LIMIT, limit_price=D(50_100), time_in_force=TimeInForce.GTC, post_only=True
    )
    assert order.status is OrderStatus.REJECTED and order.reject_reason is RejectReason.VENUE
    assert "-5022" in order.reject_message or "Post Only" in order.reject_message


def test_resting_order_fills_partially_as_maker_through_polling(harness: Harness, simulator: ExchangeSimulator) -> None:
    order = harness.submit(
        "alpha", "bid", type=OrderType.LIMIT, limit_price=D(49_000), quantity=D("0.03"), time_in_force=TimeInForce.GTC
    )
    assert order.status is OrderStatus.OPEN
    for price in ("48900", "48800", "48700"):
        simulator.set_price("BTCUSDT", D(price))
        eventually(lambda: len(harness.gateway.fills("alpha", 0)) >= 1)
    done = eventually(lambda: (o := harness.gateway.get("alpha", "bid")).status is OrderStatus.FILLED and o)
    fills = harness.gateway.fills("alpha", 0)
    assert [f.quantity for f in fills] == [D("0.01")] * 3 and all(f.liquidity.value == "maker" for f in fills)
    assert done.average_fill_price == D(49_000)


def test_two_pods_sharing_a_key_hammer_it_without_nonce_errors_or_exceeding_the_limit(
    harness: Harness, simulator: ExchangeSimulator
) -> None:
    async def hammer(pod_id: str, count: int) -> list[Any]:
        return [
            (
                await harness.gateway.submit(
                    pod_id,
                    OrderRequest(
                        f"{pod_id}-{i}",
                        SYMBOL,
                        OrderSide.BUY if i % 2 else OrderSide.SELL,
                        OrderType.MARKET,
                        D("0.01"),
                        None,
                        TimeInForce.IOC,
                        False,
                        False,
                        D(50_000),
                        datetime(2026, 1, 1, tzinfo=timezone.utc),
                    ),
                )
            )[0]
            for i in range(count)
        ]

    async def both() -> list[list[Any]]:
        return list(await asyncio.gather(hammer("alpha", 15), hammer("beta", 15)))

    results = harness.loop.run(both(), timeout_s=120)
    assert all(o.status is OrderStatus.FILLED for orders in results for o in orders)
    signed = [r for r in simulator.requests if r.signed]
    stamps = [r.timestamp_ms for r in signed]
    # One nonce per request, never repeated, across both pods; the exchange refused none of them.
    assert len(set(stamps)) == len(stamps)
    grants = list(harness.limiter.granted)
    rate = 1000.0 / MS_PER_UNIT
    for i in range(len(grants)):
        spent = 0.0
        for j in range(i, len(grants)):
            spent += grants[j][2]
            # Units granted in any window never exceed the burst plus the refill (2 ms of slack).
            assert spent <= BURST + (grants[j][0] - grants[i][0] + 0.002) * rate


def test_an_exchange_outage_leaves_the_order_pending_then_settles_it(
    harness: Harness, simulator: ExchangeSimulator
) -> None:
    simulator.inject("/fapi/v1/order", Fault.server_error(503, count=10))
    order = harness.submit("alpha", "outage")
    assert order.status is OrderStatus.PENDING  # recorded, answered, and still being looked for
    settled = eventually(lambda: (o := harness.gateway.get("alpha", "outage")).status is not OrderStatus.PENDING and o)
    assert settled.status is OrderStatus.REJECTED and "never received" in settled.reject_message
    assert harness.gateway.positions("alpha") == []


def test_an_invalid_nonce_answer_is_retried_with_a_fresh_nonce(harness: Harness, simulator: ExchangeSimulator) -> None:
    stale = {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."}
    simulator.inject("/fapi/v1/order", Fault(status=400, body=stale))
    order = harness.submit("alpha", "n1")
    assert order.status is OrderStatus.FILLED
    posts = order_posts(simulator)
    assert len(posts) == 2 and posts[1].timestamp_ms > posts[0].timestamp_ms
    assert [p.quantity for p in harness.gateway.positions("alpha")] == [D("0.01")]


def test_cancel_reaches_the_exchange(harness: Harness, simulator: ExchangeSimulator) -> None:
    harness.submit("alpha", "rest", type=OrderType.LIMIT, limit_price=D(49_000), time_in_force=TimeInForce.GTC)
    cancelled = harness.loop.run(harness.gateway.cancel("alpha", "rest"))
    assert cancelled.status is OrderStatus.CANCELED and cancelled.filled_quantity == 0
    assert any(r.method == "DELETE" and r.path == "/fapi/v1/order" and r.signed for r in simulator.requests)
    simulator.set_price("BTCUSDT", D(48_000))  # would have filled it
    assert harness.gateway.fills("alpha", 0) == []
