"""The paper venue: a built-in, deterministic simulated exchange, the gateway's default.

Market orders fill at once at the mark plus half the spread (taker); limit orders that cross
fill at once as taker, others rest and fill at their limit as maker when the mark moves
through them, at most `max_fill_quantity` per price move so partial fills happen. Prices
come from `set_price` (replayed from the data lake, or a test), or from a seeded random walk.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from slipstream.core.clock import Clock, SystemClock
from slipstream.core.model import OrderSide
from slipstream.core.positions import PRECISION
from slipstream.gateway.model import Liquidity, Order, OrderStatus, OrderType, TimeInForce
from slipstream.gateway.venues.base import Listener, VenueFill, VenueReport


@dataclass
class _Resting:
    order: Order
    remaining: Decimal
    exchange_order_id: str


class PaperVenue:
    external = False

    def __init__(
        self,
        account: str,
        prices: dict[str, Decimal],
        *,
        maker_fee_bps: Decimal = Decimal(2),
        taker_fee_bps: Decimal = Decimal(5),
        half_spread_bps: Decimal = Decimal(1),
        max_fill_quantity: Decimal | None = None,
        latency_s: float = 0.0,
        clock: Clock | None = None,
    ) -> None:
        self.account = account
        self._prices = dict(prices)
        self._maker_fee = maker_fee_bps / 10_000
        self._taker_fee = taker_fee_bps / 10_000
        self._half_spread = half_spread_bps / 10_000
        self._max_fill = max_fill_quantity
        self._latency_s = latency_s
        self._clock = clock or SystemClock()
        self._ids = itertools.count(1)
        self._resting: dict[str, _Resting] = {}
        self._listener: Listener | None = None
        self._walk: asyncio.Task[None] | None = None
        # The venue's own ledger of the account (what an exchange would report), kept apart from
        # the gateway's per-pod books so an audit can compare the two.
        self._ledger: dict[str, Decimal] = {}

    def set_listener(self, listener: Listener) -> None:
        self._listener = listener

    def resume(self, order: Order, booked_trade_ids: frozenset[str]) -> None:
        # Only external venues are asked: a paper order cannot outlive the process that placed it.
        raise AssertionError(f"paper order {order.order_id} cannot be resumed")

    def unavailable(self) -> str | None:
        return None  # in-process: it cannot go away while the gateway runs

    def reference_price(self, symbol: str) -> Decimal | None:
        return self._prices.get(symbol)

    def symbols(self) -> list[str]:
        return sorted(self._prices)

    def positions(self) -> dict[str, Decimal]:
        """The account's signed positions by symbol, from this venue's own fills."""
        return {symbol: quantity for symbol, quantity in self._ledger.items() if quantity != 0}

    def _book(self, symbol: str, side: OrderSide, fill: VenueFill) -> VenueFill:
        self._ledger[symbol] = self._ledger.get(symbol, Decimal(0)) + fill.quantity * side.sign
        return fill

    def _fill(self, quantity: Decimal, price: Decimal, liquidity: Liquidity) -> VenueFill:
        rate = self._maker_fee if liquidity is Liquidity.MAKER else self._taker_fee
        return VenueFill(
            f"paper-t{next(self._ids)}",
            quantity,
            price,
            (quantity * price * rate).quantize(PRECISION),
            liquidity,
            self._clock.now(),
        )

    def _touch(self, symbol: str, side: OrderSide) -> Decimal:
        """The price a taker pays: the mark plus (buy) or minus (sell) half the spread."""
        mark = self._prices[symbol]
        return (mark * (1 + self._half_spread * side.sign)).quantize(PRECISION)

    async def submit(self, order: Order) -> VenueReport:
        if self._latency_s:
            await asyncio.sleep(self._latency_s)
        request = order.request
        exchange_id = f"paper-o{next(self._ids)}"
        if request.symbol not in self._prices:
            return VenueReport(exchange_id, OrderStatus.REJECTED, reject_message=f"unknown symbol {request.symbol}")
        touch = self._touch(request.symbol, request.side)
        crosses = request.type is OrderType.MARKET or (
            request.limit_price is not None
            and (request.limit_price >= touch if request.side is OrderSide.BUY else request.limit_price <= touch)
        )
        if crosses:
            if request.post_only:
                return VenueReport(
                    exchange_id, OrderStatus.REJECTED, reject_message="post-only order would take liquidity"
                )
            fill = self._book(request.symbol, request.side, self._fill(request.quantity, touch, Liquidity.TAKER))
            return VenueReport(exchange_id, OrderStatus.FILLED, (fill,))
        if request.time_in_force is not TimeInForce.GTC:
            return VenueReport(exchange_id, OrderStatus.CANCELED)
        self._resting[order.order_id] = _Resting(order, request.quantity, exchange_id)
        return VenueReport(exchange_id, OrderStatus.OPEN)

    async def cancel(self, order: Order) -> VenueReport:
        resting = self._resting.pop(order.order_id, None)
        exchange_id = resting.exchange_order_id if resting else order.exchange_order_id
        if resting is None and not order.status.is_open:
            return VenueReport(exchange_id, order.status)
        return VenueReport(exchange_id, OrderStatus.CANCELED)

    def set_price(self, symbol: str, price: Decimal) -> None:
        """Move the mark; resting orders it crosses fill at their limit as maker."""
        self._prices[symbol] = price
        for order_id, resting in list(self._resting.items()):
            request = resting.order.request
            if request.symbol != symbol or request.limit_price is None:
                continue
            crossed = price <= request.limit_price if request.side is OrderSide.BUY else price >= request.limit_price
            if not crossed:
                continue
            quantity = resting.remaining if self._max_fill is None else min(resting.remaining, self._max_fill)
            resting.remaining -= quantity
            status = OrderStatus.FILLED if resting.remaining == 0 else OrderStatus.PARTIALLY_FILLED
            if status is OrderStatus.FILLED:
                del self._resting[order_id]
            fill = self._book(symbol, request.side, self._fill(quantity, request.limit_price, Liquidity.MAKER))
            if self._listener is not None:
                self._listener(order_id, VenueReport(resting.exchange_order_id, status, (fill,)))

    def start_random_walk(self, seed: int, interval_s: float, volatility_per_step: float = 0.001) -> None:
        """Move every mark on a seeded geometric random walk (the default when no lake prices)."""
        rng = random.Random(seed)

        async def walk() -> None:
            while True:
                await asyncio.sleep(interval_s)
                for symbol, price in list(self._prices.items()):
                    shock = rng.gauss(-0.5 * volatility_per_step**2, volatility_per_step)
                    self.set_price(symbol, (price * Decimal(str(math.exp(shock)))).quantize(Decimal("0.01")))

        self._walk = asyncio.create_task(walk())

    async def close(self) -> None:
        if self._walk is not None:
            self._walk.cancel()
            await asyncio.gather(self._walk, return_exceptions=True)
