"""The simulator's signed USD-M endpoints as real ccxt `binanceusdm` trades through them: orders, fills, positions,
balances, Binance's rejections (asserted as the exact ccxt class) and answers lost after the order was accepted."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import ccxt
import pytest
from support import eventually

from slipstream.core.clock import ManualClock
from slipstream.simulator import ExchangeSimulator, Fault, PerpetualMarket, TradingConfig, ccxt_client

BTC = "BTC/USDT:USDT"
KEY, SECRET = "trader-key", "trader-secret"
MARKETS = (PerpetualMarket("BTC"), PerpetualMarket("ETH", tick_size=Decimal("0.01")))
START = datetime(2024, 1, 1, tzinfo=timezone.utc)
T0 = 1_704_067_200_000  # START in ms


StartSimulator = Callable[..., ExchangeSimulator]
Connect = Callable[..., Any]


@pytest.fixture
def start() -> Iterator[StartSimulator]:
    """Start simulators with KEY's account holding 10000 USDT and BTC marked at 50000; all stop at teardown."""
    running: list[ExchangeSimulator] = []

    def start_simulator(config: TradingConfig | None = None, clock: ManualClock | None = None) -> ExchangeSimulator:
        simulator = ExchangeSimulator(MARKETS, trading=config, clock=clock).start()
        running.append(simulator)
        simulator.add_account(KEY, SECRET, {"USDT": Decimal("10000")})
        simulator.set_price("BTCUSDT", Decimal("50000"))
        return simulator

    yield start_simulator
    for simulator in running:
        simulator.stop()


@pytest.fixture
def connect() -> Iterator[Connect]:
    """Make ccxt clients of a simulator (KEY's by default, without ccxt's throttle); all close at teardown."""
    clients: list[Any] = []

    def client(simulator: ExchangeSimulator, api_key: str = KEY, secret: str = SECRET, **config: Any) -> Any:
        options = {"enableRateLimit": False, "timeout": 2_000, **config, "apiKey": api_key, "secret": secret}
        clients.append(ccxt_client(simulator, **options))
        return clients[-1]

    yield client
    for trader in clients:
        trader.close()


@pytest.fixture
def simulator(start: StartSimulator) -> ExchangeSimulator:
    return start()


@pytest.fixture
def exchange(simulator: ExchangeSimulator, connect: Connect) -> Any:
    return connect(simulator)


def fills(exchange: Any) -> list[tuple[str, float, float, str, float]]:
    """Return (order id, price, amount, taker or maker, fee) of every trade, oldest first."""
    return [
        (trade["order"], trade["price"], trade["amount"], trade["takerOrMaker"], trade["fee"]["cost"])
        for trade in exchange.fetch_my_trades(BTC)
    ]


def order_posts(simulator: ExchangeSimulator) -> int:
    return sum(1 for request in simulator.requests if (request.method, request.path) == ("POST", "/fapi/v1/order"))


def fetch_by_client_order_id(exchange: Any, client_order_id: str) -> dict[str, Any] | None:
    try:
        order: dict[str, Any] = exchange.fetch_order(None, BTC, {"clientOrderId": client_order_id})
    except ccxt.OrderNotFound:
        return None
    return order


