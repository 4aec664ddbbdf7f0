"""The SIGNED Binance USD-M futures endpoints: API keys, orders, a mark-price-driven book, positions and margin.

Accounts trade in one-way position mode with cross margin, at one leverage for every symbol. There is no depth:
a test sets each symbol's mark price, the best bid and ask are the mark -/+ a half-spread (rounded outward to
the tick), and every order trades against them. An order that can trade on arrival fills as taker at the best
price; a resting LIMIT order fills as maker at its own price once a new mark brings the best price to it
(touching is enough). Liquidity can be capped per order per matching event (an arrival or a `set_price`), so
partial fills are scriptable. Everything is decided under one lock, in order-id order, so runs are deterministic.
Not modelled: liquidation, funding, hedge mode, isolated margin, leverage changes and conditional orders (their
parameters are refused, not ignored). As Binance documents it, a client order id is unique among open orders
only: the id of a filled or cancelled order may be used again, so it is no idempotency key.

Authentication follows Binance's SIGNED rules: X-MBX-APIKEY names the key, `signature` is the hex HMAC-SHA256 of
the query string followed by the body (both without the signature), and `timestamp` must lie within
`recvWindow` (default 5000 ms, at most 60000) behind the simulator clock and less than 1000 ms ahead of it.
Binance checks each request on its own, so timestamps are a window, not a nonce; the simulator adds one rule
of its own: per key, a timestamp more than `recvWindow` older than the newest accepted one is rejected (-1021),
which catches a client whose clock steps back. Equal and slightly older timestamps pass, as on Binance.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from slipstream.core.clock import Clock
from slipstream.core.decimals import format_decimal
from slipstream.simulator.binance_api import (
    BinanceError,
    PerpetualMarket,
    RecordedRequest,
    Response,
    Route,
    decimal_places,
    limit_param,
    optional_int_param,
    required_int_param,
    required_param,
    time_range_params,
)

_MAX_LEVERAGE = 125
_DEFAULT_RECV_WINDOW_MS, _MAX_RECV_WINDOW_MS = 5_000, 60_000
_AHEAD_LIMIT_MS = 1_000
_LIST_DEFAULT_LIMIT, _LIST_MAX_LIMIT = 500, 1000
_BPS = Decimal(10_000)
_LIQUIDATION_PRICE_QUANTUM = Decimal("1e-8")
_DECIMAL_TEXT = re.compile(r"[0-9]{1,20}(\.[0-9]{1,20})?")
_CLIENT_ORDER_ID = re.compile(r"[.A-Z:/a-z0-9_-]{1,36}")
_API_KEY = re.compile(r"[!-~]+")
_OPEN = ("NEW", "PARTIALLY_FILLED")
_TIME_IN_FORCE = ("GTC", "IOC", "FOK", "GTX")
# Binance order parameters for behaviour the simulator does not model, with the one value (if any) that changes
# nothing; anything else is refused rather than silently ignored.
_UNMODELLED: dict[str, str | None] = {
    "stopPrice": None,
    "activationPrice": None,
    "callbackRate": None,
    "goodTillDate": None,
    "closePosition": "false",
    "priceMatch": "NONE",
}


@dataclass(frozen=True)
class TradingConfig:
    """How the simulated book trades; the defaults are Binance's VIP 0 USD-M fees and its default 20x leverage.

    `max_fill_quantity` caps what one order can fill per matching event (None: unlimited); it must be a multiple
    of each market's step size. `maint_margin_rate` is the single maintenance-margin bracket of every symbol.
    """

    maker_fee_rate: Decimal = Decimal("0.0002")
    taker_fee_rate: Decimal = Decimal("0.0005")
    half_spread_bps: Decimal = Decimal("0")
    max_fill_quantity: Decimal | None = None
    leverage: int = 20
    maint_margin_rate: Decimal = Decimal("0.004")

    def __post_init__(self) -> None:
        for name in ("maker_fee_rate", "taker_fee_rate"):
            rate = getattr(self, name)
            if not rate.is_finite() or not -1 < rate < 1:
                raise ValueError(f"{name} must be a finite fraction in (-1, 1), got {rate}")
        if not self.half_spread_bps.is_finite() or not 0 <= self.half_spread_bps < _BPS:
            raise ValueError(f"half_spread_bps must be in [0, 10000), got {self.half_spread_bps}")
        if self.max_fill_quantity is not None and (
            not self.max_fill_quantity.is_finite() or self.max_fill_quantity <= 0
        ):
            raise ValueError(f"max_fill_quantity must be positive, got {self.max_fill_quantity}")
        if not 1 <= self.leverage <= _MAX_LEVERAGE:
            raise ValueError(f"leverage must be in [1, {_MAX_LEVERAGE}], got {self.leverage}")
        if not self.maint_margin_rate.is_finite() or not 0 < self.maint_margin_rate < 1:
            raise ValueError(f"maint_margin_rate must be in (0, 1), got {self.maint_margin_rate}")


@dataclass
class _Position:
    amount: Decimal = Decimal(0)
    entry_price: Decimal = Decimal(0)
    updated_ms: int = 0

    def apply(self, signed_quantity: Decimal, price: Decimal) -> Decimal:
        """Add a fill in one-way mode and return the PnL it realises: closing first, any rest opens at `price`."""
        if self.amount == 0 or (self.amount > 0) == (signed_quantity > 0):
            size = abs(self.amount) + abs(signed_quantity)
            self.entry_price = (self.entry_price * abs(self.amount) + price * abs(signed_quantity)) / size
            self.amount += signed_quantity
            return Decimal(0)
        closed = min(abs(signed_quantity), abs(self.amount))
        direction = 1 if self.amount > 0 else -1
        realized = (price - self.entry_price) * closed * direction
        opened = abs(signed_quantity) - closed
        self.amount -= direction * closed
        if self.amount == 0:
            self.entry_price = Decimal(0)
        if opened > 0:
            self.amount, self.entry_price = -direction * opened, price
        return realized


@dataclass
class _Account:
    api_key: str
    secret: bytes
    read_only: bool
    wallets: dict[str, Decimal]
    wallet_updated_ms: dict[str, int]
    positions: dict[str, _Position] = field(default_factory=dict)
    newest_timestamp_ms: int | None = None

    def position(self, symbol: str) -> _Position:
        return self.positions.setdefault(symbol, _Position())


@dataclass
class _Order:
    order_id: int
    client_order_id: str
    api_key: str
    market: PerpetualMarket
    side: str
    type: str
    time_in_force: str
    quantity: Decimal
    price: Decimal
    reduce_only: bool
    time_ms: int
    status: str = "NEW"
    executed: Decimal = Decimal(0)
    cum_quote: Decimal = Decimal(0)
    update_ms: int = 0

    @property
    def remaining(self) -> Decimal:
        return self.quantity - self.executed

    @property
    def is_open(self) -> bool:
        return self.status in _OPEN

    @property
    def direction(self) -> int:
        return 1 if self.side == "BUY" else -1

    def as_json(self, *, with_time: bool) -> dict[str, Any]:
        """Binance's order object: queries carry `time`, new-order and cancel answers carry `cumQty` instead."""
        average = self.cum_quote / self.executed if self.executed else Decimal(0)
        body: dict[str, Any] = {
            "orderId": self.order_id,
            "symbol": self.market.symbol,
            "status": self.status,
            "clientOrderId": self.client_order_id,
            "price": format_decimal(self.price),
            "avgPrice": format_decimal(average),
            "origQty": format_decimal(self.quantity),
            "executedQty": format_decimal(self.executed),
            "cumQuote": format_decimal(self.cum_quote),
            "timeInForce": self.time_in_force,
            "type": self.type,
            "reduceOnly": self.reduce_only,
            "closePosition": False,
            "side": self.side,
            "positionSide": "BOTH",
            "stopPrice": "0",
            "workingType": "CONTRACT_PRICE",
            "priceProtect": False,
            "origType": self.type,
            "priceMatch": "NONE",
            "selfTradePreventionMode": "NONE",
            "goodTillDate": 0,
            "updateTime": self.update_ms,
        }
        if with_time:
            body["time"] = self.time_ms
        else:
            body["cumQty"] = format_decimal(self.executed)
        return body


