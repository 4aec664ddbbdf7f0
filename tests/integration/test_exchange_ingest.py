"""Ingestion through real ccxt binanceusdm against the local simulator: paging, faults, resumption."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ccxt
import pytest

from slipstream.core.clock import ManualClock
from slipstream.datalake.exchange_ingest import RetryPolicy, ingest_ohlcv, ingest_trades
from slipstream.datalake.lake import DataLake
from slipstream.simulator import ExchangeSimulator, Fault, PerpetualMarket, ccxt_client

SYMBOL = "BTC/USDT:USDT"
MINUTE = 60_000
T0 = 1_704_067_200_000  # 2024-01-01T00:00Z
COUNT = 2_500


@pytest.fixture
def simulator() -> Iterator[ExchangeSimulator]:
    with ExchangeSimulator((PerpetualMarket("BTC"),)) as running:
        running.add_bars(
            "BTCUSDT",
            "1m",
            [(T0 + i * MINUTE, 100 + i % 7, 101 + i % 7, 99 + i % 7, 100.5 + i % 7, 1 + i % 3) for i in range(COUNT)],
        )
        # Two bursts of trades three hours apart: the quiet windows in between must be stepped over.
        trades = [(i, T0 + i * 1000, 100 + i % 5, 0.5, i % 2 == 0) for i in range(50)]
        trades += [(1000 + i, T0 + 3 * 3_600_000 + i * 1000, 101, 0.25, False) for i in range(30)]
        running.add_trades("BTCUSDT", trades)
        yield running


@pytest.fixture
def exchange(simulator: ExchangeSimulator) -> Iterator[Any]:
    client = ccxt_client(simulator, enableRateLimit=False, timeout=300)
    yield client
    client.close()


@pytest.fixture
def lake(tmp_path: Path) -> Iterator[DataLake]:
    opened = DataLake(tmp_path, ManualClock(datetime(2025, 1, 1, tzinfo=timezone.utc)))
    yield opened
    opened.close()


def kline_starts(simulator: ExchangeSimulator) -> list[int]:
    return [int(dict(r.query)["startTime"]) for r in simulator.requests if r.path == "/fapi/v1/klines"]


def test_rate_limit_and_timeout_mid_way_are_ridden_out_with_exact_rows(
    simulator: ExchangeSimulator, exchange: Any, lake: DataLake
) -> None:
    simulator.inject("/fapi/v1/klines", Fault.rate_limited(retry_after_s=3, nth=2))
    simulator.inject("/fapi/v1/klines", Fault.timeout(delay_s=1.0, nth=3))
    waits: list[float] = []

    report = ingest_ohlcv(exchange, lake, SYMBOL, "1m", T0, T0 + COUNT * MINUTE, sleep=waits.append)

    assert report.rows_written == COUNT and report.retries == 2 and report.gaps == []
    assert 3.0 in waits  # the exchange's Retry-After was honoured
    coverage = lake.coverage(SYMBOL, "1m", None)
    assert (coverage.row_count, coverage.version_count, coverage.missing_bar_count) == (COUNT, COUNT, 0)
    bars = lake.query_bars(SYMBOL, "1m", None, None, None)
    assert bars.open_time_ms[0] == T0 and bars.open_time_ms[-1] == T0 + (COUNT - 1) * MINUTE
    assert bars.close[8] == 100.5 + 8 % 7


def test_a_failed_run_resumes_where_it_stopped(simulator: ExchangeSimulator, exchange: Any, lake: DataLake) -> None:
    simulator.inject("/fapi/v1/klines", Fault.server_error(503, nth=2, count=3))
    with pytest.raises(ccxt.BaseError):
        ingest_ohlcv(
            exchange,
            lake,
            SYMBOL,
            "1m",
            T0,
            T0 + COUNT * MINUTE,
            policy=RetryPolicy(max_retries=2),
            sleep=lambda _: None,
        )
    stored = lake.coverage(SYMBOL, "1m", None)
    assert stored.row_count == 1000  # the first page only: nothing half-written

    before = len(kline_starts(simulator))
    report = ingest_ohlcv(exchange, lake, SYMBOL, "1m", T0, T0 + COUNT * MINUTE, sleep=lambda _: None)

    assert kline_starts(simulator)[before] == T0 + 1000 * MINUTE  # resumed after the newest stored bar
    assert report.rows_written == COUNT - 1000
    coverage = lake.coverage(SYMBOL, "1m", None)
    assert (coverage.row_count, coverage.version_count, coverage.missing_bar_count) == (COUNT, COUNT, 0)


def test_gaps_at_the_exchange_are_reported(simulator: ExchangeSimulator, exchange: Any, lake: DataLake) -> None:
    simulator.add_bars(
        "BTCUSDT",
        "1h",
        [(T0, 1, 2, 0.5, 1.5, 1), (T0 + 3_600_000, 1, 2, 0.5, 1.5, 1), (T0 + 4 * 3_600_000, 1, 2, 0.5, 1.5, 1)],
    )
    report = ingest_ohlcv(exchange, lake, SYMBOL, "1h", T0, T0 + 5 * 3_600_000, sleep=lambda _: None)
    assert report.gaps == [(T0 + 2 * 3_600_000, T0 + 4 * 3_600_000)]
    assert lake.coverage(SYMBOL, "1h", None).missing_bar_count == 2


def test_trades_page_across_quiet_windows_and_resume_without_duplicates(
    simulator: ExchangeSimulator, exchange: Any, lake: DataLake
) -> None:
    end = T0 + 4 * 3_600_000
    first = ingest_trades(exchange, lake, SYMBOL, T0, T0 + 3 * 3_600_000 + 10_000, page_limit=20, sleep=lambda _: None)
    assert first.rows_written == 60
    second = ingest_trades(exchange, lake, SYMBOL, T0, end, page_limit=20, sleep=lambda _: None)
    assert second.rows_written == 20
    trades = lake.query_trades(SYMBOL, None, None, None)
    assert len(trades) == 80 and len(set(trades.trade_id.tolist())) == 80
    assert lake.list_series()[-1].version_count == 80  # nothing stored twice
