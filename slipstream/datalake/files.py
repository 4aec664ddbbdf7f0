"""Read OHLCV bars and trades from CSV or Parquet files in the common public layouts.

Bars: a time column (`timestamp_ms`, `open_time_ms`, `time_ms` in ms, or `timestamp`,
`date`, `datetime` as text) plus `open`, `high`, `low`, `close` and a volume in base units
(`volume`, or `volume_<base>` when `volume` is in quote units, as CryptoDataDownload does).
A wide table with `ASSET:open` ... columns (one group per asset) yields one series per asset.
Rows may come in any order; a banner line before the header is skipped. Trades: a time
column, an id (`trade_id` or `tid`), `price`, a quantity (`qty`, `quantity`, `size`,
`amount`) and optionally an aggressor side (`buy`/`sell`).
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from slipstream.core.errors import InvalidArgument
from slipstream.datalake.frames import TIMEFRAMES, BarFrame, TradeFrame, timeframe_ms

_MS_COLUMNS = ("timestamp_ms", "open_time_ms", "time_ms", "trade_time_ms")
# "unnamed: 0" is how pandas names a headerless index column, as in the wide daily tables.
_TEXT_TIME_COLUMNS = ("timestamp", "datetime", "date", "time", "unnamed: 0")
_QUANTITY = ("qty", "quantity", "size", "amount")


@dataclass(frozen=True)
class BarSeries:
    symbol: str
    timeframe: str
    bars: BarFrame


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        with duckdb.connect() as db:
            return db.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        first = handle.readline()
    skip = 0 if re.search(r"(^|[,:])(open|price)\b", first, re.I) else 1
    return pd.read_csv(path, skiprows=skip)


def _times_ms(frame: pd.DataFrame, path: Path) -> np.ndarray:
    for column in _MS_COLUMNS:
        if column in frame.columns:
            return frame[column].to_numpy(dtype=np.int64)
    for column in _TEXT_TIME_COLUMNS:
        if column in frame.columns:
            text = frame[column].astype(str).str.replace(r"(\d{2})-(AM|PM)$", r"\1 \2", regex=True)
            parsed = pd.to_datetime(text, utc=True, format="mixed")
            return parsed.dt.as_unit("ms").astype("int64").to_numpy(dtype=np.int64)
    raise InvalidArgument("file", f"{path.name}: no time column (one of {', '.join(_MS_COLUMNS)}, timestamp, date)")


def _infer_timeframe(times_ms: np.ndarray, path: Path) -> str:
    steps = np.diff(np.unique(times_ms))
    if len(steps) == 0:
        raise InvalidArgument("timeframe", f"{path.name}: cannot infer the timeframe from one bar; pass it")
    step = int(np.min(steps))
    for timeframe in TIMEFRAMES:
        if timeframe_ms(timeframe) == step:
            return timeframe
    raise InvalidArgument("timeframe", f"{path.name}: bar spacing of {step} ms is not a supported timeframe")


def _volume(frame: pd.DataFrame, prefix: str = "") -> np.ndarray:
    base = [c for c in frame.columns if c.startswith(f"{prefix}volume_") and c != f"{prefix}volume_usd"]
    column = base[0] if base else f"{prefix}volume"
    return frame[column].to_numpy(dtype=np.float64)


def read_bars(path: Path, symbol: str | None = None, timeframe: str | None = None) -> list[BarSeries]:
    """Every bar series in the file, sorted by time; `symbol` is required unless the file names assets."""
    frame = _read(path)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    times = _times_ms(frame, path)
    wide = sorted({c.split(":")[0] for c in frame.columns if ":" in c and not c.startswith("unnamed")})
    groups: list[tuple[str, str]] = [(f"{asset.upper()}/USD", f"{asset}:") for asset in wide] if wide else []
    if not groups:
        if symbol is None:
            raise InvalidArgument("symbol", f"{path.name} does not name its instrument; pass the symbol")
        groups = [(symbol, "")]
    result = []
    for name, prefix in groups:
        columns = {
            field: frame[f"{prefix}{field}"].to_numpy(dtype=np.float64) for field in ("open", "high", "low", "close")
        }
        volume = _volume(frame, prefix)
        present = ~np.isnan(columns["close"])
        order = np.argsort(times[present], kind="stable")
        bars = BarFrame.build(
            times[present][order],
            columns["open"][present][order],
            columns["high"][present][order],
            columns["low"][present][order],
            columns["close"][present][order],
            volume[present][order],
            [],
        )
        result.append(
            BarSeries(
                name if symbol is None or wide else symbol, timeframe or _infer_timeframe(bars.open_time_ms, path), bars
            )
        )
    return result


def read_trades(path: Path) -> TradeFrame:
    frame = _read(path)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    times = _times_ms(frame, path)
    id_column = "trade_id" if "trade_id" in frame.columns else "tid"
    quantity = next((c for c in _QUANTITY if c in frame.columns), None)
    if id_column not in frame.columns or quantity is None or "price" not in frame.columns:
        raise InvalidArgument("file", f"{path.name}: trades need an id, a price and a quantity column")
    sides = np.zeros(len(frame), dtype=np.int8)
    if "aggressor_side" in frame.columns:
        text = frame["aggressor_side"].astype(str).str.lower()
        sides[text.eq("buy").to_numpy()] = 1
        sides[text.eq("sell").to_numpy()] = 2
    order = np.argsort(times, kind="stable")
    return TradeFrame.build(
        times[order],
        frame[id_column].astype(str).to_numpy(dtype=object)[order],
        frame["price"].to_numpy(dtype=np.float64)[order],
        frame[quantity].to_numpy(dtype=np.float64)[order],
        sides[order],
        [],
    )