@dataclass(frozen=True)
class _Fill:
    trade_id: int
    order: _Order
    price: Decimal
    quantity: Decimal
    commission: Decimal
    realized_pnl: Decimal
    maker: bool
    time_ms: int

    def as_json(self) -> dict[str, Any]:
        return {
            "buyer": self.order.side == "BUY",
            "commission": format_decimal(self.commission),
            "commissionAsset": self.order.market.quote_asset,
            "id": self.trade_id,
            "maker": self.maker,
            "orderId": self.order.order_id,
            "price": format_decimal(self.price),
            "qty": format_decimal(self.quantity),
            "quoteQty": format_decimal(self.price * self.quantity),
            "realizedPnl": format_decimal(self.realized_pnl),
            "side": self.order.side,
            "positionSide": "BOTH",
            "symbol": self.order.market.symbol,
            "time": self.time_ms,
        }


@dataclass(frozen=True)
class _Exposure:
    """One account's stake in one symbol at the current mark: its position and its open orders."""

    market: PerpetualMarket
    position: _Position
    mark: Decimal
    initial_margin_rate: Decimal
    maint_margin_rate: Decimal
    bid_notional: Decimal
    ask_notional: Decimal
    open_order_initial: Decimal

    @property
    def notional(self) -> Decimal:
        return self.position.amount * self.mark

    @property
    def unrealized(self) -> Decimal:
        return (self.mark - self.position.entry_price) * self.position.amount

    @property
    def position_initial(self) -> Decimal:
        return abs(self.notional) * self.initial_margin_rate

    @property
    def maintenance(self) -> Decimal:
        return abs(self.notional) * self.maint_margin_rate

    @property
    def active(self) -> bool:
        return self.position.amount != 0 or self.bid_notional != 0 or self.ask_notional != 0


@dataclass(frozen=True)
class _Margin:
    wallet: Decimal
    unrealized: Decimal
    position_initial: Decimal
    open_order_initial: Decimal
    maintenance: Decimal

    @property
    def margin_balance(self) -> Decimal:
        return self.wallet + self.unrealized

    @property
    def initial(self) -> Decimal:
        return self.position_initial + self.open_order_initial

    @property
    def available(self) -> Decimal:
        return self.margin_balance - self.initial


