"""A Binance USD-M futures REST simulator on 127.0.0.1, so real ccxt code paths run offline and deterministically.

It serves the public /fapi/v1 endpoints ccxt's `binanceusdm` needs to load markets and page klines and aggregate
trades, and the SIGNED endpoints an execution gateway trades through (see `slipstream.simulator.trading`). It
records every request and answers with scripted faults (429, 418, 5xx, late or lost answers) on demand, and plays
whole outages: down (`stop`, then `start` on the same port with every account and order kept), slow or failing
(`set_outage`). Endpoints are a table from (method, path) to handler methods.
"""

from __future__ import annotations

import bisect
import json
import logging
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import ccxt

from slipstream.core.clock import Clock, SystemClock
from slipstream.core.decimals import format_decimal
from slipstream.gateway.venues.ccxt_urls import point_at
from slipstream.simulator.binance_api import (
    BinanceError,
    JsonBody,
    PerpetualMarket,
    RecordedRequest,
    Response,
    Route,
    limit_param,
    optional_int_param,
    page_slice,
    required_param,
    time_range_params,
)
from slipstream.simulator.trading import TradingConfig, TradingEngine

logger = logging.getLogger(__name__)

Number = Decimal | int | float | str
BarRow = tuple[int, Number, Number, Number, Number, Number]
TradeRow = tuple[int, int, Number, Number, bool]

_MINUTE_MS = 60_000
_HOUR_MS = 60 * _MINUTE_MS
_DAY_MS = 24 * _HOUR_MS
_INTERVAL_MS = {
    "1m": _MINUTE_MS,
    "3m": 3 * _MINUTE_MS,
    "5m": 5 * _MINUTE_MS,
    "15m": 15 * _MINUTE_MS,
    "30m": 30 * _MINUTE_MS,
    "1h": _HOUR_MS,
    "2h": 2 * _HOUR_MS,
    "4h": 4 * _HOUR_MS,
    "6h": 6 * _HOUR_MS,
    "8h": 8 * _HOUR_MS,
    "12h": 12 * _HOUR_MS,
    "1d": _DAY_MS,
    "3d": 3 * _DAY_MS,
    "1w": 7 * _DAY_MS,
}
_MONTH = "1M"
_KLINES_DEFAULT_LIMIT, _KLINES_MAX_LIMIT = 500, 1500
_AGG_TRADES_DEFAULT_LIMIT, _AGG_TRADES_MAX_LIMIT = 500, 1000
# Binance lists perpetuals with this delivery date; ccxt recognises a swap by it.
_PERPETUAL_DELIVERY_MS = 4_133_404_800_000


