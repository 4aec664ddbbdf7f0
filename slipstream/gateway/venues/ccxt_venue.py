"""Any exchange through ccxt: one client per account, nonces and rate limits owned here.

Submission is safe to retry: every order carries the pod's client order id to the exchange,
and when the answer is lost (a timeout after the order reached the exchange) the venue looks
the order up by that id before it would send it again, and the exchange refuses a second
order with the same id. Fills (price, fee, maker/taker, trade id) come from the account's
trade history and are reported once per trade id; working orders are polled for progress.

Outages (the exchange refusing connections, timing out, answering 5xx): a request that fails
so marks the venue unavailable and one that gets any answer marks it available again. While
it is unavailable the gateway refuses new orders at once (nothing is sent), cancels fail with
UNAVAILABLE, and the poller keeps probing with exponential backoff, bounded by
`max_backoff_s`. An order caught in flight stays pending and is settled by that poller, by
client order id, once the exchange answers: found means placed, never sent twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import ccxt

from slipstream.core.errors import Unavailable
from slipstream.gateway.model import Liquidity, Order, OrderStatus, OrderType, TimeInForce
from slipstream.gateway.nonces import NonceSource
from slipstream.gateway.ratelimit import RateLimiter
from slipstream.gateway.venues.base import Listener, VenueFill, VenueReport

log = logging.getLogger(__name__)

_STATUS = {
    "open": OrderStatus.OPEN,
    "closed": OrderStatus.FILLED,
    "canceled": OrderStatus.CANCELED,
    "cancelled": OrderStatus.CANCELED,
    "expired": OrderStatus.CANCELED,
    "rejected": OrderStatus.REJECTED,
}
_TIF = {TimeInForce.GTC: "GTC", TimeInForce.IOC: "IOC", TimeInForce.FOK: "FOK"}
# Costs in the exchange's rate-limit units (Binance USD-M request weights).
COST = {"create": 1.0, "cancel": 1.0, "fetch_order": 1.0, "fetch_my_trades": 5.0, "fetch_ticker": 1.0}
# The operating system's words in a failed connection: "[Errno 111] Connection refused".
_SOCKET_ERROR = re.compile(r"\[Errno -?\d+\] ([^\"'()]+)")


# Called when the venue becomes unavailable (with the problem, summarised) or available (None).
StateListener = Callable[[str | None], None]


def key_id(api_key: str) -> str:
    """A stable, non-secret name for an API key (nonces are stored under it, never the key)."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