class TradingEngine:
    """Accounts, orders and matching behind the signed routes; `routes()` is merged into the simulator's table."""

    def __init__(self, markets: Mapping[str, PerpetualMarket], clock: Clock, config: TradingConfig) -> None:
        if config.max_fill_quantity is not None:
            for market in markets.values():
                if config.max_fill_quantity % market.step_size:
                    raise ValueError(f"max_fill_quantity must be a multiple of {market.symbol}'s step size")
        self._markets = markets
        self._margin_assets = sorted({market.quote_asset for market in markets.values()})
        self._clock = clock
        self._config = config
        self._lock = threading.Lock()
        self._accounts: dict[str, _Account] = {}
        self._marks: dict[str, Decimal] = {}
        self._orders: dict[int, _Order] = {}
        self._fills: list[_Fill] = []
        self._order_ids = itertools.count(1)
        self._trade_ids = itertools.count(1)

    def routes(self) -> dict[tuple[str, str], Route]:
        """Return the signed endpoints, plus the ones ccxt calls implicitly (leverage brackets, position mode)."""
        return {
            ("POST", "/fapi/v1/order"): self._new_order,
            ("GET", "/fapi/v1/order"): self._query_order,
            ("DELETE", "/fapi/v1/order"): self._cancel_order,
            ("DELETE", "/fapi/v1/allOpenOrders"): self._cancel_all_open_orders,
            ("GET", "/fapi/v1/openOrders"): self._open_orders,
            ("GET", "/fapi/v1/allOrders"): self._all_orders,
            ("GET", "/fapi/v1/userTrades"): self._user_trades,
            ("GET", "/fapi/v2/account"): self._account_v2,
            ("GET", "/fapi/v3/account"): self._account_v3,
            ("GET", "/fapi/v2/balance"): self._balance,
            ("GET", "/fapi/v2/positionRisk"): self._position_risk_v2,
            ("GET", "/fapi/v3/positionRisk"): self._position_risk_v3,
            ("GET", "/fapi/v1/leverageBracket"): self._leverage_bracket,
            ("GET", "/fapi/v1/positionSide/dual"): self._position_mode,
            ("GET", "/fapi/v1/premiumIndex"): self._premium_index,
            ("GET", "/sapi/v1/account/apiRestrictions"): self._api_restrictions,
        }

    # scripting

    def add_account(
        self, api_key: str, secret: str, balances: Mapping[str, Decimal] | None, *, read_only: bool
    ) -> None:
        """Open an account with wallet `balances` per margin asset; a read-only key may query but not trade."""
        if not _API_KEY.fullmatch(api_key) or not secret:
            raise ValueError("the API key must be printable ASCII without spaces and the secret must not be empty")
        wallets = dict(balances or {})
        for asset, amount in wallets.items():
            if asset not in self._margin_assets:
                raise ValueError(f"{asset!r} is not a margin asset; margin assets: {self._margin_assets}")
            if not amount.is_finite() or amount < 0:
                raise ValueError(f"the {asset} balance must be a finite decimal >= 0, got {amount}")
        now = self._now_ms()
        with self._lock:
            if api_key in self._accounts:
                raise ValueError(f"API key {api_key!r} is already taken")
            self._accounts[api_key] = _Account(
                api_key, secret.encode(), read_only, wallets, dict.fromkeys(wallets, now)
            )

    def add_key(self, api_key: str, secret: str, *, account_of: str, read_only: bool) -> None:
        """Give the account opened with `account_of` another key (Binance allows several per account),
        e.g. a read-only one for an auditor: same wallets and positions, its own secret and rights."""
        if not _API_KEY.fullmatch(api_key) or not secret:
            raise ValueError("the API key must be printable ASCII without spaces and the secret must not be empty")
        with self._lock:
            if api_key in self._accounts:
                raise ValueError(f"API key {api_key!r} is already taken")
            primary = self._accounts[account_of]
            self._accounts[api_key] = _Account(
                primary.api_key,
                secret.encode(),
                read_only,
                primary.wallets,
                primary.wallet_updated_ms,
                primary.positions,
            )

    def set_price(self, symbol: str, price: Decimal) -> None:
        """Move `symbol`'s mark price, then fill resting LIMIT orders the new best price reaches, as maker."""
        market = self._markets[symbol]
        if not price.is_finite() or price <= 0:
            raise ValueError(f"a mark price must be a positive finite decimal, got {price}")
        with self._lock:
            self._marks[symbol] = price
            bid, ask = self._best_prices(market)
            for order in [order for order in self._orders.values() if order.market is market and order.is_open]:
                if order.type == "LIMIT" and _reaches(order, bid, ask):
                    self._match(order, order.price, maker=True)

    # authentication

    def _authenticate(self, request: RecordedRequest, *, trades: bool = False) -> _Account:
        api_key = request.api_key
        if not api_key:
            raise BinanceError(401, -2014, "API-key format invalid.")
        account = self._accounts.get(api_key)
        if account is None:
            raise _rejected_key()
        signature = required_param(request, "signature")
        timestamp = required_int_param(request, "timestamp")
        recv_window = optional_int_param(request, "recvWindow")
        recv_window = _DEFAULT_RECV_WINDOW_MS if recv_window is None else recv_window
        if not 0 < recv_window <= _MAX_RECV_WINDOW_MS:
            raise BinanceError(400, -1130, "Data sent for parameter 'recvWindow' is not valid.")
        expected = hmac.new(account.secret, _signed_payload(request).encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature.lower()):
            raise BinanceError(400, -1022, "Signature for this request is not valid.")
        now = self._now_ms()
        if timestamp >= now + _AHEAD_LIMIT_MS:
            raise BinanceError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.")
        newest = account.newest_timestamp_ms
        if now - timestamp > recv_window or (newest is not None and newest - timestamp > recv_window):
            raise BinanceError(400, -1021, "Timestamp for this request is outside of the recvWindow.")
        account.newest_timestamp_ms = timestamp if newest is None else max(newest, timestamp)
        if trades and account.read_only:
            raise _rejected_key()
        return account

    # orders

    def _new_order(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request, trades=True)
            order, respond_with_ack = self._accept(account, request)
            ack = order.as_json(with_time=False)
            self._orders[order.order_id] = order
            bid, ask = self._best_prices(order.market)
            if order.type == "MARKET" or _reaches(order, bid, ask):
                self._match(order, ask if order.side == "BUY" else bid, maker=False)
            if order.is_open and (order.type == "MARKET" or order.time_in_force in ("IOC", "FOK")):
                order.status = "EXPIRED"
            return Response(200, ack if respond_with_ack else order.as_json(with_time=False))

    def _accept(self, account: _Account, request: RecordedRequest) -> tuple[_Order, bool]:
        """Validate a new order with Binance's error codes; return it unmatched, and whether to answer with ACK."""
        market = self._market(required_param(request, "symbol"))
        params = request.params
        side = required_param(request, "side")
        if side not in ("BUY", "SELL"):
            raise BinanceError(400, -1117, "Invalid side.")
        order_type = required_param(request, "type")
        if order_type not in ("LIMIT", "MARKET"):
            raise BinanceError(400, -1116, "Invalid orderType.")
        for name in sorted(_UNMODELLED.keys() & params.keys()):
            if params[name] != _UNMODELLED[name]:
                raise BinanceError(
                    400, -1106, f"Parameter '{name}' sent when not required. (The simulator does not model it.)"
                )
        if params.get("positionSide", "BOTH") != "BOTH":
            raise BinanceError(400, -4061, "Order's position side does not match user's setting.")
        response_type = params.get("newOrderRespType", "ACK")
        if response_type not in ("ACK", "RESULT"):
            raise BinanceError(400, -1136, "Invalid newOrderRespType.")
        reduce_only = _bool_param(request, "reduceOnly")
        quantity = _quantity(request, market)
        if order_type == "LIMIT":
            time_in_force = required_param(request, "timeInForce")
            if time_in_force not in _TIME_IN_FORCE:
                raise BinanceError(400, -1115, "Invalid timeInForce.")
            price = _price(request, market)
        else:
            for name in ("price", "timeInForce"):
                if name in params:
                    raise BinanceError(400, -1106, f"Parameter '{name}' sent when not required.")
            time_in_force, price = "GTC", Decimal(0)
        client_order_id = params.get("newClientOrderId")
        if client_order_id is not None and not _CLIENT_ORDER_ID.fullmatch(client_order_id):
            raise BinanceError(400, -4015, "Client order id is not valid.")
        if client_order_id is not None and any(
            order.client_order_id == client_order_id for order in self._open_orders_of(account)
        ):
            raise BinanceError(400, -4116, "clientOrderId is duplicated")
        now = self._now_ms()
        order = _Order(
            order_id=0,
            client_order_id=client_order_id or "",
            api_key=account.api_key,
            market=market,
            side=side,
            type=order_type,
            time_in_force=time_in_force,
            quantity=quantity,
            price=price,
            reduce_only=reduce_only,
            time_ms=now,
            update_ms=now,
        )
        self._check_tradable(account, order)
        # Ids are handed out only now: like Binance, a rejected order leaves no trace in the order history.
        order.order_id = next(self._order_ids)
        order.client_order_id = order.client_order_id or f"sim-{order.order_id}"
        return order, response_type == "ACK"

    def _check_tradable(self, account: _Account, order: _Order) -> None:
        market = order.market
        position = account.position(market.symbol)
        if order.reduce_only and _reducible(position, order) == 0:
            raise BinanceError(400, -2022, "ReduceOnly Order is rejected.")
        bid, ask = self._best_prices(market)
        if order.type == "MARKET" and ask == 0:
            raise BinanceError(
                400, -1000, f"The simulator has no mark price for {market.symbol}: call set_price first."
            )
        reference = order.price if order.type == "LIMIT" else (ask if order.side == "BUY" else bid)
        if not order.reduce_only and order.quantity * reference < market.min_notional:
            raise BinanceError(
                400,
                -4164,
                f"Order's notional must be no smaller than {format_decimal(market.min_notional)} "
                "(unless you choose reduce only).",
            )
        marketable = order.type == "MARKET" or _reaches(order, bid, ask)
        if order.time_in_force == "GTX" and marketable:
            raise BinanceError(
                400,
                -5022,
                "Due to the order could not be executed as maker, the Post Only order will be rejected. "
                "The order will not be recorded in the order history",
            )
        if order.time_in_force == "FOK" and (not marketable or self._fill_quantity(order, position) < order.quantity):
            raise BinanceError(
                400,
                -5021,
                "Due to the order could not be filled immediately, the FOK order has been rejected. "
                "The order will not be recorded in the order history",
            )
        if not order.reduce_only:
            closing = _reducible(position, order)
            required = max(order.quantity - closing, Decimal(0)) * reference / self._config.leverage
            if required > self._margin(account, market.quote_asset).available:
                raise BinanceError(400, -2019, "Margin is insufficient.")

    def _match(self, order: _Order, price: Decimal, *, maker: bool) -> None:
        """Fill what liquidity and reduce-only allow at `price`, then expire reduce-only orders left with nothing."""
        account = self._accounts[order.api_key]
        position = account.position(order.market.symbol)
        quantity = self._fill_quantity(order, position)
        if quantity > 0:
            now = self._now_ms()
            notional = price * quantity
            commission = notional * (self._config.maker_fee_rate if maker else self._config.taker_fee_rate)
            realized = position.apply(order.direction * quantity, price)
            position.updated_ms = now
            asset = order.market.quote_asset
            account.wallets[asset] = account.wallets.get(asset, Decimal(0)) + realized - commission
            account.wallet_updated_ms[asset] = now
            order.executed += quantity
            order.cum_quote += notional
            order.status = "FILLED" if order.remaining == 0 else "PARTIALLY_FILLED"
            order.update_ms = now
            self._fills.append(_Fill(next(self._trade_ids), order, price, quantity, commission, realized, maker, now))
        for other in self._open_orders_of(account, order.market):
            if other.reduce_only and _reducible(position, other) == 0:
                other.status, other.update_ms = "EXPIRED", self._now_ms()

    def _fill_quantity(self, order: _Order, position: _Position) -> Decimal:
        quantity = order.remaining
        if self._config.max_fill_quantity is not None:
            quantity = min(quantity, self._config.max_fill_quantity)
        if order.reduce_only:
            quantity = min(quantity, _reducible(position, order))
        return quantity

    def _query_order(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request)
            order = self._find_order(account, request)
            if order is None:
                raise BinanceError(400, -2013, "Order does not exist.")
            return Response(200, order.as_json(with_time=True))

    def _cancel_order(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request, trades=True)
            order = self._find_order(account, request)
            if order is None or not order.is_open:
                raise BinanceError(400, -2011, "Unknown order sent.")
            order.status, order.update_ms = "CANCELED", self._now_ms()
            return Response(200, order.as_json(with_time=False))

    def _cancel_all_open_orders(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request, trades=True)
            market = self._market(required_param(request, "symbol"))
            now = self._now_ms()
            for order in self._open_orders_of(account, market):
                order.status, order.update_ms = "CANCELED", now
            return Response(200, {"code": 200, "msg": "The operation of cancel all open order is done."})

    def _open_orders(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request)
            symbol = request.params.get("symbol")
            market = None if symbol is None else self._market(symbol)
            return Response(200, [order.as_json(with_time=True) for order in self._open_orders_of(account, market)])

    def _all_orders(self, request: RecordedRequest) -> Response:
        """Binance semantics: from orderId or startTime forward, else the newest; ascending by order id."""
        with self._lock:
            account = self._authenticate(request)
            market = self._market(required_param(request, "symbol"))
            from_id = optional_int_param(request, "orderId")
            start, end = time_range_params(request)
            limit = limit_param(request, _LIST_DEFAULT_LIMIT, _LIST_MAX_LIMIT)
            orders = [
                order
                for order in self._orders.values()
                if order.api_key == account.api_key and order.market is market
                if _within(order.order_id, order.time_ms, from_id, start, end)
            ]
            page = orders[:limit] if from_id is not None or start is not None else orders[-limit:]
            return Response(200, [order.as_json(with_time=True) for order in page])

    def _user_trades(self, request: RecordedRequest) -> Response:
        """Binance semantics: from fromId or startTime forward, else the newest; optionally one order's trades."""
        with self._lock:
            account = self._authenticate(request)
            market = self._market(required_param(request, "symbol"))
            order_id = optional_int_param(request, "orderId")
            from_id = optional_int_param(request, "fromId")
            start, end = time_range_params(request)
            limit = limit_param(request, _LIST_DEFAULT_LIMIT, _LIST_MAX_LIMIT)
            fills = [
                fill
                for fill in self._fills
                if fill.order.api_key == account.api_key and fill.order.market is market
                if order_id is None or fill.order.order_id == order_id
                if _within(fill.trade_id, fill.time_ms, from_id, start, end)
            ]
            page = fills[:limit] if from_id is not None or start is not None else fills[-limit:]
            return Response(200, [fill.as_json() for fill in page])

    # account

    def _account_v3(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request)
            body = self._account_json(account)
            body["positions"] = [
                _account_position_json(exposure) for exposure in self._exposures(account) if exposure.active
            ]
            return Response(200, body)

    def _account_v2(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request)
            body = {
                "feeTier": 0,
                "feeBurn": False,
                "canTrade": not account.read_only,
                "canDeposit": True,
                "canWithdraw": True,
                "updateTime": 0,
                "multiAssetsMargin": False,
                "tradeGroupId": -1,
                **self._account_json(account),
            }
            for asset in body["assets"]:
                asset["marginAvailable"] = True
            body["positions"] = [
                {
                    **_account_position_json(exposure),
                    "leverage": str(self._config.leverage),
                    "entryPrice": format_decimal(exposure.position.entry_price),
                    "positionInitialMargin": format_decimal(exposure.position_initial),
                    "openOrderInitialMargin": format_decimal(exposure.open_order_initial),
                    "isolated": False,
                    "maxNotional": format_decimal(_max_notional(exposure.market)),
                    "bidNotional": format_decimal(exposure.bid_notional),
                    "askNotional": format_decimal(exposure.ask_notional),
                }
                for exposure in self._exposures(account)
            ]
            return Response(200, body)

    def _balance(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request)
            rows = []
            for asset in self._margin_assets:
                margin = self._margin(account, asset)
                rows.append(
                    {
                        "accountAlias": "SimFuturesAccount",
                        "asset": asset,
                        "balance": format_decimal(margin.wallet),
                        "crossWalletBalance": format_decimal(margin.wallet),
                        "crossUnPnl": format_decimal(margin.unrealized),
                        "availableBalance": format_decimal(margin.available),
                        "maxWithdrawAmount": format_decimal(_max_withdraw(margin)),
                        "marginAvailable": True,
                        "updateTime": account.wallet_updated_ms.get(asset, 0),
                    }
                )
            return Response(200, rows)

    def _account_json(self, account: _Account) -> dict[str, Any]:
        """The asset rows and totals both account versions share; totals count every margin asset as one USD."""
        margins = {asset: self._margin(account, asset) for asset in self._margin_assets}
        assets = [
            {
                "asset": asset,
                "walletBalance": format_decimal(margin.wallet),
                "unrealizedProfit": format_decimal(margin.unrealized),
                "marginBalance": format_decimal(margin.margin_balance),
                "maintMargin": format_decimal(margin.maintenance),
                "initialMargin": format_decimal(margin.initial),
                "positionInitialMargin": format_decimal(margin.position_initial),
                "openOrderInitialMargin": format_decimal(margin.open_order_initial),
                "crossWalletBalance": format_decimal(margin.wallet),
                "crossUnPnl": format_decimal(margin.unrealized),
                "availableBalance": format_decimal(margin.available),
                "maxWithdrawAmount": format_decimal(_max_withdraw(margin)),
                "updateTime": account.wallet_updated_ms.get(asset, 0),
            }
            for asset, margin in margins.items()
        ]

        def total(value: str) -> str:
            return format_decimal(sum((getattr(margin, value) for margin in margins.values()), Decimal(0)))

        return {
            "totalInitialMargin": total("initial"),
            "totalMaintMargin": total("maintenance"),
            "totalWalletBalance": total("wallet"),
            "totalUnrealizedProfit": total("unrealized"),
            "totalMarginBalance": total("margin_balance"),
            "totalPositionInitialMargin": total("position_initial"),
            "totalOpenOrderInitialMargin": total("open_order_initial"),
            "totalCrossWalletBalance": total("wallet"),
            "totalCrossUnPnl": total("unrealized"),
            "availableBalance": total("available"),
            "maxWithdrawAmount": format_decimal(sum((_max_withdraw(m) for m in margins.values()), Decimal(0))),
            "assets": assets,
        }

    def _position_risk_v3(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request)
            rows = [
                {
                    **self._position_risk_json(account, exposure),
                    "marginAsset": exposure.market.quote_asset,
                    "initialMargin": format_decimal(exposure.position_initial + exposure.open_order_initial),
                    "maintMargin": format_decimal(exposure.maintenance),
                    "positionInitialMargin": format_decimal(exposure.position_initial),
                    "openOrderInitialMargin": format_decimal(exposure.open_order_initial),
                    "bidNotional": format_decimal(exposure.bid_notional),
                    "askNotional": format_decimal(exposure.ask_notional),
                }
                for exposure in self._exposures(account, request.params.get("symbol"))
                if exposure.active
            ]
            return Response(200, rows)

    def _position_risk_v2(self, request: RecordedRequest) -> Response:
        with self._lock:
            account = self._authenticate(request)
            rows = [
                {
                    **self._position_risk_json(account, exposure),
                    "marginType": "cross",
                    "isAutoAddMargin": "false",
                    "leverage": str(self._config.leverage),
                    "maxNotionalValue": format_decimal(_max_notional(exposure.market)),
                }
                for exposure in self._exposures(account, request.params.get("symbol"))
            ]
            return Response(200, rows)

    def _position_risk_json(self, account: _Account, exposure: _Exposure) -> dict[str, Any]:
        return {
            "symbol": exposure.market.symbol,
            "positionSide": "BOTH",
            "positionAmt": format_decimal(exposure.position.amount),
            "entryPrice": format_decimal(exposure.position.entry_price),
            "markPrice": format_decimal(exposure.mark),
            "unRealizedProfit": format_decimal(exposure.unrealized),
            "liquidationPrice": format_decimal(self._liquidation_price(account, exposure)),
            "isolatedMargin": "0",
            "notional": format_decimal(exposure.notional),
            "isolatedWallet": "0",
            "updateTime": exposure.position.updated_ms,
        }

    def _liquidation_price(self, account: _Account, exposure: _Exposure) -> Decimal:
        """Binance's one-way cross-margin formula with the other positions' maintenance and PnL; 0 if none."""
        position = exposure.position
        if position.amount == 0:
            return Decimal(0)
        asset = exposure.market.quote_asset
        others = [other for other in self._exposures(account) if other.market.quote_asset == asset]
        others = [other for other in others if other.market is not exposure.market]
        numerator = (
            account.wallets.get(asset, Decimal(0))
            - sum((other.maintenance for other in others), Decimal(0))
            + sum((other.unrealized for other in others), Decimal(0))
            - position.amount * position.entry_price
        )
        denominator = abs(position.amount) * self._config.maint_margin_rate - position.amount
        price = numerator / denominator
        return max(price, Decimal(0)).quantize(_LIQUIDATION_PRICE_QUANTUM, ROUND_HALF_UP)

    def _leverage_bracket(self, request: RecordedRequest) -> Response:
        with self._lock:
            self._authenticate(request)
            symbol = request.params.get("symbol")
            markets = self._markets.values() if symbol is None else [self._market(symbol)]
            rows = [
                {
                    "symbol": market.symbol,
                    "brackets": [
                        {
                            "bracket": 1,
                            "initialLeverage": _MAX_LEVERAGE,
                            "notionalCap": float(_max_notional(market)),
                            "notionalFloor": 0,
                            "maintMarginRatio": float(self._config.maint_margin_rate),
                            "cum": 0.0,
                        }
                    ],
                }
                for market in markets
            ]
            return Response(200, rows if symbol is None else rows[0])

    def _position_mode(self, request: RecordedRequest) -> Response:
        with self._lock:
            self._authenticate(request)
            return Response(200, {"dualSidePosition": False})

    def _api_restrictions(self, request: RecordedRequest) -> Response:
        """What the key may do (Binance's GET /sapi/v1/account/apiRestrictions): an auditor checks
        that its key cannot trade."""
        with self._lock:
            account = self._authenticate(request)
            trading = not account.read_only
        return Response(
            200,
            {
                "ipRestrict": False,
                "createTime": 1_700_000_000_000,
                "enableReading": True,
                "enableFutures": trading,
                "enableSpotAndMarginTrading": trading,
                "enableMargin": False,
                "enableWithdrawals": False,
                "enableInternalTransfer": False,
                "permitsUniversalTransfer": False,
                "enableVanillaOptions": False,
            },
        )

    def _premium_index(self, request: RecordedRequest) -> Response:
        """Public mark price (ccxt's fetch_mark_price); funding is not modelled, so its rate is 0."""
        symbol = required_param(request, "symbol")
        market = self._market(symbol)
        with self._lock:
            mark = self._marks.get(market.symbol)
        if mark is None:
            raise BinanceError(400, -1000, f"no mark price for {symbol} yet: call set_price first")
        now = self._now_ms()
        price = format_decimal(mark)
        return Response(
            200,
            {
                "symbol": market.symbol,
                "markPrice": price,
                "indexPrice": price,
                "estimatedSettlePrice": price,
                "lastFundingRate": "0",
                "interestRate": "0",
                "nextFundingTime": now + 8 * 3_600_000,
                "time": now,
            },
        )

    # helpers

    def _exposures(self, account: _Account, symbol: str | None = None) -> list[_Exposure]:
        markets = self._markets.values() if symbol is None else [self._market(symbol)]
        return [self._exposure(account, market) for market in markets]

    def _exposure(self, account: _Account, market: PerpetualMarket) -> _Exposure:
        orders = self._open_orders_of(account, market)
        bids = sum((order.remaining * order.price for order in orders if order.side == "BUY"), Decimal(0))
        asks = sum((order.remaining * order.price for order in orders if order.side == "SELL"), Decimal(0))
        # Simplified from Binance, which nets orders against the position: every open order that is not
        # reduce-only reserves its own initial margin.
        reserved = sum((order.remaining * order.price for order in orders if not order.reduce_only), Decimal(0))
        initial_rate = Decimal(1) / self._config.leverage
        return _Exposure(
            market=market,
            position=account.positions.get(market.symbol, _Position()),
            mark=self._marks.get(market.symbol, Decimal(0)),
            initial_margin_rate=initial_rate,
            maint_margin_rate=self._config.maint_margin_rate,
            bid_notional=bids,
            ask_notional=asks,
            open_order_initial=reserved * initial_rate,
        )

    def _margin(self, account: _Account, asset: str) -> _Margin:
        exposures = [exposure for exposure in self._exposures(account) if exposure.market.quote_asset == asset]
        return _Margin(
            wallet=account.wallets.get(asset, Decimal(0)),
            unrealized=sum((exposure.unrealized for exposure in exposures), Decimal(0)),
            position_initial=sum((exposure.position_initial for exposure in exposures), Decimal(0)),
            open_order_initial=sum((exposure.open_order_initial for exposure in exposures), Decimal(0)),
            maintenance=sum((exposure.maintenance for exposure in exposures), Decimal(0)),
        )

    def _best_prices(self, market: PerpetualMarket) -> tuple[Decimal, Decimal]:
        """Return (bid, ask) around the mark, rounded outward to the tick; (0, 0) before the first mark."""
        mark = self._marks.get(market.symbol)
        if mark is None:
            return Decimal(0), Decimal(0)
        half_spread = mark * self._config.half_spread_bps / _BPS
        bid = max(_to_tick(mark - half_spread, market.tick_size, ROUND_FLOOR), market.tick_size)
        ask = _to_tick(mark + half_spread, market.tick_size, ROUND_CEILING)
        return bid, ask

    def _find_order(self, account: _Account, request: RecordedRequest) -> _Order | None:
        """Look up by orderId, else by origClientOrderId: the open order with it, else the newest with it."""
        market = self._market(required_param(request, "symbol"))
        order_id = optional_int_param(request, "orderId")
        client_order_id = request.params.get("origClientOrderId")
        if order_id is None and client_order_id is None:
            raise BinanceError(
                400, -1102, "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!"
            )
        if order_id is not None:
            found = self._orders.get(order_id)
            if found is None or found.api_key != account.api_key or found.market is not market:
                return None
            return found
        named = [
            order
            for order in self._orders.values()
            if order.api_key == account.api_key and order.market is market and order.client_order_id == client_order_id
        ]
        return max(named, key=lambda order: (order.is_open, order.order_id), default=None)

    def _open_orders_of(self, account: _Account, market: PerpetualMarket | None = None) -> list[_Order]:
        return [
            order
            for order in self._orders.values()
            if order.api_key == account.api_key and order.is_open and (market is None or order.market is market)
        ]

    def _market(self, symbol: str) -> PerpetualMarket:
        market = self._markets.get(symbol)
        if market is None:
            raise BinanceError(400, -1121, "Invalid symbol.")
        return market

    def _now_ms(self) -> int:
        return int(self._clock.now().timestamp() * 1000)