@dataclass(frozen=True)
class Fault:
    """A scripted misbehaviour for the requests to one path.

    With a `status`, the fault's status, headers and body are the answer; the route is skipped unless `takes_effect`
    says to run it first, so the request takes effect and only its answer is lost. Without a status, the route
    answers as usual (the request takes effect) and only the answer is late. Either way the answer is held for
    `delay_s`. The fault covers `count` consecutive matching requests, starting with the `nth` one after it was
    injected.
    """

    status: int | None = None
    body: JsonBody | str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    nth: int = 1
    count: int = 1
    takes_effect: bool = False

    def __post_init__(self) -> None:
        if self.nth < 1 or self.count < 1:
            raise ValueError(f"nth and count must be >= 1, got nth={self.nth} count={self.count}")
        if not math.isfinite(self.delay_s) or self.delay_s < 0:
            raise ValueError(f"delay_s must be finite and >= 0, got {self.delay_s}")
        if self.status is None and (self.body != "" or self.headers):
            raise ValueError("a body or headers need a status to go with")
        if self.status is None and self.delay_s == 0:
            raise ValueError("a fault must set a status or a delay")
        if self.status is None and self.takes_effect:
            raise ValueError("a fault without a status always takes effect; takes_effect is for replaced answers")
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError(f"a fault's status must be an HTTP error (4xx or 5xx), got {self.status}")

    @classmethod
    def rate_limited(cls, retry_after_s: int = 1, *, nth: int = 1, count: int = 1) -> Fault:
        """Return Binance's answer to a client over its request-weight limit: HTTP 429 with Retry-After."""
        return cls(
            status=429,
            body={
                "code": -1003,
                "msg": "Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute. "
                "Please use the websocket for live updates to avoid polling the API.",
            },
            headers={"Retry-After": str(retry_after_s)},
            nth=nth,
            count=count,
        )

    @classmethod
    def ip_banned(cls, retry_after_s: int = 120, *, nth: int = 1, count: int = 1) -> Fault:
        """Return Binance's answer to a client that kept calling after 429s: HTTP 418, banned for a while."""
        return cls(
            status=418,
            body={
                "code": -1003,
                "msg": f"Way too many requests; IP(127.0.0.1) banned for {retry_after_s} seconds. "
                "Please use the websocket for live updates to avoid bans.",
            },
            headers={"Retry-After": str(retry_after_s)},
            nth=nth,
            count=count,
        )

    @classmethod
    def server_error(cls, status: int = 503, *, nth: int = 1, count: int = 1) -> Fault:
        """Return a 5xx with Binance's internal-error body; Binance says the request's outcome is then unknown."""
        if not 500 <= status <= 599:
            raise ValueError(f"a server error needs a 5xx status, got {status}")
        return cls(
            status=status,
            body={"code": -1001, "msg": "Internal error; unable to process your request. Please try again."},
            nth=nth,
            count=count,
        )

    @classmethod
    def timeout(cls, delay_s: float = 2.0, *, nth: int = 1, count: int = 1) -> Fault:
        """Hold the answer for `delay_s` so a client with a shorter timeout gives up; the request still takes effect.

        On POST /fapi/v1/order this is a timeout after acceptance: the order is placed and may fill, but the client
        never hears so.
        """
        return cls(delay_s=delay_s, nth=nth, count=count)

    @classmethod
    def unknown_outcome(cls, *, nth: int = 1, count: int = 1) -> Fault:
        """Return Binance's "execution status unknown" 503 for a request that did take effect, as it may have.

        Binance answers this when its gateway gave up waiting for the matching engine; ccxt raises RequestTimeout.
        """
        return cls(
            status=503,
            body={
                "code": -1007,
                "msg": "Timeout waiting for response from backend server. "
                "Send status unknown; execution status unknown.",
            },
            nth=nth,
            count=count,
            takes_effect=True,
        )


@dataclass(frozen=True)
class _Bar:
    open_time_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal


@dataclass(frozen=True)
class _Trade:
    trade_id: int
    time_ms: int
    price: Decimal
    quantity: Decimal
    is_buyer_maker: bool


@dataclass
class _PendingFault:
    fault: Fault
    seen: int = 0
    applied: int = 0


