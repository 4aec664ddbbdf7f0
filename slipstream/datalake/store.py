"""DuckDB persistence of the lake: the durable, append-only system of record.

Rows are never updated or deleted. Series are dictionary-encoded (one integer per symbol,
kind and timeframe) so the fact tables hold only numbers, which DuckDB compresses and scans
fast, and bulk inserts move numpy arrays without per-row Python work.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from slipstream.datalake.frames import BarFrame, TradeFrame

_SCHEMA = """
CREATE TABLE IF NOT EXISTS series (
    series_id INTEGER PRIMARY KEY,
    symbol VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    timeframe VARCHAR NOT NULL,
    UNIQUE (symbol, kind, timeframe)
);
CREATE TABLE IF NOT EXISTS bars (
    series_id INTEGER NOT NULL,
    open_time_ms BIGINT NOT NULL,
    knowledge_time_ns BIGINT NOT NULL,
    open DOUBLE NOT NULL,
    high DOUBLE NOT NULL,
    low DOUBLE NOT NULL,
    close DOUBLE NOT NULL,
    volume DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS trades (
    series_id INTEGER NOT NULL,
    trade_time_ms BIGINT NOT NULL,
    trade_id VARCHAR NOT NULL,
    price DOUBLE NOT NULL,
    quantity DOUBLE NOT NULL,
    side TINYINT NOT NULL,
    knowledge_time_ns BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS volatility_forecasts (
    symbol VARCHAR NOT NULL,
    version BIGINT NOT NULL,
    compute_time_ns BIGINT NOT NULL,
    as_of_time_ns BIGINT NOT NULL,
    last_bar_time_ms BIGINT NOT NULL,
    annualized_volatility DOUBLE NOT NULL,
    ewma_volatility_annualized DOUBLE NOT NULL,
    long_run_volatility_annualized DOUBLE NOT NULL,
    observation_count INTEGER NOT NULL,
    floored BOOLEAN NOT NULL
);
"""


@dataclass(frozen=True)
class SeriesKey:
    symbol: str
    kind: str  # "bars" or "trades"
    timeframe: str  # "" for trades


class LakeStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = duckdb.connect(str(path))
        # Reads always ORDER BY, so bulk appends may be written in parallel, out of order (1.5x faster).
        self._db.execute("SET preserve_insertion_order = false")
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()
        self._series = {
            SeriesKey(symbol, kind, timeframe): series_id
            for series_id, symbol, kind, timeframe in self._db.execute("SELECT * FROM series").fetchall()
        }

    def close(self) -> None:
        with self._lock:
            self._db.execute("CHECKPOINT")
            self._db.close()

    def series(self) -> dict[SeriesKey, int]:
        return dict(self._series)

    def _series_id(self, key: SeriesKey) -> int:
        series_id = self._series.get(key)
        if series_id is None:
            series_id = len(self._series) + 1
            self._db.execute("INSERT INTO series VALUES (?, ?, ?, ?)", [series_id, key.symbol, key.kind, key.timeframe])
            self._series[key] = series_id
        return series_id

    def append_bars(self, key: SeriesKey, frame: BarFrame) -> None:
        self._append("bars", key, frame.columns())

    def append_trades(self, key: SeriesKey, frame: TradeFrame) -> None:
        self._append("trades", key, frame.columns())

    def _append(self, table: str, key: SeriesKey, columns: dict[str, np.ndarray]) -> None:
        """Append in one transaction: the whole batch is stored or none of it."""
        with self._lock:
            created = key not in self._series
            self._db.execute("BEGIN TRANSACTION")
            try:
                series_id = self._series_id(key)
                length = len(next(iter(columns.values())))
                batch = pd.DataFrame({"series_id": np.full(length, series_id, dtype=np.int32), **columns})
                self._db.register("incoming", batch)
                self._db.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
                self._db.unregister("incoming")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                if created:
                    self._series.pop(key, None)
                raise

    def load_bars(self, key: SeriesKey) -> BarFrame:
        series_id = self._series.get(key)
        if series_id is None:
            return BarFrame.empty()
        with self._lock:
            data = self._db.execute(
                "SELECT open_time_ms, open, high, low, close, volume, knowledge_time_ns FROM bars"
                " WHERE series_id = ? ORDER BY open_time_ms, knowledge_time_ns",
                [series_id],
            ).fetchnumpy()
        return BarFrame.build(
            data["open_time_ms"],
            data["open"],
            data["high"],
            data["low"],
            data["close"],
            data["volume"],
            data["knowledge_time_ns"],
        )

    def load_trades(self, key: SeriesKey) -> TradeFrame:
        series_id = self._series.get(key)
        if series_id is None:
            return TradeFrame.empty()
        with self._lock:
            data = self._db.execute(
                "SELECT trade_time_ms, trade_id, price, quantity, side, knowledge_time_ns FROM trades"
                " WHERE series_id = ? ORDER BY trade_time_ms, trade_id, knowledge_time_ns",
                [series_id],
            ).fetchnumpy()
        return TradeFrame.build(
            data["trade_time_ms"],
            np.asarray(data["trade_id"], dtype=object),
            data["price"],
            data["quantity"],
            data["side"],
            data["knowledge_time_ns"],
        )

    def existing_open_times(self, key: SeriesKey, open_time_ms: np.ndarray) -> np.ndarray:
        """Which of these open times already have a stored version (for counting corrections)."""
        series_id = self._series.get(key)
        if series_id is None or len(open_time_ms) == 0:
            return np.zeros(len(open_time_ms), dtype=bool)
        with self._lock:
            probe = pd.DataFrame({"t": open_time_ms})
            self._db.register("probe", probe)
            known = self._db.execute(
                "SELECT DISTINCT open_time_ms FROM bars WHERE series_id = ?"
                " AND open_time_ms BETWEEN ? AND ? AND open_time_ms IN (SELECT t FROM probe)",
                [series_id, int(open_time_ms.min()), int(open_time_ms.max())],
            ).fetchnumpy()["open_time_ms"]
            self._db.unregister("probe")
        return np.isin(open_time_ms, known)

    def max_knowledge_time_ns(self) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT greatest(coalesce((SELECT max(knowledge_time_ns) FROM bars), 0),"
                " coalesce((SELECT max(knowledge_time_ns) FROM trades), 0))"
            ).fetchone()
        return int(row[0]) if row else 0

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection, for import and export under the store's lock."""
        return self._db

    @property
    def lock(self) -> threading.Lock:
        return self._lock