def _rejected_key() -> BinanceError:
    return BinanceError(401, -2015, "Invalid API-key, IP, or permissions for action, request ip: 127.0.0.1")


def _signed_payload(request: RecordedRequest) -> str:
    """Binance's totalParams: the query string followed by the body, the signature parameter left out."""
    return "".join(
        "&".join(part for part in text.split("&") if not part.startswith("signature="))
        for text in (request.raw_query, request.body)
    )


def _reaches(order: _Order, bid: Decimal, ask: Decimal) -> bool:
    """Return whether a LIMIT order's price reaches the opposite best price, i.e. it can trade now."""
    if ask == 0:
        return False
    return order.price >= ask if order.side == "BUY" else order.price <= bid


def _reducible(position: _Position, order: _Order) -> Decimal:
    """Return how much of the position `order` would close; 0 when it would open or add."""
    return max(-position.amount * order.direction, Decimal(0))


def _within(key: int, time_ms: int, from_key: int | None, start: int | None, end: int | None) -> bool:
    return (
        (from_key is None or key >= from_key)
        and (start is None or time_ms >= start)
        and (end is None or time_ms <= end)
    )


def _bool_param(request: RecordedRequest, name: str) -> bool:
    text = request.params.get(name, "false").lower()
    if text not in ("true", "false"):
        raise BinanceError(400, -1130, f"Data sent for parameter '{name}' is not valid.")
    return text == "true"