class ExchangeSimulator:
    """Binance USD-M futures REST on 127.0.0.1 for ccxt's `binanceusdm`, with request log and fault injection.

    Requests are served on their own threads, so a held answer never blocks other requests or `stop()`. `trading`
    sets fees, spread, liquidity and leverage of the signed endpoints' book.
    """

    def __init__(
        self,
        markets: Iterable[PerpetualMarket] = (PerpetualMarket("BTC"),),
        *,
        clock: Clock | None = None,
        port: int = 0,
        trading: TradingConfig | None = None,
    ) -> None:
        self._markets = {market.symbol: market for market in markets}
        if not self._markets:
            raise ValueError("the simulator needs at least one market")
        self._clock = clock or SystemClock()
        self._port = port
        self._lock = threading.Lock()
        self._bars: dict[tuple[str, str], list[_Bar]] = {}
        self._trades: dict[str, list[_Trade]] = {}
        self._faults: dict[str, list[_PendingFault]] = {}
        self._outage: Fault | None = None
        self._requests: list[RecordedRequest] = []
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._routes: dict[tuple[str, str], Route] = {
            ("GET", "/fapi/v1/ping"): self._ping,
            ("GET", "/fapi/v1/time"): self._time,
            ("GET", "/fapi/v1/exchangeInfo"): self._exchange_info,
            ("GET", "/fapi/v1/klines"): self._klines,
            ("GET", "/fapi/v1/aggTrades"): self._agg_trades,
        }
        self._trading = TradingEngine(self._markets, self._clock, trading or TradingConfig())
        self._routes.update(self._trading.routes())

    # lifecycle

    def start(self) -> ExchangeSimulator:
        """Bind 127.0.0.1 (port 0 picks a free one) and serve on a background thread. After `stop`, serve again on
        the same port with the same accounts, orders and prices: an exchange that went down and came back."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", self._port), self)
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="exchange-simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; answers still held by a fault are dropped so that stopping never waits for them."""
        if self._server is None or self._thread is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> ExchangeSimulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """Return http://127.0.0.1:PORT, the root under which the Binance paths are served."""
        if self._server is None:
            raise RuntimeError("start the simulator first")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # scripting

    def add_bars(self, symbol: str, interval: str, rows: Iterable[BarRow]) -> None:
        """Add klines as (open_time_ms, open, high, low, close, volume); open times must be new for the series."""
        self._require_configured(symbol)
        if interval not in _INTERVAL_MS and interval != _MONTH:
            raise ValueError(f"unknown interval {interval!r}")
        bars = [_bar(row, interval) for row in rows]
        with self._lock:
            merged = sorted([*self._bars.get((symbol, interval), []), *bars], key=lambda bar: bar.open_time_ms)
            for before, after in zip(merged, merged[1:], strict=False):
                if before.open_time_ms == after.open_time_ms:
                    raise ValueError(f"{symbol} {interval}: two bars open at {after.open_time_ms}")
            self._bars[(symbol, interval)] = merged

    def add_trades(self, symbol: str, rows: Iterable[TradeRow]) -> None:
        """Add aggregate trades as (trade_id, time_ms, price, quantity, is_buyer_maker); ids must be new."""
        self._require_configured(symbol)
        trades = [_trade(row) for row in rows]
        with self._lock:
            merged = sorted([*self._trades.get(symbol, []), *trades], key=lambda trade: trade.trade_id)
            for before, after in zip(merged, merged[1:], strict=False):
                if before.trade_id == after.trade_id:
                    raise ValueError(f"{symbol}: trade id {after.trade_id} added twice")
                if before.time_ms > after.time_ms:
                    raise ValueError(f"{symbol}: trade {after.trade_id} is older than trade {before.trade_id}")
            self._trades[symbol] = merged

    def add_account(
        self, api_key: str, secret: str, balances: dict[str, Decimal] | None = None, *, read_only: bool = False
    ) -> None:
        """Open a futures account reached with `api_key` and signed with `secret`, holding `balances` (e.g. USDT).

        A read-only key may query but gets -2015 on every order, cancel and cancel-all.
        """
        self._trading.add_account(api_key, secret, balances, read_only=read_only)

    def add_key(self, api_key: str, secret: str, *, account_of: str, read_only: bool = True) -> None:
        """Add another key (read-only by default) to the account opened with the key `account_of`."""
        self._trading.add_key(api_key, secret, account_of=account_of, read_only=read_only)

    def set_price(self, symbol: str, price: Decimal) -> None:
        """Set `symbol`'s mark price; resting LIMIT orders the new best bid or ask reaches fill as maker."""
        self._require_configured(symbol)
        self._trading.set_price(symbol, price)

    def inject(self, path: str, fault: Fault) -> None:
        """Queue `fault` for requests to `path` (any method). Faults on one path apply in injection order."""
        with self._lock:
            self._faults.setdefault(path, []).append(_PendingFault(fault))

    def set_outage(self, fault: Fault | None) -> None:
        """Answer every request, on every path, with `fault` until `set_outage(None)`; its `nth` and `count` do not
        apply, and scripted per-path faults wait. `Fault.timeout(delay_s)` is a slow exchange (requests take effect,
        answers come late), `Fault.server_error(503)` a failing one (requests do not take effect)."""
        with self._lock:
            self._outage = fault

    @property
    def requests(self) -> tuple[RecordedRequest, ...]:
        """Return every request received so far, oldest first, faulted ones included."""
        with self._lock:
            return tuple(self._requests)

    # serving

    def _handle(self, http: BaseHTTPRequestHandler) -> None:
        request = self._read(http)
        with self._lock:
            self._requests.append(request)
            fault = self._outage or self._claim_fault(request.path)
        if fault is None or fault.status is None or fault.takes_effect:
            response = self._route(request)
        if fault is not None and fault.status is not None:
            response = Response(fault.status, fault.body, fault.headers)
        if fault is not None and fault.delay_s > 0 and self._stopping.wait(fault.delay_s):
            return  # stopping: drop the held answer rather than make shutdown wait for it
        _write(http, response)

    def _read(self, http: BaseHTTPRequestHandler) -> RecordedRequest:
        url = urlsplit(http.path)
        length = int(http.headers.get("Content-Length") or 0)
        return RecordedRequest(
            method=http.command,
            path=url.path,
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            raw_query=url.query,
            headers={name.lower(): value for name, value in http.headers.items()},
            body=http.rfile.read(length).decode() if length else "",
            arrival_s=self._clock.monotonic(),
        )

    def _claim_fault(self, path: str) -> Fault | None:
        pending = self._faults.get(path, [])
        claimed: _PendingFault | None = None
        for entry in pending:
            entry.seen += 1
            if claimed is None and entry.seen >= entry.fault.nth:
                claimed = entry
        if claimed is None:
            return None
        claimed.applied += 1
        if claimed.applied == claimed.fault.count:
            pending.remove(claimed)
        return claimed.fault

    def _route(self, request: RecordedRequest) -> Response:
        route = self._routes.get((request.method, request.path))
        if route is None:
            return Response(404, f"the simulator has no route for {request.method} {request.path}")
        try:
            return route(request)
        except BinanceError as error:
            return Response(error.status, {"code": error.code, "msg": error.msg})
        except Exception:
            logger.exception("simulator route %s %s failed", request.method, request.path)
            return Response(500, {"code": -1000, "msg": "An unknown error occurred while processing the request."})

    # routes

    def _ping(self, request: RecordedRequest) -> Response:
        return Response(200, {})

    def _time(self, request: RecordedRequest) -> Response:
        return Response(200, {"serverTime": self._now_ms()})

    def _exchange_info(self, request: RecordedRequest) -> Response:
        return Response(
            200,
            {
                "timezone": "UTC",
                "serverTime": self._now_ms(),
                "futuresType": "U_MARGINED",
                "rateLimits": [
                    {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 2400},
                    {"rateLimitType": "ORDERS", "interval": "MINUTE", "intervalNum": 1, "limit": 1200},
                    {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 300},
                ],
                "exchangeFilters": [],
                "assets": [
                    {"asset": asset, "marginAvailable": True, "autoAssetExchange": "0"}
                    for asset in sorted({market.quote_asset for market in self._markets.values()})
                ],
                "symbols": [_symbol_info(market) for market in self._markets.values()],
            },
        )

    def _klines(self, request: RecordedRequest) -> Response:
        """Binance semantics: bars opening in [startTime, endTime], ascending; without startTime the newest ones."""
        symbol = self._market(required_param(request, "symbol")).symbol
        interval = required_param(request, "interval")
        if interval not in _INTERVAL_MS and interval != _MONTH:
            raise BinanceError(400, -1120, "Invalid interval.")
        start, end = time_range_params(request)
        limit = limit_param(request, _KLINES_DEFAULT_LIMIT, _KLINES_MAX_LIMIT)
        with self._lock:
            bars = self._bars.get((symbol, interval), [])
            keys = [bar.open_time_ms for bar in bars]
            first = None if start is None else bisect.bisect_left(keys, start)
            stop = len(keys) if end is None else bisect.bisect_right(keys, end)
            page = bars[page_slice(first, stop, limit)]
        return Response(200, [_kline(bar, interval) for bar in page])

    def _agg_trades(self, request: RecordedRequest) -> Response:
        """Binance semantics: trades from fromId and/or in [startTime, endTime] (at most an hour), ascending."""
        symbol = self._market(required_param(request, "symbol")).symbol
        from_id = optional_int_param(request, "fromId")
        start, end = time_range_params(request)
        if start is not None and end is not None and end - start > _HOUR_MS:
            raise BinanceError(400, -1127, "More than 1 hours between startTime and endTime.")
        limit = limit_param(request, _AGG_TRADES_DEFAULT_LIMIT, _AGG_TRADES_MAX_LIMIT)
        with self._lock:
            trades = self._trades.get(symbol, [])
            # ids and times both ascend (add_trades enforces it), so either bound is a bisection
            firsts = []
            if from_id is not None:
                firsts.append(bisect.bisect_left([trade.trade_id for trade in trades], from_id))
            if start is not None:
                firsts.append(bisect.bisect_left([trade.time_ms for trade in trades], start))
            stop = len(trades) if end is None else bisect.bisect_right([trade.time_ms for trade in trades], end)
            page = trades[page_slice(max(firsts) if firsts else None, stop, limit)]
        return Response(
            200,
            [
                {
                    "a": trade.trade_id,
                    "p": format_decimal(trade.price),
                    "q": format_decimal(trade.quantity),
                    "f": trade.trade_id,
                    "l": trade.trade_id,
                    "T": trade.time_ms,
                    "m": trade.is_buyer_maker,
                }
                for trade in page
            ],
        )

    # helpers

    def _market(self, symbol: str) -> PerpetualMarket:
        market = self._markets.get(symbol)
        if market is None:
            raise BinanceError(400, -1121, "Invalid symbol.")
        return market

    def _require_configured(self, symbol: str) -> None:
        if symbol not in self._markets:
            raise ValueError(f"{symbol!r} is not a configured market; configured: {sorted(self._markets)}")

    def _now_ms(self) -> int:
        return int(self._clock.now().timestamp() * 1000)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], simulator: ExchangeSimulator) -> None:
        super().__init__(address, _RequestHandler)
        self.simulator = simulator


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.simulator._handle(self)

    do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)