def send_signed(
    simulator: ExchangeSimulator,
    method: str,
    path: str,
    query: str,
    body: str = "",
    *,
    api_key: str = KEY,
    signature: str | None = None,
) -> tuple[int, Any]:
    """Sign by hand, without ccxt, as Binance specifies: HMAC-SHA256 of the query string followed by the body."""
    signature = signature or hmac.new(SECRET.encode(), (query + body).encode(), hashlib.sha256).hexdigest()
    if body:
        body += f"&signature={signature}"
    else:
        query += f"&signature={signature}"
    request = urllib.request.Request(
        f"{simulator.base_url}{path}?{query}",
        data=body.encode() if body else None,
        method=method,
        headers={"X-MBX-APIKEY": api_key, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


# fills and fees


def test_market_order_fills_at_once_at_the_mark_as_taker(exchange: Any) -> None:
    order = exchange.create_order(BTC, "market", "buy", 0.01)

    assert (order["status"], order["filled"], order["average"], order["cost"]) == ("closed", 0.01, 50000.0, 500.0)
    assert order["clientOrderId"].startswith("x-cvBPrNm9")  # ccxt names every order with its broker prefix
    assert fills(exchange) == [(order["id"], 50000.0, 0.01, "taker", 0.25)]  # 0.05 % of 500 USDT


def test_taker_prices_pay_the_half_spread_rounded_to_the_tick(start: StartSimulator, connect: Connect) -> None:
    exchange = connect(start(TradingConfig(half_spread_bps=Decimal("1.5"))))

    bought = exchange.create_order(BTC, "market", "buy", 0.01)
    sold = exchange.create_order(BTC, "market", "sell", 0.01)

    assert (bought["average"], sold["average"]) == (50007.5, 49992.5)


def test_resting_limit_order_fills_as_maker_at_its_price_once_the_price_reaches_it(
    simulator: ExchangeSimulator, exchange: Any
) -> None:
    order = exchange.create_order(BTC, "limit", "buy", 0.01, 49900, {"clientOrderId": "bid-1"})

    simulator.set_price("BTCUSDT", Decimal("49900.1"))
    still_open = exchange.fetch_order(order["id"], BTC)
    simulator.set_price("BTCUSDT", Decimal("49850"))
    filled = exchange.fetch_order(None, BTC, {"clientOrderId": "bid-1"})

    assert (order["status"], still_open["status"]) == ("open", "open")
    assert (filled["id"], filled["status"], filled["average"]) == (order["id"], "closed", 49900.0)
    assert fills(exchange) == [(order["id"], 49900.0, 0.01, "maker", pytest.approx(0.0998))]  # 0.02 % of 499


def test_crossing_limit_order_fills_at_once_as_taker_at_the_better_price(exchange: Any) -> None:
    order = exchange.create_order(BTC, "limit", "sell", 0.01, 49000)

    assert (order["status"], order["average"]) == ("closed", 50000.0)
    assert fills(exchange) == [(order["id"], 50000.0, 0.01, "taker", 0.25)]


def test_capped_liquidity_fills_a_resting_order_in_parts_one_per_price_update(
    start: StartSimulator, connect: Connect
) -> None:
    simulator = start(TradingConfig(max_fill_quantity=Decimal("0.004")))
    exchange = connect(simulator)
    order = exchange.create_order(BTC, "limit", "sell", 0.01, 50100)

    progress = []
    for price in ("50100", "50150", "50200"):
        simulator.set_price("BTCUSDT", Decimal(price))
        seen = exchange.fetch_order(order["id"], BTC)
        progress.append((seen["status"], seen["filled"], seen["remaining"]))

    assert progress == [("open", 0.004, 0.006), ("open", 0.008, pytest.approx(0.002)), ("closed", 0.01, 0.0)]
    assert [(price, amount, role) for _, price, amount, role, _ in fills(exchange)] == [
        (50100.0, 0.004, "maker"),
        (50100.0, 0.004, "maker"),
        (50100.0, 0.002, "maker"),
    ]


@pytest.mark.parametrize(
    ("order_type", "price", "params"),
    [("market", None, {}), ("limit", 50000, {"timeInForce": "IOC"})],
)
def test_capped_liquidity_expires_the_rest_of_market_and_ioc_orders(
    start: StartSimulator, connect: Connect, order_type: str, price: int | None, params: dict[str, str]
) -> None:
    exchange = connect(start(TradingConfig(max_fill_quantity=Decimal("0.004"))))

    order = exchange.create_order(BTC, order_type, "buy", 0.01, price, params)

    assert (order["status"], order["filled"], order["remaining"]) == ("expired", 0.004, 0.006)


def test_ack_answers_before_matching_and_the_order_fills_anyway(exchange: Any) -> None:
    ack = exchange.fapiPrivatePostOrder(
        {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.01", "newOrderRespType": "ACK"}
    )

    assert (ack["status"], ack["executedQty"]) == ("NEW", "0")
    assert exchange.fetch_order(str(ack["orderId"]), BTC)["status"] == "closed"


# positions and balances


def test_positions_entry_price_realised_pnl_fees_and_balance_stay_consistent(
    simulator: ExchangeSimulator, exchange: Any
) -> None:
    exchange.create_order(BTC, "market", "buy", 0.02)  # long 0.02 at 50000, fee 0.5
    simulator.set_price("BTCUSDT", Decimal("51000"))
    (long,) = exchange.fetch_positions()
    balance_long = exchange.fetch_balance()["USDT"]

    exchange.create_order(BTC, "market", "sell", 0.03)  # close 0.02 (+20 realised), short 0.01 at 51000; fee 0.765
    (short,) = exchange.fetch_positions([BTC])
    balance_short = exchange.fetch_balance()["USDT"]
    trades = exchange.fetch_my_trades(BTC)

    assert (long["side"], long["contracts"], long["entryPrice"], long["markPrice"]) == ("long", 0.02, 50000.0, 51000.0)
    assert (long["unrealizedPnl"], long["notional"], long["initialMargin"]) == (20.0, 1020.0, 51.0)  # 20x
    assert (long["marginMode"], long["hedged"], long["maintenanceMarginPercentage"]) == ("cross", False, 0.004)
    # total = wallet 9999.5 + unrealised 20; used = initial margin; free = the rest
    assert balance_long == {"free": 9968.5, "used": 51.0, "total": 10019.5}
    assert (short["side"], short["contracts"], short["entryPrice"], short["unrealizedPnl"]) == (
        "short",
        0.01,
        51000.0,
        0,
    )
    assert [trade["info"]["realizedPnl"] for trade in trades] == ["0", "20"]
    assert balance_short == {"free": pytest.approx(10018.735 - 25.5), "used": 25.5, "total": 10018.735}


def test_v2_account_and_position_endpoints_agree_with_v3(simulator: ExchangeSimulator, exchange: Any) -> None:
    exchange.create_order(BTC, "market", "sell", 0.01)
    simulator.set_price("BTCUSDT", Decimal("49000"))

    (v3,) = exchange.fetch_positions()
    (v2,) = exchange.fetch_positions(params={"useV2": True})
    balances = [exchange.fetch_balance(params)["USDT"] for params in ({}, {"useV2": True})]
    (wallet,) = exchange.fapiPrivateV2GetBalance()

    # v3 has no leverage field, so ccxt leaves it None there
    assert (v2["leverage"], v3["leverage"]) == (20.0, None)
    for field in ("contracts", "entryPrice", "unrealizedPnl", "initialMargin", "liquidationPrice", "collateral"):
        assert v2[field] == v3[field], field
    assert v3["liquidationPrice"] == pytest.approx((10000 - 0.25 + 500) / (0.01 * 1.004))
    assert balances[0] == balances[1]
    assert (wallet["balance"], wallet["crossUnPnl"]) == ("9999.75", "10")


def test_an_account_trades_alone_and_a_new_account_has_no_balance_for_ccxt(
    simulator: ExchangeSimulator, exchange: Any, connect: Connect
) -> None:
    simulator.add_account("other-key", "other-secret")
    other = connect(simulator, "other-key", "other-secret")
    exchange.create_order(BTC, "limit", "buy", 0.01, 49000)

    orders, balance = other.fetch_open_orders(BTC), other.fetch_balance()

    assert orders == []
    # Binance's updateTime 0 marks an untouched asset; ccxt skips such rows, so USDT is absent, not zero.
    assert "USDT" not in balance["total"]


def test_position_mode_and_leverage_brackets_are_served_for_ccxts_implicit_calls(
    simulator: ExchangeSimulator, exchange: Any
) -> None:
    exchange.load_markets()  # unlike most ccxt calls, fetch_position_mode does not load the markets itself

    mode = exchange.fetch_position_mode(BTC)
    exchange.fetch_positions()

    assert mode["hedged"] is False
    assert exchange.options["leverageBrackets"][BTC] == [["0", "0.004"]]
    assert [request.path for request in simulator.requests if request.path.startswith("/fapi/v1/lev")] == [
        "/fapi/v1/leverageBracket"
    ]


# reduce-only


def test_reduce_only_closes_at_most_the_position_and_expires_the_rest(
    simulator: ExchangeSimulator, exchange: Any
) -> None:
    exchange.create_order(BTC, "market", "buy", 0.01)
    resting = exchange.create_order(BTC, "limit", "sell", 0.01, 52000, {"reduceOnly": True})

    closing = exchange.create_order(BTC, "market", "sell", 0.03, None, {"reduceOnly": True})

    assert (closing["status"], closing["filled"], closing["reduceOnly"]) == ("expired", 0.01, True)
    assert exchange.fetch_positions() == []
    # with nothing left to reduce, Binance expires resting reduce-only orders too
    assert exchange.fetch_order(resting["id"], BTC)["status"] == "expired"


# order management


def test_cancel_by_order_id_and_by_client_order_id_then_cancel_all(exchange: Any) -> None:
    first = exchange.create_order(BTC, "limit", "buy", 0.01, 49000)
    second = exchange.create_order(BTC, "limit", "buy", 0.01, 48000, {"clientOrderId": "bid-2"})
    third = exchange.create_order(BTC, "limit", "sell", 0.01, 52000)
    fourth = exchange.create_order(BTC, "limit", "sell", 0.01, 53000)

    by_id = exchange.cancel_order(first["id"], BTC)
    by_client_id = exchange.cancel_order(None, BTC, {"clientOrderId": "bid-2"})
    open_before = exchange.fetch_open_orders(BTC)
    exchange.cancel_all_orders(BTC)

    assert (by_id["id"], by_id["status"]) == (first["id"], "canceled")
    assert (by_client_id["id"], by_client_id["status"]) == (second["id"], "canceled")
    assert [order["id"] for order in open_before] == [third["id"], fourth["id"]]
    assert exchange.fetch_open_orders(BTC) == []
    assert [(order["id"], order["status"]) for order in exchange.fetch_orders(BTC)] == [
        (order["id"], "canceled") for order in (first, second, third, fourth)
    ]


def test_cancelling_a_filled_order_raises_order_not_found(exchange: Any) -> None:
    order = exchange.create_order(BTC, "market", "buy", 0.01)

    with pytest.raises(ccxt.BaseError) as raised:
        exchange.cancel_order(order["id"], BTC)

    assert type(raised.value) is ccxt.OrderNotFound
    assert '"code":-2011' in str(raised.value)


def test_fetching_an_unknown_order_raises_order_not_found(exchange: Any) -> None:
    with pytest.raises(ccxt.BaseError) as raised:
        exchange.fetch_order(None, BTC, {"clientOrderId": "never-sent"})

    assert type(raised.value) is ccxt.OrderNotFound
    assert '"code":-2013' in str(raised.value)


def test_trades_of_one_order_via_the_order_id_parameter(exchange: Any) -> None:
    # ccxt's fetch_order_trades is spot-only for Binance; userTrades' orderId parameter is the USD-M way.
    first = exchange.create_order(BTC, "market", "buy", 0.01)
    exchange.create_order(BTC, "market", "buy", 0.01)

    trades = exchange.fetch_my_trades(BTC, params={"orderId": first["id"]})

    assert [trade["order"] for trade in trades] == [first["id"]]


# rejections


@pytest.mark.parametrize(
    ("order_type", "side", "amount", "price", "params", "error", "code"),
    [
        ("market", "sell", 0.01, None, {"reduceOnly": True}, ccxt.InvalidOrder, -2022),
        ("limit", "buy", 0.01, 50000, {"postOnly": True}, ccxt.OrderNotFillable, -5022),
        ("limit", "buy", 0.01, 49000, {"timeInForce": "FOK"}, ccxt.OrderNotFillable, -5021),
        ("market", "buy", 0.001, None, {}, ccxt.InvalidOrder, -4164),
        ("market", "buy", 5, None, {}, ccxt.InsufficientFunds, -2019),
        ("limit", "buy", 0.01, 49000, {"clientOrderId": "has space"}, ccxt.BadRequest, -4015),
    ],
    ids=["reduce-only", "post-only", "fok", "min-notional", "margin", "client-order-id"],
)
def test_rejected_orders_raise_the_ccxt_class_and_leave_no_trace(
    exchange: Any,
    order_type: str,
    side: str,
    amount: float,
    price: int | None,
    params: dict[str, Any],
    error: type[Exception],
    code: int,
) -> None:
    with pytest.raises(ccxt.BaseError) as raised:
        exchange.create_order(BTC, order_type, side, amount, price, params)

    assert type(raised.value) is error
    assert f'"code":{code}' in str(raised.value)
    assert exchange.fetch_orders(BTC) == []


@pytest.mark.parametrize(
    ("changes", "error", "code"),
    [
        ({"quantity": "0.0101"}, ccxt.BadRequest, -1111),
        ({"price": "49000.05"}, ccxt.BadRequest, -1111),
        ({"quantity": "0"}, ccxt.BadRequest, -4003),
        ({"quantity": "1001"}, ccxt.BadRequest, -4005),
        ({"price": "0"}, ccxt.BadRequest, -4001),
        ({"price": "2000000"}, ccxt.BadRequest, -4002),
        ({"price": "4.9e4"}, ccxt.BadRequest, -1100),
        ({"timeInForce": "GTD"}, ccxt.BadRequest, -1115),
        ({"positionSide": "LONG"}, ccxt.OperationRejected, -4061),
        # ccxt would route a stopPrice to the algo-order endpoint; sent raw, the simulator refuses what it cannot model
        ({"stopPrice": "48000"}, ccxt.BadRequest, -1106),
    ],
)
def test_raw_orders_meet_the_filters_ccxts_own_rounding_keeps_it_from(
    exchange: Any, changes: dict[str, str], error: type[Exception], code: int
) -> None:
    order = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.01"}

    with pytest.raises(ccxt.BaseError) as raised:
        exchange.fapiPrivatePostOrder({**order, "price": "49000", **changes})

    assert type(raised.value) is error
    assert f'"code":{code}' in str(raised.value)


def test_a_price_between_ticks_of_a_coarse_tick_is_refused(connect: Connect) -> None:
    with ExchangeSimulator((PerpetualMarket("ETH", tick_size=Decimal("0.05")),)) as simulator:
        simulator.add_account(KEY, SECRET, {"USDT": Decimal("10000")})
        order = {"symbol": "ETHUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.1"}

        with pytest.raises(ccxt.BaseError) as raised:
            connect(simulator).fapiPrivatePostOrder({**order, "price": "3000.01"})

    assert type(raised.value) is ccxt.BadRequest
    assert '"code":-4014' in str(raised.value)


def test_a_client_order_id_is_unique_among_open_orders_only(exchange: Any) -> None:
    exchange.create_order(BTC, "limit", "buy", 0.01, 49000, {"clientOrderId": "intent-7"})

    with pytest.raises(ccxt.BaseError) as duplicate:
        exchange.create_order(BTC, "limit", "buy", 0.01, 49000, {"clientOrderId": "intent-7"})
    exchange.cancel_order(None, BTC, {"clientOrderId": "intent-7"})
    reused = exchange.create_order(BTC, "market", "buy", 0.01, None, {"clientOrderId": "intent-7"})
    again = exchange.create_order(BTC, "market", "buy", 0.01, None, {"clientOrderId": "intent-7"})

    assert type(duplicate.value) is ccxt.InvalidOrder
    assert '"code":-4116' in str(duplicate.value)
    # As Binance documents it: once the order is closed its id is free again, so a blind retry of a filled
    # market order is a second order. The duplicate check is no idempotency key; reconcile by querying.
    assert (reused["status"], again["status"]) == ("closed", "closed")
    assert exchange.fetch_positions()[0]["contracts"] == 0.02
    assert exchange.fetch_order(None, BTC, {"clientOrderId": "intent-7"})["id"] == again["id"]


# authentication


def test_unknown_key_bad_signature_and_stale_or_early_timestamps_are_rejected(
    simulator: ExchangeSimulator, connect: Connect
) -> None:
    stranger = connect(simulator, "unknown-key", SECRET)
    forger = connect(simulator, KEY, "wrong-secret")
    # ccxt signs milliseconds() - timeDifference and sends recvWindow=10000; both clocks here are the system's
    late = connect(simulator, options={"timeDifference": 20_000})
    early = connect(simulator, options={"timeDifference": -5_000})

    outcomes = []
    for trader in (stranger, forger, late, early):
        with pytest.raises(ccxt.BaseError) as raised:
            trader.fetch_balance()
        outcomes.append((type(raised.value), json.loads(str(raised.value).partition(" ")[2])["msg"]))

    assert outcomes == [
        (ccxt.AuthenticationError, "Invalid API-key, IP, or permissions for action, request ip: 127.0.0.1"),
        (ccxt.AuthenticationError, "Signature for this request is not valid."),
        (ccxt.InvalidNonce, "Timestamp for this request is outside of the recvWindow."),
        (ccxt.InvalidNonce, "Timestamp for this request was 1000ms ahead of the server's time."),
    ]


def test_a_read_only_key_may_query_but_not_trade_or_cancel(simulator: ExchangeSimulator, connect: Connect) -> None:
    simulator.add_account("viewer-key", "viewer-secret", {"USDT": Decimal("100")}, read_only=True)
    viewer = connect(simulator, "viewer-key", "viewer-secret")

    balance = viewer.fetch_balance()["USDT"]
    errors = []
    for call in (
        lambda: viewer.create_order(BTC, "market", "buy", 0.01),
        lambda: viewer.cancel_order("1", BTC),
        lambda: viewer.cancel_all_orders(BTC),
    ):
        with pytest.raises(ccxt.BaseError) as raised:
            call()
        errors.append((type(raised.value), '"code":-2015' in str(raised.value)))

    assert balance["total"] == 100.0
    assert errors == [(ccxt.AuthenticationError, True)] * 3


def test_timestamps_form_a_window_per_key_not_a_nonce(start: StartSimulator) -> None:
    clock = ManualClock(START)
    simulator = start(clock=clock)

    def balance_signed_at(offset_ms: int) -> int:
        status, body = send_signed(simulator, "GET", "/fapi/v3/account", f"timestamp={T0 + offset_ms}&recvWindow=10000")
        return status if status == 200 else body["code"]

    # Binance's window: less than 1000 ms ahead of the server clock, at most recvWindow behind it. The simulator's
    # own rule: at most recvWindow behind the newest timestamp it accepted from the key (here T0 + 999).
    outcomes = [balance_signed_at(offset) for offset in (999, 1_000, -9_001, -9_002, -10_001)]
    clock.advance(timedelta(seconds=5))
    outcomes.append(balance_signed_at(0))  # older than the newest, 5 s behind the clock: fine

    assert outcomes == [200, -1021, 200, -1021, -1021, 200]
    assert [request.timestamp_ms for request in simulator.requests] == [
        T0 + offset for offset in (999, 1_000, -9_001, -9_002, -10_001, 0)
    ]


def test_request_log_shows_each_signed_requests_key_timestamp_and_params(
    simulator: ExchangeSimulator, exchange: Any
) -> None:
    exchange.create_order(BTC, "limit", "buy", 0.01, 49000, {"clientOrderId": "logged"})
    exchange.fetch_open_orders(BTC)
    exchange.fetch_balance()

    signed = [request for request in simulator.requests if request.signed]
    timestamps = [request.timestamp_ms or 0 for request in signed]
    assert [request.path for request in simulator.requests if not request.signed] == ["/fapi/v1/exchangeInfo"]
    assert [request.api_key for request in signed] == [KEY] * 3
    assert timestamps == sorted(timestamps)  # ccxt's millisecond nonce never goes back, but may repeat
    posted = signed[0].params
    assert (posted["newClientOrderId"], posted["price"], posted["recvWindow"]) == ("logged", "49000", "10000")
    assert signed[0].query == {}  # ccxt signs a POST's parameters in the form body


def test_signature_covers_the_query_string_followed_by_the_body(start: StartSimulator) -> None:
    simulator = start(clock=ManualClock(START))
    query = f"symbol=BTCUSDT&side=BUY&type=LIMIT&timestamp={T0}"
    body = "quantity=0.01&price=49000&timeInForce=GTC&newClientOrderId=by-hand"

    answers = [
        send_signed(simulator, "POST", "/fapi/v1/order", query, body),
        send_signed(simulator, "POST", "/fapi/v1/order", query, body, signature="0" * 64),
        send_signed(simulator, "POST", "/fapi/v1/order", query, body, api_key=""),
    ]

    assert [(status, answer.get("clientOrderId", answer.get("code"))) for status, answer in answers] == [
        (200, "by-hand"),
        (400, -1022),
        (401, -2014),
    ]


# faults on signed endpoints


@pytest.mark.parametrize(
    ("fault", "error", "orders_placed"),
    [
        (Fault.rate_limited(), ccxt.DDoSProtection, 0),
        (Fault.server_error(503), ccxt.OperationFailed, 0),
        (Fault.unknown_outcome(), ccxt.RequestTimeout, 1),
    ],
)
def test_order_faults_raise_the_ccxt_class_and_place_the_order_only_when_accepted(
    simulator: ExchangeSimulator, exchange: Any, fault: Fault, error: type[Exception], orders_placed: int
) -> None:
    simulator.inject("/fapi/v1/order", fault)

    with pytest.raises(ccxt.BaseError) as raised:
        exchange.create_order(BTC, "limit", "buy", 0.01, 49000, {"clientOrderId": "intent-1"})

    assert type(raised.value) is error
    assert len(exchange.fetch_orders(BTC)) == orders_placed


def test_timeout_after_acceptance_is_reconciled_by_client_order_id(
    simulator: ExchangeSimulator, connect: Connect
) -> None:
    impatient = connect(simulator, timeout=300)
    simulator.inject("/fapi/v1/order", Fault.timeout(delay_s=30))

    with pytest.raises(ccxt.BaseError) as raised:
        impatient.create_order(BTC, "market", "buy", 0.01, None, {"clientOrderId": "intent-42"})
    # The order is placed before its answer is held, but nothing orders that before the client's timeout.
    found = eventually(lambda: fetch_by_client_order_id(impatient, "intent-42"))

    orders = impatient.fetch_orders(BTC)
    assert type(raised.value) is ccxt.RequestTimeout
    assert (found["status"], found["filled"], found["clientOrderId"]) == ("closed", 0.01, "intent-42")
    assert [order["id"] for order in orders] == [found["id"]]
    assert order_posts(simulator) == 1


def test_a_blind_retry_of_a_timed_out_resting_order_is_refused_as_a_duplicate(
    simulator: ExchangeSimulator, connect: Connect
) -> None:
    impatient = connect(simulator, timeout=300)
    simulator.inject("/fapi/v1/order", Fault.timeout(delay_s=30))
    with pytest.raises(ccxt.RequestTimeout):
        impatient.create_order(BTC, "limit", "buy", 0.01, 49000, {"clientOrderId": "intent-43"})
    eventually(lambda: fetch_by_client_order_id(impatient, "intent-43"))

    with pytest.raises(ccxt.BaseError) as retried:
        impatient.create_order(BTC, "limit", "buy", 0.01, 49000, {"clientOrderId": "intent-43"})

    orders = impatient.fetch_open_orders(BTC)
    assert type(retried.value) is ccxt.InvalidOrder
    assert '"code":-4116' in str(retried.value)
    assert [order["clientOrderId"] for order in orders] == ["intent-43"]


# configuration


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        (lambda: TradingConfig(max_fill_quantity=Decimal("0.0015")), "multiple of BTCUSDT's step size"),
        (lambda: TradingConfig(leverage=200), "leverage"),
        (lambda: TradingConfig(taker_fee_rate=Decimal("NaN")), "taker_fee_rate"),
    ],
)
def test_bad_trading_configs_are_refused(config: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        ExchangeSimulator(MARKETS, trading=config())


def test_accounts_refuse_a_taken_key_and_non_margin_assets(simulator: ExchangeSimulator) -> None:
    with pytest.raises(ValueError, match="already taken"):
        simulator.add_account(KEY, "another-secret")
    with pytest.raises(ValueError, match="not a margin asset"):
        simulator.add_account("btc-holder", SECRET, {"BTC": Decimal("1")})


def test_a_market_order_before_any_price_names_the_missing_call(exchange: Any) -> None:
    with pytest.raises(ccxt.OperationFailed, match="call set_price first"):
        exchange.create_order("ETH/USDT:USDT", "market", "buy", 0.1)