def _decimal_param(request: RecordedRequest, name: str) -> Decimal:
    text = required_param(request, name)
    if not _DECIMAL_TEXT.fullmatch(text):
        raise BinanceError(
            400,
            -1100,
            f"Illegal characters found in parameter '{name}'; legal range is '^([0-9]{{1,20}})(\\.[0-9]{{1,20}})?$'.",
        )
    return Decimal(text)


def _quantity(request: RecordedRequest, market: PerpetualMarket) -> Decimal:
    quantity = _decimal_param(request, "quantity")
    if quantity <= 0:
        raise BinanceError(400, -4003, "Quantity less than or equal to zero.")
    if decimal_places(quantity) > market.quantity_precision:
        raise BinanceError(400, -1111, "Precision is over the maximum defined for this asset.")
    if quantity % market.step_size:
        raise BinanceError(400, -4023, "Qty not increased by step size.")
    if quantity < market.min_qty:
        raise BinanceError(400, -4004, "Quantity less than min quantity.")
    if quantity > market.max_qty:
        raise BinanceError(400, -4005, "Quantity greater than max quantity.")
    return quantity


def _price(request: RecordedRequest, market: PerpetualMarket) -> Decimal:
    price = _decimal_param(request, "price")
    if price <= 0:
        raise BinanceError(400, -4001, "Price less than 0.")
    if decimal_places(price) > market.price_precision:
        raise BinanceError(400, -1111, "Precision is over the maximum defined for this asset.")
    if price % market.tick_size:
        raise BinanceError(400, -4014, "Price not increased by tick size.")
    if price < market.min_price:
        raise BinanceError(400, -4013, "Price less than min price.")
    if price > market.max_price:
        raise BinanceError(400, -4002, "Price greater than max price.")
    return price


def _to_tick(value: Decimal, tick: Decimal, rounding: str) -> Decimal:
    return (value / tick).to_integral_value(rounding) * tick


def _max_notional(market: PerpetualMarket) -> Decimal:
    return market.max_qty * market.max_price


def _max_withdraw(margin: _Margin) -> Decimal:
    return max(Decimal(0), min(margin.available, margin.wallet))


def _account_position_json(exposure: _Exposure) -> dict[str, Any]:
    return {
        "symbol": exposure.market.symbol,
        "positionSide": "BOTH",
        "positionAmt": format_decimal(exposure.position.amount),
        "unrealizedProfit": format_decimal(exposure.unrealized),
        "isolatedMargin": "0",
        "notional": format_decimal(exposure.notional),
        "isolatedWallet": "0",
        "initialMargin": format_decimal(exposure.position_initial + exposure.open_order_initial),
        "maintMargin": format_decimal(exposure.maintenance),
        "updateTime": exposure.position.updated_ms,
    }
