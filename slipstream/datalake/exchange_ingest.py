"""Ingest bars and trades from an exchange through ccxt: paged, de-duplicated, resumable.

Resumption needs no state of its own: the lake already knows the newest bar of each series,
so a run continues from there. Transient failures (rate limits, timeouts, network errors)
are retried with exponential backoff, honouring the exchange's Retry-After; the bar that is
still forming is never stored, because it is not known yet.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import ccxt
import numpy as np

from slipstream.datalake.frames import BarFrame, TradeFrame, timeframe_ms

log = logging.getLogger(__name__)


class BarSink(Protocol):
    def last_open_time_ms(self, symbol: str, timeframe: str) -> int | None: ...

    def write_bars(self, symbol: str, timeframe: str, frame: BarFrame) -> object: ...


class TradeSink(Protocol):
    def last_trade_time_ms(self, symbol: str) -> int | None: ...

    def trade_ids_at(self, symbol: str, time_ms: int) -> set[str]: ...

    def write_trades(self, symbol: str, frame: TradeFrame) -> object: ...


@dataclass
class IngestReport:
    symbol: str
    pages: int = 0
    rows_written: int = 0
    duplicates_dropped: int = 0
    retries: int = 0
    first_ms: int | None = None
    last_ms: int | None = None
    gaps: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    initial_delay_s: float = 0.5
    max_delay_s: float = 30.0


def _retry_after_s(exchange: ccxt.Exchange) -> float | None:
    headers = getattr(exchange, "last_response_headers", None) or {}
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def call_with_retries(
    exchange: ccxt.Exchange,
    call: Callable[[], Any],
    policy: RetryPolicy,
    report: IngestReport,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """Run `call`, retrying transient errors with backoff; re-raise after max_retries.

    Transient: ccxt's NetworkError family (timeouts, 5xx, DDoSProtection: Binance answers 429 and
    418 with it, RateLimitExceeded) and OperationFailed (the venue's "internal error, try again").
    """
    delay = policy.initial_delay_s
    for attempt in range(policy.max_retries + 1):
        try:
            return call()
        except (ccxt.NetworkError, ccxt.OperationFailed) as error:
            if attempt == policy.max_retries:
                raise
            wait = max(_retry_after_s(exchange) or 0.0, delay)
            report.retries += 1
            log.warning("%s: %s; retrying in %.2fs", exchange.id, type(error).__name__, wait)
            sleep(min(wait, policy.max_delay_s))
            delay = min(delay * 2, policy.max_delay_s)
    raise AssertionError("unreachable")


def ingest_ohlcv(
    exchange: ccxt.Exchange,
    sink: BarSink,
    symbol: str,
    timeframe: str,
    since_ms: int,
    until_ms: int | None = None,
    page_limit: int = 1000,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> IngestReport:
    """Fetch [since, until) page by page into the lake, resuming after the newest stored bar."""
    policy = policy or RetryPolicy()
    step = timeframe_ms(timeframe)
    report = IngestReport(symbol)
    last = sink.last_open_time_ms(symbol, timeframe)
    cursor = max(since_ms // step * step, last + step if last is not None else 0)
    now_ms = int(exchange.milliseconds())
    end = min(until_ms if until_ms is not None else now_ms, now_ms)
    previous = last
    while cursor < end:
        page = call_with_retries(
            exchange,
            functools.partial(exchange.fetch_ohlcv, symbol, timeframe, since=cursor, limit=page_limit),
            policy,
            report,
            sleep,
        )
        report.pages += 1
        rows = np.asarray(page, dtype=np.float64).reshape(-1, 6)
        times = rows[:, 0].astype(np.int64)
        keep = (times >= cursor) & (times < end) & (times + step <= now_ms)
        times, rows = times[keep], rows[keep]
        times, first = np.unique(times, return_index=True)
        report.duplicates_dropped += int(keep.sum()) - len(times)
        rows = rows[first]
        if len(times) == 0:
            break
        frame = BarFrame.build(times, rows[:, 1], rows[:, 2], rows[:, 3], rows[:, 4], rows[:, 5], [])
        sink.write_bars(symbol, timeframe, frame)
        report.rows_written += len(frame)
        report.first_ms = report.first_ms if report.first_ms is not None else int(times[0])
        report.last_ms = int(times[-1])
        series = np.concatenate([[previous], times]) if previous is not None else times
        for i in np.flatnonzero(np.diff(series) > step):
            report.gaps.append((int(series[i]) + step, int(series[i + 1])))
        previous = int(times[-1])
        cursor = int(times[-1]) + step
    return report


def ingest_trades(
    exchange: ccxt.Exchange,
    sink: TradeSink,
    symbol: str,
    since_ms: int,
    until_ms: int | None = None,
    page_limit: int = 1000,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    window_ms: int = 3_600_000,
) -> IngestReport:
    """Fetch trades from `since` (or the newest stored trade) page by page, skipping quiet windows."""
    policy = policy or RetryPolicy()
    report = IngestReport(symbol)
    last = sink.last_trade_time_ms(symbol)
    cursor = max(since_ms, last if last is not None else 0)
    end = until_ms if until_ms is not None else int(exchange.milliseconds())
    # Resuming at the newest stored instant: the trades already stored there must not come twice.
    seen: set[str] = sink.trade_ids_at(symbol, last) if last is not None else set()
    while cursor < end:
        page = call_with_retries(
            exchange,
            functools.partial(exchange.fetch_trades, symbol, since=cursor, limit=page_limit),
            policy,
            report,
            sleep,
        )
        report.pages += 1
        fresh = [t for t in page if str(t["id"]) not in seen and cursor <= t["timestamp"] < end]
        report.duplicates_dropped += len(page) - len(fresh)
        if not fresh:
            # Venues answer trades within a bounded window after `since` (Binance: one hour), so
            # an empty page means a quiet window, not the end: step over it.
            cursor += window_ms
            continue
        frame = TradeFrame.build(
            [t["timestamp"] for t in fresh],
            [str(t["id"]) for t in fresh],
            [t["price"] for t in fresh],
            [t["amount"] for t in fresh],
            [1 if t["side"] == "buy" else 2 if t["side"] == "sell" else 0 for t in fresh],
            [],
        )
        sink.write_trades(symbol, frame)
        seen.update(str(t["id"]) for t in fresh)
        report.rows_written += len(frame)
        report.first_ms = report.first_ms if report.first_ms is not None else int(frame.trade_time_ms.min())
        report.last_ms = int(frame.trade_time_ms.max())
        next_cursor = int(frame.trade_time_ms.max())
        cursor = next_cursor if next_cursor > cursor else cursor + 1
    return report