class CcxtVenue:
    external = True

    def __init__(
        self,
        account: str,
        exchange: ccxt.Exchange,
        nonces: NonceSource,
        limiter: RateLimiter,
        symbols: tuple[str, ...],
        *,
        max_attempts: int = 4,
        poll_interval_s: float = 0.5,
        backoff_s: float = 0.1,
        max_backoff_s: float = 5.0,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.account = account
        self._exchange = exchange
        key = key_id(exchange.apiKey)
        # The exchange's signer asks for its nonce (Binance: the request timestamp) through this
        # hook; the shared source keeps it strictly increasing per key, across pods and restarts.
        exchange.nonce = lambda: nonces.next(
            key, int(exchange.milliseconds()) - int(exchange.options.get("timeDifference", 0) or 0)
        )
        self._limiter = limiter
        self._symbols = symbols
        self._max_attempts = max_attempts
        self._poll_interval_s = poll_interval_s
        self._backoff_s = backoff_s
        self._max_backoff_s = max_backoff_s
        self._sleep = sleep
        self._problem: str | None = None
        self._state_listeners: list[StateListener] = []
        self._prices: dict[str, Decimal] = {}
        self._working: dict[str, Order] = {}
        self._missing: dict[str, int] = {}
        # What the gateway was last told of each working order: (status, exchange order id).
        self._known: dict[str, tuple[OrderStatus, str]] = {}
        self._reported: dict[str, set[str]] = {}
        self._listener: Listener | None = None
        self._task: asyncio.Task[None] | None = None

    def set_listener(self, listener: Listener) -> None:
        self._listener = listener

    def resume(self, order: Order, booked_trade_ids: frozenset[str]) -> None:
        # Polled like an order whose submission failed: found by client order id (placed, with
        # only its unbooked trades reported) or, when never found, reported as never received.
        self._reported[order.order_id] = set(booked_trade_ids)
        self._working[order.order_id] = order

    def add_state_listener(self, listener: StateListener) -> None:
        self._state_listeners.append(listener)

    def unavailable(self) -> str | None:
        if self._problem is None:
            return None
        return f"the exchange of account {self.account!r} is unavailable ({self._problem}); retry when it answers"

    def _answered(self) -> None:
        if self._problem is None:
            return
        log.warning("%s: the exchange answers again after: %s", self.account, self._problem)
        self._problem = None
        for listener in self._state_listeners:
            listener(None)

    def _failed(self, error: ccxt.BaseError) -> None:
        problem = _outage_summary(error)
        if self._problem != problem:
            log.error("%s: the exchange is unavailable: %s", self.account, problem)
        was_available, self._problem = self._problem is None, problem
        if was_available:
            for listener in self._state_listeners:
                listener(problem)

    def _outage(self, error: ccxt.BaseError) -> Unavailable:
        """What to raise when the exchange did not answer: the venue's state, else the error's gist."""
        return Unavailable(self.unavailable() or _outage_summary(error))

    def _backoff(self, first_s: float, failures: int) -> float:
        """Seconds to wait after `failures` failures in a row: doubling from `first_s`, bounded."""
        return max(first_s, min(first_s * 2 ** (failures - 1), self._max_backoff_s))

    def reference_price(self, symbol: str) -> Decimal | None:
        return self._prices.get(symbol) if symbol in self._symbols else None

    def symbols(self) -> list[str]:
        return list(self._symbols)

    async def start(self) -> None:
        """Load markets and the first prices, then poll prices and working orders. An exchange
        that does not answer (down, slow, 5xx) does not stop the start: the account starts
        unavailable and the poller keeps probing (markets load with the first answer)."""
        try:
            await self._call("system", 1.0, self._exchange.load_markets)
            await self._refresh_prices()
        except ccxt.OperationFailed as error:
            if not _is_outage(error):
                raise
        self._task = asyncio.create_task(self._poll())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _call(self, pod_id: str, cost: float, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """One exchange request within the account's budget; rate-limit answers back off and retry.
        Every outcome updates the venue's availability."""
        for attempt in range(self._max_attempts):
            await self._limiter.acquire(pod_id, cost)
            try:
                result = await asyncio.to_thread(function, *args, **kwargs)
            except (ccxt.DDoSProtection, ccxt.RateLimitExceeded):
                self._answered()
                headers = self._exchange.last_response_headers or {}
                retry_after = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
                self._limiter.penalize(float(retry_after) if retry_after else 2.0**attempt)
                if attempt == self._max_attempts - 1:
                    raise
                continue
            except ccxt.BaseError as error:
                if _is_outage(error):
                    self._failed(error)
                else:
                    self._answered()
                raise
            self._answered()
            return result
        raise AssertionError("unreachable")

    async def _refresh_prices(self) -> None:
        """The reference price of each symbol: the mark where the venue has one (perpetuals), else the last."""
        fetch = (
            self._exchange.fetch_mark_price if self._exchange.has.get("fetchMarkPrice") else self._exchange.fetch_ticker
        )
        for symbol in self._symbols:
            ticker = await self._call("system", COST["fetch_ticker"], fetch, symbol)
            price = ticker.get("markPrice") or ticker.get("last") or ticker.get("close")
            if price:
                self._prices[symbol] = Decimal(str(price))

    async def submit(self, order: Order) -> VenueReport:
        # Watched from the start: if this call fails, polling finds the order by client order id.
        self._working[order.order_id] = order
        request = order.request
        params: dict[str, Any] = {"clientOrderId": _exchange_client_id(order)}
        if request.type is OrderType.LIMIT:
            params["timeInForce"] = "GTX" if request.post_only else _TIF[request.time_in_force]
        if request.reduce_only:
            params["reduceOnly"] = True
        arguments = (
            request.symbol,
            request.type.value,
            request.side.value,
            float(request.quantity),
            float(request.limit_price) if request.limit_price is not None else None,
            params,
        )
        for attempt in range(self._max_attempts):
            if attempt:
                await self._sleep(self._backoff(self._backoff_s, attempt))
            try:
                placed = await self._call(order.pod_id, COST["create"], self._exchange.create_order, *arguments)
                break
            except ccxt.OperationFailed as error:
                # The order may have reached the exchange: look it up before sending it again. If
                # the lookup gets no answer either, its fate is unknown: it stays pending and the
                # poller settles it by client order id.
                try:
                    found = await self._find(order)
                except ccxt.OperationFailed as lookup_error:
                    if _is_outage(lookup_error):
                        raise self._outage(lookup_error) from None
                    raise
                if found is not None:
                    placed = found
                    break
                log.warning("%s: %s placing %s; retrying", self.account, type(error).__name__, params["clientOrderId"])
                if attempt == self._max_attempts - 1:
                    if _is_outage(error):
                        raise self._outage(error) from None
                    raise
            except ccxt.InvalidOrder as error:
                self._working.pop(order.order_id, None)
                return VenueReport("", OrderStatus.REJECTED, reject_message=_venue_message(error))
            except ccxt.ExchangeError as error:
                found = await self._find(order)
                if found is None:
                    self._working.pop(order.order_id, None)
                    return VenueReport("", OrderStatus.REJECTED, reject_message=_venue_message(error))
                placed = found
                break
        return await self._report(order, placed)

    async def _find(self, order: Order) -> dict[str, Any] | None:
        try:
            return await self._call(  # type: ignore[no-any-return]
                order.pod_id,
                COST["fetch_order"],
                self._exchange.fetch_order,
                None,
                order.request.symbol,
                {"clientOrderId": _exchange_client_id(order)},
            )
        except ccxt.OrderNotFound:
            return None

    async def _report(self, order: Order, placed: dict[str, Any]) -> VenueReport:
        status = _STATUS.get(str(placed.get("status")), OrderStatus.OPEN)
        filled = Decimal(str(placed.get("filled") or 0))
        if status is OrderStatus.OPEN and filled > 0:
            status = OrderStatus.PARTIALLY_FILLED
        fills = await self._new_fills(order, str(placed["id"])) if filled > 0 else ()
        if status.is_open:
            self._working[order.order_id] = order
            self._known[order.order_id] = (status, str(placed["id"]))
        else:
            self._working.pop(order.order_id, None)
            self._known.pop(order.order_id, None)
        return VenueReport(str(placed["id"]), status, fills)

    async def _new_fills(self, order: Order, exchange_order_id: str) -> tuple[VenueFill, ...]:
        trades = await self._call(
            order.pod_id,
            COST["fetch_my_trades"],
            self._exchange.fetch_my_trades,
            order.request.symbol,
            None,
            None,
            {"orderId": exchange_order_id},
        )
        seen = self._reported.setdefault(order.order_id, set())
        fills = []
        for trade in trades:
            trade_id = str(trade["id"])
            if trade_id in seen or str(trade.get("order")) != exchange_order_id:
                continue
            seen.add(trade_id)
            fee = trade.get("fee") or {}
            fills.append(
                VenueFill(
                    exchange_trade_id=trade_id,
                    quantity=Decimal(str(trade["amount"])),
                    price=Decimal(str(trade["price"])),
                    fee_usd=Decimal(str(fee.get("cost") or 0)),
                    liquidity=Liquidity.MAKER if trade.get("takerOrMaker") == "maker" else Liquidity.TAKER,
                    fill_time=datetime.fromtimestamp(trade["timestamp"] / 1000, tz=timezone.utc),
                )
            )
        return tuple(fills)

    def _missing_report(self, order: Order) -> VenueReport | None:
        """After a failed submission, an order the exchange still does not know after three looks
        never reached it: report it rejected so it does not stay pending forever."""
        misses = self._missing.get(order.order_id, 0) + 1
        self._missing[order.order_id] = misses
        if misses < 3:
            return None
        self._working.pop(order.order_id, None)
        self._missing.pop(order.order_id, None)
        return VenueReport("", OrderStatus.REJECTED, reject_message="the exchange never received the order")

    async def cancel(self, order: Order) -> VenueReport:
        """Cancel at the exchange; raises Unavailable when it does not answer (the order may still work)."""
        try:
            try:
                await self._call(
                    order.pod_id,
                    COST["cancel"],
                    self._exchange.cancel_order,
                    order.exchange_order_id,
                    order.request.symbol,
                )
            except ccxt.OrderNotFound:
                pass
            placed = await self._find(order)
            if placed is None:
                return VenueReport(order.exchange_order_id, OrderStatus.CANCELED)
            return await self._report(order, placed)
        except ccxt.OperationFailed as error:
            if not _is_outage(error):
                raise
            problem = self.unavailable() or _outage_summary(error)
            raise Unavailable(f"the cancel did not go through, the order may still be working: {problem}") from None

    async def _poll(self) -> None:
        failures = 0
        while True:
            await asyncio.sleep(self._backoff(self._poll_interval_s, failures + 1))
            try:
                await self._refresh_prices()
                for order_id, order in list(self._working.items()):
                    placed = await self._find(order)
                    if placed is None:
                        report = self._missing_report(order)
                        if report is not None and self._listener is not None:
                            self._listener(order_id, report)
                        continue
                    self._missing.pop(order_id, None)
                    before = self._known.get(order_id)
                    report = await self._report(order, placed)
                    # New fills, a close, or a first sight of the order at the exchange (one left
                    # pending by a crash or an outage turns out to be resting there): tell the gateway.
                    changed = before != (report.status, report.exchange_order_id)
                    if (report.fills or not report.status.is_open or changed) and self._listener is not None:
                        self._listener(order_id, report)
                failures = 0
            except ccxt.BaseError as error:
                if _is_outage(error):
                    failures += 1  # reported by _failed; probe again after a longer wait
                else:
                    log.warning("%s: polling failed: %s", self.account, type(error).__name__)


def _exchange_client_id(order: Order) -> str:
    """The id the exchange sees: the gateway's order id, unique across pods on the account."""
    return order.order_id.replace(":", "-")[:36]


def _is_outage(error: BaseException) -> bool:
    """Whether `error` says the exchange did not answer usefully (refused, timed out, 5xx), as
    opposed to an answer: a refusal, a rate limit, a stale nonce."""
    return isinstance(error, ccxt.OperationFailed) and not isinstance(
        error, (ccxt.DDoSProtection, ccxt.RateLimitExceeded, ccxt.InvalidNonce)
    )


def _outage_summary(error: BaseException) -> str:
    """The error's kind and gist for operators and pods: never the request (URL, headers, keys)."""
    text, kind = str(error), type(error).__name__
    socket_error = _SOCKET_ERROR.search(str(error.__cause__))  # ccxt keeps it as the cause
    if socket_error is not None:
        return f"{kind}: {socket_error.group(1).strip().lower()}"
    if "{" in text:  # the exchange's own error body
        return f"{kind}: {text[text.index('{') :][:300]}"
    status = next((word for word in text.split() if len(word) == 3 and word.isdigit() and word[0] == "5"), None)
    if isinstance(error, ccxt.RequestTimeout):
        return f"{kind}: no answer within the timeout"
    return f"{kind}: HTTP {status}" if status else kind


def _venue_message(error: Exception) -> str:
    """The exchange's own words, without the request (which could carry account details)."""
    return str(error).split("{", 1)[-1][:300] if "{" in str(error) else type(error).__name__