def ccxt_client(simulator: ExchangeSimulator, exchange_id: str = "binanceusdm", **config: Any) -> ccxt.Exchange:
    """Return a real ccxt Binance client whose every API URL points at `simulator`, so no call leaves the host.

    `config` is passed to the ccxt constructor (e.g. timeout=300); its `options` override ours. Ours make
    load_markets ask only for the USD-M markets and skip the currencies call, which needs a Binance wallet endpoint.
    """
    exchange_class = getattr(ccxt, exchange_id)
    if not issubclass(exchange_class, ccxt.binance):
        raise ValueError(f"the simulator speaks Binance's API; {exchange_id} is not a Binance client")
    options = {"fetchMarkets": {"types": ["linear"]}, "fetchCurrencies": False, **config.get("options", {})}
    return point_at(exchange_class({**config, "options": options}), simulator.base_url)


def _write(http: BaseHTTPRequestHandler, response: Response) -> None:
    if isinstance(response.body, str):
        payload, content_type = response.body.encode(), "text/plain; charset=utf-8"
    else:
        payload, content_type = json.dumps(response.body, separators=(",", ":")).encode(), "application/json"
    try:
        http.send_response(response.status)
        http.send_header("Content-Type", content_type)
        http.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            http.send_header(name, value)
        http.end_headers()
        http.wfile.write(payload)
    except (BrokenPipeError, ConnectionResetError):
        logger.debug("client left before the answer to %s %s", http.command, http.path)


