"""The data lake's behaviour: validated bitemporal writes and point-in-time reads.

DuckDB (store.py) is the system of record; each series is also held in memory as a sorted
partition (index.py), loaded on first use, so as-of queries touch only the rows they return.
Readers never block: a partition's arrays are replaced, never mutated, on write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from slipstream.core.clock import Clock, SystemClock
from slipstream.core.errors import InvalidArgument, NotFound
from slipstream.datalake.frames import (
    MS,
    BarFrame,
    TradeFrame,
    timeframe_ms,
    validate_bars,
    validate_symbol,
    validate_trades,
)
from slipstream.datalake.index import BarPartition, TradePartition
from slipstream.datalake.store import LakeStore, SeriesKey

MAX_BATCH_ROWS = 1_000_000
END_OF_TIME_MS = 2**62 // MS


@dataclass(frozen=True)
class WriteResult:
    written_count: int
    revised_count: int
    knowledge_time_ns: int


@dataclass(frozen=True)
class Gap:
    start_ms: int
    end_ms: int
    missing_bar_count: int


@dataclass(frozen=True)
class Coverage:
    symbol: str
    kind: str
    timeframe: str
    first_event_ms: int | None
    last_event_ms: int | None
    row_count: int
    version_count: int
    missing_bar_count: int
    gaps: tuple[Gap, ...] = ()


class DataLake:
    def __init__(self, data_dir: Path, clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()
        self.store = LakeStore(data_dir / "lake.duckdb")
        self._bars: dict[SeriesKey, BarPartition] = {}
        self._trades: dict[SeriesKey, TradePartition] = {}
        self._write_lock = threading.RLock()
        self._last_knowledge_ns = self.store.max_knowledge_time_ns()
        self._listeners: list[Callable[[SeriesKey], None]] = []

    def close(self) -> None:
        self.store.close()

    def subscribe(self, listener: Callable[[SeriesKey], None]) -> None:
        """Call `listener(series)` after every committed write (the volatility service listens)."""
        self._listeners.append(listener)

    def now_ns(self) -> int:
        """The latest knowledge time: the clock, but never behind what was already written."""
        return max(int(self.clock.now().timestamp() * 1e9), self._last_knowledge_ns)

    def _next_knowledge_ns(self) -> int:
        self._last_knowledge_ns = max(int(self.clock.now().timestamp() * 1e9), self._last_knowledge_ns + 1)
        return self._last_knowledge_ns

    def _bar_partition(self, key: SeriesKey) -> BarPartition:
        partition = self._bars.get(key)
        if partition is None:
            # Loading under the write lock: a write either lands before the load or merges into it.
            with self._write_lock:
                partition = self._bars.get(key)
                if partition is None:
                    partition = self._bars[key] = BarPartition(self.store.load_bars(key))
        return partition

    def _trade_partition(self, key: SeriesKey) -> TradePartition:
        partition = self._trades.get(key)
        if partition is None:
            with self._write_lock:
                partition = self._trades.get(key)
                if partition is None:
                    partition = self._trades[key] = TradePartition(self.store.load_trades(key))
        return partition

    def write_bars(self, symbol: str, timeframe: str, frame: BarFrame) -> WriteResult:
        """Validate and store one batch atomically; rows without a knowledge time get 'now'."""
        validate_symbol(symbol)
        step = timeframe_ms(timeframe)
        if len(frame) == 0:
            raise InvalidArgument("bars", "must contain at least one bar")
        if len(frame) > MAX_BATCH_ROWS:
            raise InvalidArgument("bars", f"at most {MAX_BATCH_ROWS} bars per batch")
        key = SeriesKey(symbol, "bars", timeframe)
        with self._write_lock:
            now = self._next_knowledge_ns()
            if len(frame.knowledge_time_ns) == 0:
                frame = replace(frame, knowledge_time_ns=np.full(len(frame), now, dtype=np.int64))
            validate_bars(frame, step, now)
            partition = self._bars.get(key)
            known = (
                partition.contains(frame.open_time_ms)
                if partition is not None
                else self.store.existing_open_times(key, frame.open_time_ms)
            )
            self.store.append_bars(key, frame)
            if partition is not None:
                partition.add(frame)
        self._notify(key)
        return WriteResult(len(frame), int(known.sum()), now)

    def write_trades(self, symbol: str, frame: TradeFrame) -> WriteResult:
        validate_symbol(symbol)
        if len(frame) == 0:
            raise InvalidArgument("trades", "must contain at least one trade")
        if len(frame) > MAX_BATCH_ROWS:
            raise InvalidArgument("trades", f"at most {MAX_BATCH_ROWS} trades per batch")
        key = SeriesKey(symbol, "trades", "")
        with self._write_lock:
            now = self._next_knowledge_ns()
            if len(frame.knowledge_time_ns) == 0:
                frame = replace(frame, knowledge_time_ns=np.full(len(frame), now, dtype=np.int64))
            validate_trades(frame, now)
            partition = self._trade_partition(key)
            known = partition.known_ids()
            revised = sum(1 for trade_id in frame.trade_id if trade_id in known)
            self.store.append_trades(key, frame)
            partition.add(frame)
        self._notify(key)
        return WriteResult(len(frame), revised, now)

    def _notify(self, key: SeriesKey) -> None:
        for listener in self._listeners:
            listener(key)

    def _require(self, key: SeriesKey) -> None:
        if key not in self.store.series():
            what = f"{key.symbol} {key.timeframe} bars" if key.kind == "bars" else f"{key.symbol} trades"
            raise NotFound(f"no {what} in the lake")

    def query_bars(
        self,
        symbol: str,
        timeframe: str,
        start_ms: int | None,
        end_ms: int | None,
        as_of_ns: int | None,
        all_versions: bool = False,
    ) -> BarFrame:
        """Bars in [start, end), each the latest version known at as_of (default: now), or every version."""
        timeframe_ms(timeframe)
        key = SeriesKey(symbol, "bars", timeframe)
        self._require(key)
        partition = self._bar_partition(key)
        select = partition.versions if all_versions else partition.as_of
        return select(
            start_ms if start_ms is not None else 0,
            end_ms if end_ms is not None else END_OF_TIME_MS,
            as_of_ns if as_of_ns is not None else self.now_ns(),
        )

    def query_trades(self, symbol: str, start_ms: int | None, end_ms: int | None, as_of_ns: int | None) -> TradeFrame:
        key = SeriesKey(symbol, "trades", "")
        self._require(key)
        return self._trade_partition(key).as_of(
            start_ms if start_ms is not None else 0,
            end_ms if end_ms is not None else END_OF_TIME_MS,
            as_of_ns if as_of_ns is not None else self.now_ns(),
        )

    def last_open_time_ms(self, symbol: str, timeframe: str) -> int | None:
        key = SeriesKey(symbol, "bars", timeframe)
        if key not in self.store.series():
            return None
        bars = self._bar_partition(key).frame.open_time_ms
        return int(bars[-1]) if len(bars) else None

    def last_trade_time_ms(self, symbol: str) -> int | None:
        key = SeriesKey(symbol, "trades", "")
        if key not in self.store.series():
            return None
        times = self._trade_partition(key).frame.trade_time_ms
        return int(times.max()) if len(times) else None

    def trade_ids_at(self, symbol: str, time_ms: int) -> set[str]:
        return set(self.query_trades(symbol, time_ms, time_ms + 1, None).trade_id.tolist())

    def coverage(self, symbol: str, timeframe: str, as_of_ns: int | None, max_gaps: int = 1000) -> Coverage:
        """First and last bar, counts and the runs of missing bars, as of a knowledge time."""
        step = timeframe_ms(timeframe)
        key = SeriesKey(symbol, "bars", timeframe)
        self._require(key)
        partition = self._bar_partition(key)
        bars = partition.as_of(0, END_OF_TIME_MS, as_of_ns if as_of_ns is not None else self.now_ns())
        times = bars.open_time_ms
        if len(times) == 0:
            return Coverage(symbol, "bars", timeframe, None, None, 0, partition.version_count(), 0)
        jumps = np.diff(times) // step - 1
        where = np.flatnonzero(jumps > 0)
        gaps = tuple(Gap(int(times[i] + step), int(times[i + 1]), int(jumps[i])) for i in where[:max_gaps])
        return Coverage(
            symbol,
            "bars",
            timeframe,
            int(times[0]),
            int(times[-1]),
            len(times),
            partition.version_count(),
            int(jumps[where].sum()),
            gaps,
        )

    def list_series(self) -> list[Coverage]:
        """Every series with its coverage as of now, computed in DuckDB without loading partitions."""
        ids = {series_id: key for key, series_id in self.store.series().items()}
        with self.store.lock:
            bars = (
                self.store.connection()
                .execute(
                    "SELECT series_id, min(open_time_ms), max(open_time_ms), count(DISTINCT open_time_ms), count(*)"
                    " FROM bars GROUP BY series_id"
                )
                .fetchall()
            )
            trades = (
                self.store.connection()
                .execute(
                    "SELECT series_id, min(trade_time_ms), max(trade_time_ms), count(DISTINCT trade_id), count(*)"
                    " FROM trades GROUP BY series_id"
                )
                .fetchall()
            )
        result = []
        for series_id, first, last, distinct, versions in bars:
            key = ids[series_id]
            expected = (last - first) // timeframe_ms(key.timeframe) + 1
            result.append(
                Coverage(key.symbol, "bars", key.timeframe, first, last, distinct, versions, expected - distinct)
            )
        for series_id, first, last, distinct, versions in trades:
            key = ids[series_id]
            result.append(Coverage(key.symbol, "trades", "", first, last, distinct, versions, 0))
        return sorted(result, key=lambda c: (c.symbol, c.kind, c.timeframe))
