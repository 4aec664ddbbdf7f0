"""`slipstream lake ...` and `slipstream vol ...`: load, inspect and export market history."""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from slipstream.cli.render import admin_token, client_tls
from slipstream.transport import addresses

# The lake's modules (numpy, pandas, duckdb) are imported by the commands that use them, so the rest of the CLI
# starts without them.
if TYPE_CHECKING:
    from slipstream.datalake.client import LakeClient
    from slipstream.datalake.frames import BarFrame

LAKE_ENV = "SLIPSTREAM_LAKE"


def parse_time_ms(text: str) -> int:
    """An instant given as epoch milliseconds or ISO 8601 (UTC unless it says otherwise)."""
    if text.isdigit():
        return int(text)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def _as_of_ns(text: str | None) -> int | None:
    from slipstream.datalake.frames import MS

    return parse_time_ms(text) * MS if text else None


def _iso(value_ms: int) -> str:
    return datetime.fromtimestamp(value_ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M")


def _client(args: argparse.Namespace) -> LakeClient:
    from slipstream.datalake.client import LakeClient

    return LakeClient(args.lake, admin_token(args), tls=client_tls(args))


def _with_known_at_close(frame: BarFrame, timeframe: str) -> BarFrame:
    import numpy as np

    from slipstream.datalake.frames import MS, timeframe_ms

    closes = (frame.open_time_ms + timeframe_ms(timeframe)) * MS
    return replace(frame, knowledge_time_ns=closes.astype(np.int64))


def cmd_ingest(args: argparse.Namespace) -> int:
    from slipstream.datalake import files

    console = Console()
    with _client(args) as client:
        if args.exchange:
            return _ingest_exchange(args, client, console)
        for path in map(Path, args.files):
            if args.trades:
                if not args.symbol:
                    raise SystemExit("--symbol is required for trades files")
                trades = files.read_trades(path)
                answer = client.write_trades(args.symbol, trades)
                console.print(
                    f"{path.name}: {answer.written_count} trades of {args.symbol} ({answer.revised_count} revised)"
                )
                continue
            for series in files.read_bars(path, args.symbol, args.timeframe):
                bars = _with_known_at_close(series.bars, series.timeframe) if args.known_at_close else series.bars
                written = client.write_bars_in_batches(series.symbol, series.timeframe, bars)
                console.print(f"{path.name}: {written} {series.timeframe} bars of {series.symbol}")
    return 0


def _ingest_exchange(args: argparse.Namespace, client: LakeClient, console: Console) -> int:
    import ccxt

    from slipstream.datalake.exchange_ingest import ingest_ohlcv, ingest_trades

    if not args.symbol or args.since is None:
        raise SystemExit("--exchange needs --symbol and --since")
    exchange = getattr(ccxt, args.exchange)({"enableRateLimit": True, "timeout": 10_000})
    if args.exchange_url:
        exchange.urls["api"] = {name: args.exchange_url for name in exchange.urls["api"]}
    since = parse_time_ms(args.since)
    until = parse_time_ms(args.until) if args.until else None
    if args.trades:
        report = ingest_trades(exchange, client, args.symbol, since, until)
    else:
        if not args.timeframe:
            raise SystemExit("--exchange needs --timeframe for bars")
        report = ingest_ohlcv(exchange, client, args.symbol, args.timeframe, since, until)
    console.print(
        f"{args.exchange} {args.symbol}: {report.rows_written} rows in {report.pages} pages, "
        f"{report.retries} retries, {report.duplicates_dropped} duplicates dropped, {len(report.gaps)} gaps"
    )
    for start, end in report.gaps[:20]:
        console.print(f"  gap {_iso(start)} .. {_iso(end)}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb
    import pandas as pd

    with _client(args) as client:
        bars = client.query_bars(
            args.symbol,
            args.timeframe,
            parse_time_ms(args.start) if args.start else None,
            parse_time_ms(args.end) if args.end else None,
            _as_of_ns(args.as_of),
        )
    table = pd.DataFrame(
        {
            "open_time": pd.to_datetime(bars.open_time_ms, unit="ms", utc=True),
            "open": bars.open,
            "high": bars.high,
            "low": bars.low,
            "close": bars.close,
            "volume": bars.volume,
            "known_at": pd.to_datetime(bars.knowledge_time_ns, unit="ns", utc=True),
        }
    )
    if args.out:
        out = Path(args.out)
        with duckdb.connect() as db:
            db.register("bars", table)
            db.execute(f"COPY bars TO '{out}' (FORMAT {'PARQUET' if out.suffix == '.parquet' else 'CSV'})")
        print(f"{len(table)} bars written to {out}")
        return 0
    view = Table(title=f"{args.symbol} {args.timeframe}: {len(table)} bars", title_justify="left")
    for column in table.columns:
        view.add_column(column, justify="right")
    shown = table if len(table) <= 2 * args.rows else pd.concat([table.head(args.rows), table.tail(args.rows)])
    for _, row in shown.iterrows():
        view.add_row(*(f"{v:%Y-%m-%d %H:%M}" if isinstance(v, pd.Timestamp) else f"{v:g}" for v in row))
    Console().print(view)
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    console = Console()
    with _client(args) as client:
        if args.symbol:
            if not args.timeframe:
                raise SystemExit("give SYMBOL and TIMEFRAME")
            answer = client.coverage(args.symbol, args.timeframe, _as_of_ns(args.as_of))
            series, gaps = [answer.coverage], list(answer.gaps)
        else:
            series, gaps = client.list_series(), []
    table = Table(title="Lake coverage", title_justify="left")
    for column in ("symbol", "kind", "tf", "first", "last", "rows", "versions", "missing bars"):
        table.add_column(column, justify="left" if column in ("symbol", "kind", "tf") else "right")
    for item in series:
        table.add_row(
            item.symbol,
            "bars" if item.kind == 1 else "trades",
            item.timeframe,
            _iso(item.first_event_time.ToMilliseconds()) if item.HasField("first_event_time") else "-",
            _iso(item.last_event_time.ToMilliseconds()) if item.HasField("last_event_time") else "-",
            str(item.row_count),
            str(item.version_count),
            str(item.missing_bar_count),
        )
    console.print(table)
    for gap in gaps:
        console.print(
            f"gap: {_iso(gap.start_time.ToMilliseconds())} .. {_iso(gap.end_time.ToMilliseconds())}"
            f" ({gap.missing_bar_count} bars)"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from slipstream.datalake import dataset

    root = Path(args.directory)
    with _client(args) as client:
        for item in client.list_series():
            if item.kind == 1:
                bars = client.query_bars(item.symbol, item.timeframe, all_versions=True)
                dataset.write_bars(root, item.symbol, item.timeframe, bars)
                print(f"{item.symbol} {item.timeframe}: {len(bars)} versions")
            else:
                trades = client.query_trades(item.symbol)
                dataset.write_trades(root, item.symbol, trades)
                print(f"{item.symbol} trades: {len(trades)}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from slipstream.datalake import dataset

    root = Path(args.directory)
    with _client(args) as client:
        for symbol, timeframe, bars in dataset.read_bars(root):
            written = sum(
                client.write_bars_in_batches(symbol, timeframe, batch) for batch in dataset.version_batches(bars)
            )
            print(f"{symbol} {timeframe}: {written} versions")
        for symbol, trades in dataset.read_trades(root):
            print(f"{symbol} trades: {client.write_trades(symbol, trades).written_count}")
    return 0


def cmd_vol(args: argparse.Namespace) -> int:
    with _client(args) as client:
        forecasts = client.forecasts(args.symbols, _as_of_ns(args.as_of))
    title = f"Volatility forecasts as of {args.as_of}" if args.as_of else "Volatility forecasts"
    table = Table(title=f"{title} (annualised)", title_justify="left")
    for column in ("symbol", "forecast", "ewma", "long run", "daily", "returns", "floored", "version", "last bar"):
        table.add_column(column, justify="left" if column == "symbol" else "right")
    for f in forecasts:
        table.add_row(
            f.symbol,
            f"{f.annualized_volatility:.1%}",
            f"{f.ewma_volatility_annualized:.1%}",
            f"{f.long_run_volatility_annualized:.1%}",
            f"{f.daily_volatility:.2%}",
            str(f.observation_count),
            "yes" if f.floored else "no",
            str(f.version),
            _iso(f.last_bar_time.ToMilliseconds()),
        )
    Console().print(table)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lake = sub.add_parser("lake", help="load, inspect and export the data lake")
    lake.add_argument(
        "--lake", default=os.environ.get(LAKE_ENV, addresses.DATALAKE), help=f"lake address (env {LAKE_ENV})"
    )
    lake_sub = lake.add_subparsers(dest="lake_command", required=True)

    ingest = lake_sub.add_parser("ingest", help="load CSV/Parquet files, or page an exchange through ccxt")
    ingest.add_argument("files", nargs="*", metavar="FILE")
    ingest.add_argument("--symbol", help="unified symbol, when the file or exchange needs one")
    ingest.add_argument("--timeframe", help="bar timeframe (inferred from files when omitted)")
    ingest.add_argument("--trades", action="store_true", help="the input holds trades, not bars")
    ingest.add_argument(
        "--known-at-close", action="store_true", help="backfill: each bar was known when it closed (default: known now)"
    )
    ingest.add_argument("--exchange", help="ccxt exchange id to page from, e.g. binanceusdm")
    ingest.add_argument("--exchange-url", help="base URL replacing the exchange's API hosts (a simulator)")
    ingest.add_argument("--since", help="first instant (ISO 8601 or epoch ms)")
    ingest.add_argument("--until", help="end instant, exclusive (default now)")
    ingest.set_defaults(func=cmd_ingest)

    query = lake_sub.add_parser("query", help="bars of one series as of a knowledge time")
    query.add_argument("symbol")
    query.add_argument("timeframe")
    query.add_argument("--start")
    query.add_argument("--end")
    query.add_argument("--as-of", help="knowledge cut-off (default now)")
    query.add_argument("--out", help="write to FILE.csv or FILE.parquet instead of printing")
    query.add_argument("--rows", type=int, default=5, help="rows shown at each end")
    query.set_defaults(func=cmd_query)

    coverage = lake_sub.add_parser("coverage", help="every series, or one series with its gaps")
    coverage.add_argument("symbol", nargs="?")
    coverage.add_argument("timeframe", nargs="?")
    coverage.add_argument("--as-of")
    coverage.set_defaults(func=cmd_coverage)

    export = lake_sub.add_parser("export", help="write every version to a partitioned Parquet dataset")
    export.add_argument("directory")
    export.set_defaults(func=cmd_export)

    load = lake_sub.add_parser("import", help="load a partitioned Parquet dataset, keeping knowledge times")
    load.add_argument("directory")
    load.set_defaults(func=cmd_import)

    vol = sub.add_parser("vol", help="the central volatility forecasts")
    vol.add_argument(
        "--lake", default=os.environ.get(LAKE_ENV, addresses.DATALAKE), help=f"lake address (env {LAKE_ENV})"
    )
    vol_sub = vol.add_subparsers(dest="vol_command", required=True)
    show = vol_sub.add_parser("show", help="current forecast per symbol")
    show.add_argument("symbols", nargs="*", metavar="SYMBOL")
    show.add_argument("--as-of", help="point-in-time forecast from what the lake knew then")
    show.set_defaults(func=cmd_vol)