def _symbol_info(market: PerpetualMarket) -> dict[str, Any]:
    return {
        "symbol": market.symbol,
        "pair": market.symbol,
        "contractType": "PERPETUAL",
        "deliveryDate": _PERPETUAL_DELIVERY_MS,
        "status": "TRADING",
        "baseAsset": market.base_asset,
        "quoteAsset": market.quote_asset,
        "marginAsset": market.quote_asset,
        "pricePrecision": market.price_precision,
        "quantityPrecision": market.quantity_precision,
        "baseAssetPrecision": 8,
        "quotePrecision": 8,
        "underlyingType": "COIN",
        "filters": [
            {
                "filterType": "PRICE_FILTER",
                "minPrice": format_decimal(market.min_price),
                "maxPrice": format_decimal(market.max_price),
                "tickSize": format_decimal(market.tick_size),
            },
            {
                "filterType": "LOT_SIZE",
                "minQty": format_decimal(market.min_qty),
                "maxQty": format_decimal(market.max_qty),
                "stepSize": format_decimal(market.step_size),
            },
            {
                "filterType": "MARKET_LOT_SIZE",
                "minQty": format_decimal(market.min_qty),
                "maxQty": format_decimal(market.max_qty),
                "stepSize": format_decimal(market.step_size),
            },
            {"filterType": "MIN_NOTIONAL", "notional": format_decimal(market.min_notional)},
        ],
        "orderTypes": ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET"],
        "timeInForce": ["GTC", "IOC", "FOK", "GTX"],
    }


