"""The exchange simulator as real ccxt `binanceusdm` sees it: markets, klines, trades, faults, request log."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import ccxt
import pytest
from support import eventually

from slipstream.core.clock import ManualClock
from slipstream.simulator import ExchangeSimulator, Fault, PerpetualMarket, ccxt_client

BTC = "BTC/USDT:USDT"
MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
# Ten one-minute bars from 2024-01-01T00:00Z with distinct, exactly representable prices.
T0 = 1_704_067_200_000
BARS = [
    (T0 + i * MINUTE_MS, f"{100 + i}.5", f"{101 + i}", f"{99 + i}.25", f"{100 + i}", f"{i + 1}.125") for i in range(10)
]
# Seven aggregate trades, 10 s apart, alternating aggressor side.
TRADES = [(1000 + i, T0 + i * 10_000, f"{200 + i}.5", "0.25", i % 2 == 0) for i in range(7)]


def as_ccxt_row(row: tuple[int, str, str, str, str, str]) -> list[float]:
    open_time, *values = row
    return [open_time, *(float(value) for value in values)]


@pytest.fixture
def simulator() -> Iterator[ExchangeSimulator]:
    with ExchangeSimulator((PerpetualMarket("BTC"), PerpetualMarket("ETH", tick_size=Decimal("0.01")))) as running:
        running.add_bars("BTCUSDT", "1m", BARS)
        running.add_trades("BTCUSDT", TRADES)
        yield running


@pytest.fixture
def exchange(simulator: ExchangeSimulator) -> Iterator[Any]:
    # ccxt's own throttle spaces calls by endpoint weight (a second per aggTrades call); these tests are about the
    # wire, not about that throttle.
    client = ccxt_client(simulator, enableRateLimit=False, timeout=2_000)
    yield client
    client.close()


def calls_to(simulator: ExchangeSimulator, path: str) -> list[dict[str, str]]:
    return [dict(request.query) for request in simulator.requests if request.path == path]


def outcome(call: Callable[[], object]) -> str:
    try:
        call()
    except ccxt.BaseError as error:
        return type(error).__name__
    return "ok"


def test_load_markets_lists_the_configured_perpetuals_and_calls_nothing_else(
    simulator: ExchangeSimulator, exchange: Any
) -> None:
    markets = exchange.load_markets()

    assert sorted(markets) == ["BTC/USDT:USDT", "ETH/USDT:USDT"]
    btc = markets[BTC]
    assert (btc["id"], btc["type"], btc["linear"], btc["settle"]) == ("BTCUSDT", "swap", True, "USDT")
    assert markets["ETH/USDT:USDT"]["precision"]["price"] == 0.01
    assert [(request.method, request.path) for request in simulator.requests] == [("GET", "/fapi/v1/exchangeInfo")]


def test_every_api_url_of_the_client_points_at_the_simulator(simulator: ExchangeSimulator, exchange: Any) -> None:
    urls = [url for name in ("api", "test", "demo") for url in exchange.urls[name].values()]

    assert urls
    assert all(url.startswith(simulator.base_url + "/") for url in urls)


def test_fetch_ohlcv_returns_exactly_the_bars_in_range(simulator: ExchangeSimulator, exchange: Any) -> None:
    since, until = BARS[2][0], BARS[5][0]

    rows = exchange.fetch_ohlcv(BTC, "1m", since=since, params={"until": until})

    assert rows == [as_ccxt_row(row) for row in BARS[2:6]]
    assert calls_to(simulator, "/fapi/v1/klines")[-1] == {
        "symbol": "BTCUSDT",
        "interval": "1m",
        "limit": "1000",
        "startTime": str(since),
        "endTime": str(until),
    }


def test_fetch_ohlcv_pages_forward_with_since_and_limit(simulator: ExchangeSimulator, exchange: Any) -> None:
    since, pages = T0, []

    while True:
        page = exchange.fetch_ohlcv(BTC, "1m", since=since, limit=4)
        pages.append(page)
        if not page:
            break
        since = page[-1][0] + MINUTE_MS

    assert [len(page) for page in pages] == [4, 4, 2, 0]
    assert [row for page in pages for row in page] == [as_ccxt_row(row) for row in BARS]
    assert [query["startTime"] for query in calls_to(simulator, "/fapi/v1/klines")] == [
        str(T0 + offset * MINUTE_MS) for offset in (0, 4, 8, 10)
    ]


def test_fetch_ohlcv_without_since_returns_the_newest_bars(exchange: Any) -> None:
    rows = exchange.fetch_ohlcv(BTC, "1m", limit=3)

    assert rows == [as_ccxt_row(row) for row in BARS[-3:]]


def test_fetch_trades_pages_forward_with_since(simulator: ExchangeSimulator, exchange: Any) -> None:
    since, pages = T0, []

    while True:
        page = exchange.fetch_trades(BTC, since=since, limit=3)
        pages.append(page)
        if not page:
            break
        since = page[-1]["timestamp"] + 1

    assert [len(page) for page in pages] == [3, 3, 1, 0]
    trades = [trade for page in pages for trade in page]
    assert [(trade["id"], trade["timestamp"], trade["price"], trade["amount"]) for trade in trades] == [
        (str(trade_id), time_ms, float(price), float(quantity)) for trade_id, time_ms, price, quantity, _ in TRADES
    ]
    assert [trade["side"] for trade in trades[:2]] == ["sell", "buy"]  # buyer was maker: the taker sold
    assert calls_to(simulator, "/fapi/v1/aggTrades")[0] == {
        "symbol": "BTCUSDT",
        "startTime": str(T0),
        "endTime": str(T0 + HOUR_MS),
        "limit": "3",
    }


def test_fetch_trades_with_since_sees_only_the_hour_after_it(simulator: ExchangeSimulator, exchange: Any) -> None:
    # ccxt asks for [since, since + 1 h], so a quiet hour reads as an empty page although later trades exist.
    simulator.add_trades("BTCUSDT", [(2000, T0 + 2 * HOUR_MS, "300", "1", False)])

    trades = exchange.fetch_trades(BTC, since=T0 + 59 * MINUTE_MS)

    assert trades == []


def test_fetch_trades_without_since_returns_the_newest_trades(exchange: Any) -> None:
    trades = exchange.fetch_trades(BTC, limit=2)

    assert [trade["id"] for trade in trades] == ["1005", "1006"]


def test_fetch_time_reads_the_simulator_clock() -> None:
    clock = ManualClock(datetime(2024, 1, 1, tzinfo=timezone.utc))
    with ExchangeSimulator(clock=clock) as simulator:
        client = ccxt_client(simulator, enableRateLimit=False)

        server_time = client.fetch_time()

        client.close()
    assert server_time == T0


@pytest.mark.parametrize(
    ("params", "error", "code"),
    [
        ({"symbol": "DOGEUSDT", "interval": "1m"}, ccxt.BadSymbol, -1121),
        ({"symbol": "BTCUSDT", "interval": "7m"}, ccxt.BadRequest, -1120),
        ({"symbol": "BTCUSDT", "interval": "1m", "limit": 1501}, ccxt.BadRequest, -1130),
        ({"symbol": "BTCUSDT", "interval": "1m", "startTime": "-5"}, ccxt.BadRequest, -1100),
        ({"interval": "1m"}, ccxt.BadRequest, -1102),
    ],
)
def test_invalid_kline_requests_get_binance_errors(
    exchange: Any, params: dict[str, object], error: type[Exception], code: int
) -> None:
    with pytest.raises(error) as raised:
        exchange.fapiPublicGetKlines(params)

    assert type(raised.value) is error
    assert f'"code":{code}' in str(raised.value)


def test_agg_trades_window_over_an_hour_is_rejected(exchange: Any) -> None:
    with pytest.raises(ccxt.BadRequest, match='"code":-1127'):
        exchange.fapiPublicGetAggTrades({"symbol": "BTCUSDT", "startTime": T0, "endTime": T0 + HOUR_MS + 1})


def test_errors_map_through_ccxts_usdm_table(exchange: Any) -> None:
    # -1023 is only in ccxt's table for fapi hosts: without the client's URL translation it would be ExchangeError.
    with pytest.raises(ccxt.BaseError) as raised:
        exchange.fetch_ohlcv(BTC, "1m", since=T0 + HOUR_MS, params={"until": T0})

    assert type(raised.value) is ccxt.BadRequest


def test_rate_limit_fault_raises_ddos_protection_with_retry_after(simulator: ExchangeSimulator, exchange: Any) -> None:
    simulator.inject("/fapi/v1/klines", Fault.rate_limited(retry_after_s=7))

    with pytest.raises(ccxt.BaseError) as raised:
        exchange.fetch_ohlcv(BTC, "1m", limit=1)

    # binance's handle_errors raises DDoSProtection for 429 itself, before ccxt's generic RateLimitExceeded mapping.
    assert type(raised.value) is ccxt.DDoSProtection
    assert '"code":-1003' in str(raised.value)
    assert exchange.last_response_headers["Retry-After"] == "7"
    assert exchange.fetch_ohlcv(BTC, "1m", limit=1) == [as_ccxt_row(BARS[-1])]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.ip_banned(), ccxt.DDoSProtection),
        (Fault.server_error(500), ccxt.OperationFailed),
        (Fault.server_error(503), ccxt.OperationFailed),
        (Fault(status=502, body="<html>502 Bad Gateway</html>"), ccxt.ExchangeNotAvailable),
        (Fault(status=504), ccxt.RequestTimeout),
    ],
)
def test_error_faults_raise_the_ccxt_class_for_them(
    simulator: ExchangeSimulator, exchange: Any, fault: Fault, error: type[Exception]
) -> None:
    simulator.inject("/fapi/v1/time", fault)

    with pytest.raises(ccxt.BaseError) as raised:
        exchange.fetch_time()

    assert type(raised.value) is error


def test_fault_applies_from_the_nth_request_for_count_requests(simulator: ExchangeSimulator, exchange: Any) -> None:
    simulator.inject("/fapi/v1/time", Fault.server_error(nth=2, count=2))

    outcomes = [outcome(exchange.fetch_time) for _ in range(4)]

    assert outcomes == ["ok", "OperationFailed", "OperationFailed", "ok"]


def test_faults_on_one_path_apply_in_injection_order(simulator: ExchangeSimulator, exchange: Any) -> None:
    simulator.inject("/fapi/v1/time", Fault.rate_limited())
    simulator.inject("/fapi/v1/time", Fault.server_error(nth=1))

    outcomes = [outcome(exchange.fetch_time) for _ in range(3)]

    assert outcomes == ["DDoSProtection", "OperationFailed", "ok"]


def test_fault_only_hits_its_path(simulator: ExchangeSimulator, exchange: Any) -> None:
    simulator.inject("/fapi/v1/klines", Fault.server_error())

    assert outcome(exchange.fetch_time) == "ok"
    assert outcome(lambda: exchange.fetch_ohlcv(BTC, "1m")) == "OperationFailed"


def test_timeout_fault_raises_request_timeout_and_other_requests_are_still_served(
    simulator: ExchangeSimulator,
) -> None:
    impatient = ccxt_client(simulator, enableRateLimit=False, timeout=300)
    simulator.inject("/fapi/v1/time", Fault.timeout(delay_s=30))

    with pytest.raises(ccxt.BaseError) as raised:
        impatient.fetch_time()
    served_while_held = impatient.fetch_time()

    impatient.close()
    assert type(raised.value) is ccxt.RequestTimeout
    assert served_while_held > 0
    # the held request is logged on arrival, but nothing orders that before the client's timeout
    assert eventually(lambda: len(calls_to(simulator, "/fapi/v1/time")) == 2)


def test_stop_does_not_wait_for_a_held_answer() -> None:
    simulator = ExchangeSimulator().start()
    impatient = ccxt_client(simulator, enableRateLimit=False, timeout=300)
    simulator.inject("/fapi/v1/ping", Fault.timeout(delay_s=60))
    with pytest.raises(ccxt.RequestTimeout):
        impatient.fapiPublicGetPing()
    impatient.close()

    started = time.monotonic()
    simulator.stop()

    assert time.monotonic() - started < 5


def test_an_outage_hits_every_path_until_cleared_and_per_path_faults_wait(
    simulator: ExchangeSimulator, exchange: Any
) -> None:
    simulator.inject("/fapi/v1/time", Fault.rate_limited())
    simulator.set_outage(Fault.server_error(502))

    during = [outcome(exchange.fetch_time), outcome(lambda: exchange.fetch_ohlcv(BTC, "1m"))]
    simulator.set_outage(None)
    after = [outcome(exchange.fetch_time), outcome(exchange.fetch_time)]

    assert during == ["OperationFailed", "OperationFailed"]
    assert after == ["DDoSProtection", "ok"]


def test_a_stopped_simulator_refuses_connections_and_restarts_on_its_port_with_its_data(
    simulator: ExchangeSimulator, exchange: Any
) -> None:
    url = simulator.base_url
    simulator.stop()
    with pytest.raises(ccxt.NetworkError):
        exchange.fetch_time()

    simulator.start()

    assert simulator.base_url == url
    assert len(exchange.fetch_ohlcv(BTC, "1m", since=T0)) == len(BARS)


def test_request_log_records_method_path_query_headers_and_arrival(simulator: ExchangeSimulator, exchange: Any) -> None:
    before = time.monotonic()

    exchange.fetch_ohlcv(BTC, "1m", since=T0, limit=2)
    exchange.fetch_trades(BTC, since=T0, limit=2)

    after = time.monotonic()
    exchange_info, klines, agg_trades = simulator.requests
    assert [(request.method, request.path) for request in simulator.requests] == [
        ("GET", "/fapi/v1/exchangeInfo"),
        ("GET", "/fapi/v1/klines"),
        ("GET", "/fapi/v1/aggTrades"),
    ]
    assert klines.query == {"symbol": "BTCUSDT", "interval": "1m", "limit": "2", "startTime": str(T0)}
    assert klines.raw_query == f"interval=1m&limit=2&symbol=BTCUSDT&startTime={T0}"
    assert klines.headers["host"] == simulator.base_url.removeprefix("http://")
    assert before <= exchange_info.arrival_s <= klines.arrival_s <= agg_trades.arrival_s <= after


def test_request_log_includes_faulted_requests(simulator: ExchangeSimulator, exchange: Any) -> None:
    simulator.inject("/fapi/v1/time", Fault.rate_limited())

    outcome(exchange.fetch_time)

    assert calls_to(simulator, "/fapi/v1/time") == [{}]


def test_unknown_route_answers_404(simulator: ExchangeSimulator, exchange: Any) -> None:
    with pytest.raises(ccxt.ExchangeNotAvailable, match="no route for GET /fapi/v1/ticker/price"):
        exchange.fapiPublicGetTickerPrice({"symbol": "BTCUSDT"})


@pytest.mark.parametrize(
    ("interval", "rows", "problem"),
    [
        ("1m", [(T0 + 1, "1", "1", "1", "1", "1")], "not a multiple"),
        ("1m", [BARS[0]], "two bars open"),
        ("1m", [(T0 - MINUTE_MS, "1", "2", "1", "3", "1")], "within"),
        ("1m", [(T0 - MINUTE_MS, "NaN", "1", "1", "1", "1")], "finite"),
        ("2m", [], "unknown interval"),
    ],
)
def test_add_bars_rejects_bad_data(
    simulator: ExchangeSimulator, interval: str, rows: list[tuple[int, str, str, str, str, str]], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        simulator.add_bars("BTCUSDT", interval, rows)


def test_data_for_an_unconfigured_market_is_rejected(simulator: ExchangeSimulator) -> None:
    with pytest.raises(ValueError, match="not a configured market"):
        simulator.add_trades("SOLUSDT", [TRADES[0]])


def test_add_trades_rejects_a_trade_older_than_its_predecessor(simulator: ExchangeSimulator) -> None:
    with pytest.raises(ValueError, match="older"):
        simulator.add_trades("BTCUSDT", [(5000, T0 - 1, "1", "1", True)])


def test_month_bars_close_at_the_end_of_their_month(simulator: ExchangeSimulator, exchange: Any) -> None:
    december = 1_701_388_800_000  # 2023-12-01T00:00Z
    simulator.add_bars("BTCUSDT", "1M", [(december, "1", "2", "1", "2", "1")])

    (kline,) = exchange.fapiPublicGetKlines({"symbol": "BTCUSDT", "interval": "1M"})

    assert kline[6] == T0 - 1


def test_ccxt_client_refuses_a_non_binance_exchange(simulator: ExchangeSimulator) -> None:
    with pytest.raises(ValueError, match="not a Binance client"):
        ccxt_client(simulator, "kraken")
