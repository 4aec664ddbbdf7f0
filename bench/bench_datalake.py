"""Benchmark the data lake: bulk ingest and point-in-time queries, against SQLite and pandas.

Generated 1-minute bars for 20 symbols (500,000 each: 10 million rows) plus 1% revised a day
after the bar. The query is one symbol-month as of a knowledge time that sees some but not
all revisions. Prints a Markdown table.

Usage: .venv/bin/python bench/bench_datalake.py [--bars-per-symbol 500000] [--symbols 20] [--repeats 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from slipstream.datalake.client import LakeClient
from slipstream.datalake.frames import MS, BarFrame
from slipstream.datalake.lake import DataLake
from slipstream.datalake.server import LakeSettings, start_lake

T0 = 1_672_531_200_000  # 2023-01-01
MINUTE = 60_000
DAY_NS = 86_400_000 * MS


def generate(symbols: int, per_symbol: int, seed: int = 1) -> list[tuple[str, BarFrame, BarFrame]]:
    rng = np.random.default_rng(seed)
    series = []
    for index in range(symbols):
        times = T0 + np.arange(per_symbol, dtype=np.int64) * MINUTE
        close = 100 * np.exp(np.cumsum(rng.normal(0, 0.001, per_symbol)))
        base = BarFrame.build(
            times, close, close * 1.001, close * 0.999, close, rng.random(per_symbol), (times + MINUTE) * MS
        )
        revised_at = np.sort(rng.choice(per_symbol, per_symbol // 100, replace=False))
        revision = base.take(revised_at)
        revision = BarFrame.build(
            revision.open_time_ms,
            revision.open,
            revision.high * 1.0005,
            revision.low,
            revision.close,
            revision.volume * 1.1,
            revision.knowledge_time_ns + DAY_NS,
        )
        series.append((f"S{index:02d}/USDT", base, revision))
    return series


def timed(call, repeats: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000, max(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--symbols", type=int, default=20)
    parser.add_argument("--bars-per-symbol", type=int, default=500_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    data = generate(args.symbols, args.bars_per_symbol)
    rows = sum(len(b) + len(r) for _, b, r in data)
    symbol = data[len(data) // 2][0]
    start = T0 + 100_000 * MINUTE
    end = start + 30 * 86_400_000
    as_of = (end + 43_200_000) * MS  # every bar of the month, revisions of all but its last 12 hours
    results: list[tuple[str, float, float]] = []

    with tempfile.TemporaryDirectory() as directory:
        lake = DataLake(Path(directory) / "lake")
        started = time.perf_counter()
        for name, base, _ in data:
            lake.write_bars(name, "1m", base)
        for name, _, revision in data:
            lake.write_bars(name, "1m", revision)
        ingest_s = time.perf_counter() - started
        cold_started = time.perf_counter()
        answer = lake.query_bars(symbol, "1m", start, end, as_of)
        cold_ms = (time.perf_counter() - cold_started) * 1000
        expected = len(answer)
        warm = timed(lambda: lake.query_bars(symbol, "1m", start, end, as_of), args.repeats)
        results.append(("lake in-process, warm", *warm))
        results.append(("lake in-process, cold (first touch of the series)", cold_ms, cold_ms))
        lake.close()

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        running = asyncio.run_coroutine_threadsafe(
            start_lake(LakeSettings(Path(directory) / "lake", "127.0.0.1:0", "bench")), loop
        ).result(120)
        with LakeClient(running.address, "bench") as client:
            assert len(client.query_bars(symbol, "1m", start, end, as_of)) == expected
            results.append(
                (
                    "lake through gRPC, streamed columnar",
                    *timed(lambda: client.query_bars(symbol, "1m", start, end, as_of), args.repeats),
                )
            )
        asyncio.run_coroutine_threadsafe(running.stop(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)

        frame = pd.concat(
            [
                pd.DataFrame(
                    {
                        "symbol": name,
                        "open_time_ms": f.open_time_ms,
                        "knowledge_time_ns": f.knowledge_time_ns,
                        "open": f.open,
                        "high": f.high,
                        "low": f.low,
                        "close": f.close,
                        "volume": f.volume,
                    }
                )
                for name, base, revision in data
                for f in (base, revision)
            ],
            ignore_index=True,
        )

        def pandas_query() -> int:
            part = frame[
                (frame.symbol == symbol)
                & (frame.open_time_ms >= start)
                & (frame.open_time_ms < end)
                & (frame.knowledge_time_ns <= as_of)
            ]
            part = part.sort_values(["open_time_ms", "knowledge_time_ns"]).drop_duplicates("open_time_ms", keep="last")
            return len(part)

        assert pandas_query() == expected
        results.append(("plain pandas (boolean mask, sort, dedupe)", *timed(pandas_query, max(3, args.repeats // 5))))

        duck = duckdb.connect(str(Path(directory) / "plain.duckdb"))
        duck.register("incoming", frame)
        duck.execute("CREATE TABLE bars AS SELECT * FROM incoming")
        duck.unregister("incoming")
        duck_sql = (
            "SELECT open_time_ms, arg_max(close, knowledge_time_ns) FROM bars WHERE symbol = ? AND open_time_ms >= ?"
            " AND open_time_ms < ? AND knowledge_time_ns <= ? GROUP BY open_time_ms ORDER BY open_time_ms"
        )
        assert len(duck.execute(duck_sql, [symbol, start, end, as_of]).fetchall()) == expected
        results.append(
            (
                "plain DuckDB table scan (arg_max)",
                *timed(lambda: duck.execute(duck_sql, [symbol, start, end, as_of]).fetchnumpy(), args.repeats),
            )
        )
        duck.close()

        sqlite = sqlite3.connect(str(Path(directory) / "bars.sqlite"))
        sqlite.execute(
            "CREATE TABLE bars (symbol TEXT, open_time_ms INTEGER, knowledge_time_ns INTEGER, open REAL,"
            " high REAL, low REAL, close REAL, volume REAL)"
        )
        sqlite.executemany("INSERT INTO bars VALUES (?, ?, ?, ?, ?, ?, ?, ?)", frame.itertuples(index=False, name=None))
        sqlite.execute("CREATE INDEX bars_pit ON bars (symbol, open_time_ms, knowledge_time_ns)")
        sqlite.commit()
        sqlite_sql = (
            "SELECT open_time_ms, open, high, low, close, volume, max(knowledge_time_ns) FROM bars"
            " WHERE symbol = ? AND open_time_ms >= ? AND open_time_ms < ? AND knowledge_time_ns <= ?"
            " GROUP BY open_time_ms ORDER BY open_time_ms"
        )
        assert len(sqlite.execute(sqlite_sql, (symbol, start, end, as_of)).fetchall()) == expected
        results.append(
            (
                "SQLite with an index on (symbol, time, knowledge)",
                *timed(
                    lambda: sqlite.execute(sqlite_sql, (symbol, start, end, as_of)).fetchall(),
                    max(3, args.repeats // 5),
                ),
            )
        )
        sqlite.close()

    warm_ms = results[0][1]
    shape = f"{args.symbols} symbols x {args.bars_per_symbol:,} 1-minute bars + 1% revised"
    print(f"\n### Data lake: {rows:,} rows ({shape})\n")
    print(f"Ingest in-process (validation + DuckDB append): {rows / ingest_s:,.0f} rows/s ({ingest_s:.1f} s)\n")
    print(f"Query: one symbol-month ({expected:,} bars) as of 12 hours after its end (the last revisions unseen)\n")
    print("| engine | median ms | max ms | x lake warm |\n|---|---:|---:|---:|")
    for name, median, worst in results:
        print(f"| {name} | {median:.2f} | {worst:.2f} | {median / warm_ms:.1f} |")


if __name__ == "__main__":
    main()