def _kline(bar: _Bar, interval: str) -> list[Any]:
    """Binance's 12-field kline; the fields the simulator has no data for (quote volume, counts) are zero."""
    return [
        bar.open_time_ms,
        format_decimal(bar.open),
        format_decimal(bar.high),
        format_decimal(bar.low),
        format_decimal(bar.close),
        format_decimal(bar.volume),
        _close_time_ms(interval, bar.open_time_ms),
        "0",
        0,
        "0",
        "0",
        "0",
    ]


def _close_time_ms(interval: str, open_time_ms: int) -> int:
    if interval != _MONTH:
        return open_time_ms + _INTERVAL_MS[interval] - 1
    opened = datetime.fromtimestamp(open_time_ms / 1000, tz=timezone.utc)
    carry, month_index = divmod(opened.month, 12)
    next_month = datetime(opened.year + carry, month_index + 1, 1, tzinfo=timezone.utc)
    return int(next_month.timestamp() * 1000) - 1


def _bar(row: BarRow, interval: str) -> _Bar:
    open_time_ms, *values = row
    if open_time_ms < 0:
        raise ValueError(f"bar open time must be >= 0, got {open_time_ms}")
    # Binance's intraday and daily bars open on multiples of their length since the epoch (UTC midnight for 1d).
    length_ms = _INTERVAL_MS.get(interval)
    if length_ms is not None and length_ms <= _DAY_MS and open_time_ms % length_ms:
        raise ValueError(f"a {interval} bar cannot open at {open_time_ms}: not a multiple of its length")
    open_, high, low, close, volume = (_decimal(value, "bar value") for value in values)
    if min(open_, high, low, close) <= 0 or volume < 0:
        raise ValueError(f"bar at {open_time_ms}: prices must be > 0 and volume >= 0")
    if not low <= min(open_, close) <= max(open_, close) <= high:
        raise ValueError(f"bar at {open_time_ms}: open and close must lie within [low, high]")
    return _Bar(open_time_ms, open_, high, low, close, volume)


def _trade(row: TradeRow) -> _Trade:
    trade_id, time_ms, price, quantity, is_buyer_maker = row
    if not isinstance(is_buyer_maker, bool):
        raise ValueError(f"trade {trade_id}: is_buyer_maker must be a bool, got {is_buyer_maker!r}")
    if trade_id < 0 or time_ms < 0:
        raise ValueError(f"trade id and time must be >= 0, got {trade_id} at {time_ms}")
    parsed_price, parsed_quantity = _decimal(price, "trade price"), _decimal(quantity, "trade quantity")
    if parsed_price <= 0 or parsed_quantity <= 0:
        raise ValueError(f"trade {trade_id}: price and quantity must be > 0")
    return _Trade(trade_id, time_ms, parsed_price, parsed_quantity, is_buyer_maker)


def _decimal(value: Number, what: str) -> Decimal:
    try:
        parsed = Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        raise ValueError(f"{what} {value!r} is not a number") from None
    if not parsed.is_finite():
        raise ValueError(f"{what} must be finite, got {value!r}")
    return parsed
