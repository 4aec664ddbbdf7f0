"""The scale-out layout: a Parquet dataset partitioned by series and day.

    ROOT/bars/timeframe=1m/symbol_key=BTC-USDT/date=2023-01-15/data_0.parquet
    ROOT/trades/symbol_key=BTC-USDT_USDT/date=2024-08-08/data_0.parquet

Each file holds every version of its rows (event and knowledge times included), so the
dataset is bitemporal like the lake and can live on local disk or object storage, readable by
DuckDB, Spark or Trino (hive partitioning). `symbol` inside the files keeps the unified name;
the directory key replaces "/" with "-" and ":" with "_".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from slipstream.datalake.frames import BarFrame, TradeFrame


def symbol_key(symbol: str) -> str:
    return symbol.replace("/", "-").replace(":", "_")


def write_bars(root: Path, symbol: str, timeframe: str, frame: BarFrame) -> None:
    """Add one series' versions to the dataset (files of earlier exports are kept)."""
    table = pd.DataFrame({"symbol": symbol, **frame.columns()})
    target = root / "bars" / f"timeframe={timeframe}" / f"symbol_key={symbol_key(symbol)}"
    _copy(table, "open_time_ms", target)


def write_trades(root: Path, symbol: str, frame: TradeFrame) -> None:
    table = pd.DataFrame({"symbol": symbol, **frame.columns()})
    _copy(table, "trade_time_ms", root / "trades" / f"symbol_key={symbol_key(symbol)}")


def _copy(table: pd.DataFrame, time_column: str, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as db:
        db.register("incoming", table)
        db.execute(
            f"COPY (SELECT *, strftime(make_timestamp({time_column} * 1000), '%Y-%m-%d') AS date FROM incoming"
            f" ORDER BY {time_column}) TO '{target}' (FORMAT PARQUET, PARTITION_BY (date), OVERWRITE_OR_IGNORE,"
            " FILENAME_PATTERN 'data_{uuid}')"
        )


def read_bars(root: Path) -> Iterator[tuple[str, str, BarFrame]]:
    """Every bar series in the dataset with all its versions."""
    files = sorted((root / "bars").glob("**/*.parquet"))
    if not files:
        return
    with duckdb.connect() as db:
        table = db.execute(
            "SELECT symbol, timeframe, open_time_ms, knowledge_time_ns, open, high, low, close, volume"
            " FROM read_parquet(?, hive_partitioning = true)"
            " ORDER BY symbol, timeframe, open_time_ms, knowledge_time_ns",
            [[str(f) for f in files]],
        ).df()
    for (symbol, timeframe), rows in table.groupby(["symbol", "timeframe"], sort=True):
        yield (
            str(symbol),
            str(timeframe),
            BarFrame.build(
                rows["open_time_ms"],
                rows["open"],
                rows["high"],
                rows["low"],
                rows["close"],
                rows["volume"],
                rows["knowledge_time_ns"],
            ),
        )


def read_trades(root: Path) -> Iterator[tuple[str, TradeFrame]]:
    files = sorted((root / "trades").glob("**/*.parquet"))
    if not files:
        return
    with duckdb.connect() as db:
        table = db.execute(
            "SELECT symbol, trade_time_ms, trade_id, price, quantity, side, knowledge_time_ns"
            " FROM read_parquet(?, hive_partitioning = true)"
            " ORDER BY symbol, trade_time_ms, trade_id, knowledge_time_ns",
            [[str(f) for f in files]],
        ).df()
    for symbol, rows in table.groupby("symbol", sort=True):
        yield (
            str(symbol),
            TradeFrame.build(
                rows["trade_time_ms"],
                rows["trade_id"].astype(str).to_numpy(dtype=object),
                rows["price"],
                rows["quantity"],
                rows["side"],
                rows["knowledge_time_ns"],
            ),
        )


def version_batches(frame: BarFrame) -> Iterator[BarFrame]:
    """Split a multi-version frame into batches without repeated open times, oldest versions
    first, so each batch is a valid write and the lake's history is rebuilt in order."""
    order = np.lexsort((frame.knowledge_time_ns, frame.open_time_ms))
    frame = frame.take(order)
    times = frame.open_time_ms
    starts = np.r_[True, times[1:] != times[:-1]]
    rank = np.arange(len(times)) - np.maximum.accumulate(np.where(starts, np.arange(len(times)), 0))
    for level in range(int(rank.max()) + 1 if len(rank) else 0):
        yield frame.take(np.flatnonzero(rank == level))
