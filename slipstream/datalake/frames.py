"""Columnar batches of bars and trades: the lake's unit of writing and reading.

Times are integers (open/trade time in ms, knowledge time in ns since the epoch, UTC) so a
batch is a handful of contiguous numpy arrays: cheap to validate, sort, slice and stream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

import numpy as np

from slipstream.core.errors import InvalidArgument

MS = 1_000_000  # nanoseconds per millisecond
_TIMEFRAME = re.compile(r"^(\d+)([mhdw])$")
_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
TIMEFRAMES = ("1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "1w")
SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/:._-]{0,63}$")


def timeframe_ms(timeframe: str, field: str = "timeframe") -> int:
    """Return the bar length in milliseconds of a ccxt timeframe such as "1m" or "4h"."""
    if timeframe not in TIMEFRAMES:
        raise InvalidArgument(field, f"unknown timeframe {timeframe[:16]!r}; one of {', '.join(TIMEFRAMES)}")
    match = _TIMEFRAME.match(timeframe)
    assert match is not None
    return int(match.group(1)) * _UNIT_MS[match.group(2)]


def validate_symbol(symbol: str, field: str = "symbol") -> str:
    if not SYMBOL.match(symbol):
        raise InvalidArgument(field, "must be 1-64 characters of [A-Za-z0-9/:._-], e.g. BTC/USDT")
    return symbol


@dataclass(frozen=True)
class BarFrame:
    open_time_ms: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    knowledge_time_ns: np.ndarray

    def __len__(self) -> int:
        return len(self.open_time_ms)

    @classmethod
    def build(
        cls,
        open_time_ms: object,
        open: object,
        high: object,
        low: object,
        close: object,
        volume: object,
        knowledge_time_ns: object,
    ) -> BarFrame:
        return cls(
            np.asarray(open_time_ms, dtype=np.int64),
            np.asarray(open, dtype=np.float64),
            np.asarray(high, dtype=np.float64),
            np.asarray(low, dtype=np.float64),
            np.asarray(close, dtype=np.float64),
            np.asarray(volume, dtype=np.float64),
            np.asarray(knowledge_time_ns, dtype=np.int64),
        )

    @classmethod
    def empty(cls) -> BarFrame:
        return cls.build([], [], [], [], [], [], [])

    def columns(self) -> dict[str, np.ndarray]:
        """The columns by name, as the store and the Parquet dataset hold them."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def take(self, index: np.ndarray | slice) -> BarFrame:
        return BarFrame(*(getattr(self, f.name)[index] for f in fields(self)))

    @staticmethod
    def concat(frames: list[BarFrame]) -> BarFrame:
        return BarFrame(*(np.concatenate([getattr(f, c.name) for f in frames]) for c in fields(BarFrame)))


@dataclass(frozen=True)
class TradeFrame:
    trade_time_ms: np.ndarray
    trade_id: np.ndarray  # object array of str
    price: np.ndarray
    quantity: np.ndarray
    side: np.ndarray  # int8: 0 unknown, 1 buy, 2 sell
    knowledge_time_ns: np.ndarray

    def __len__(self) -> int:
        return len(self.trade_time_ms)

    @classmethod
    def build(
        cls, trade_time_ms: object, trade_id: object, price: object, quantity: object, side: object, knowledge: object
    ) -> TradeFrame:
        return cls(
            np.asarray(trade_time_ms, dtype=np.int64),
            np.asarray(trade_id, dtype=object),
            np.asarray(price, dtype=np.float64),
            np.asarray(quantity, dtype=np.float64),
            np.asarray(side, dtype=np.int8),
            np.asarray(knowledge, dtype=np.int64),
        )

    @classmethod
    def empty(cls) -> TradeFrame:
        return cls.build([], [], [], [], [], [])

    def columns(self) -> dict[str, np.ndarray]:
        """The columns by name, as the store and the Parquet dataset hold them (ids as str)."""
        columns = {f.name: getattr(self, f.name) for f in fields(self)}
        columns["trade_id"] = self.trade_id.astype(str)
        return columns

    def take(self, index: np.ndarray | slice) -> TradeFrame:
        return TradeFrame(*(getattr(self, f.name)[index] for f in fields(self)))

    @staticmethod
    def concat(frames: list[TradeFrame]) -> TradeFrame:
        return TradeFrame(*(np.concatenate([getattr(f, c.name) for f in frames]) for c in fields(TradeFrame)))


def _first_bad(mask: np.ndarray) -> int | None:
    bad = np.flatnonzero(mask)
    return int(bad[0]) if len(bad) else None


def validate_bars(frame: BarFrame, step_ms: int, now_ns: int, path: str = "bars") -> None:
    """Refuse the whole batch at its first bad row, naming the row and the field."""
    n = len(frame)
    for name in ("open", "high", "low", "close", "volume", "knowledge_time_ns"):
        if len(getattr(frame, name)) != n:
            raise InvalidArgument(f"{path}.{name}", f"has {len(getattr(frame, name))} values for {n} bars")
    for name in ("open", "high", "low", "close", "volume"):
        row = _first_bad(~np.isfinite(getattr(frame, name)))
        if row is not None:
            raise InvalidArgument(f"{path}[{row}].{name}", f"must be finite, got {getattr(frame, name)[row]}")
    checks = [
        ("open_time_ms", frame.open_time_ms % step_ms != 0, f"must be aligned to the timeframe ({step_ms} ms)"),
        ("open_time_ms", frame.open_time_ms < 0, "must be >= 0"),
        # Before the checks below that multiply it: a far-future time would wrap around int64.
        ("open_time_ms", frame.open_time_ms > now_ns // MS, "must not be in the future"),
        ("high", frame.high < frame.low, "must be >= low"),
        ("low", frame.low <= 0, "must be > 0"),
        ("open", (frame.open < frame.low) | (frame.open > frame.high), "must lie within [low, high]"),
        ("close", (frame.close < frame.low) | (frame.close > frame.high), "must lie within [low, high]"),
        ("volume", frame.volume < 0, "must be >= 0"),
        ("knowledge_time_ns", frame.knowledge_time_ns > now_ns, "must not be in the future"),
        (
            "knowledge_time_ns",
            frame.knowledge_time_ns < (frame.open_time_ms + step_ms) * MS,
            "must not be before the bar closed (open time + timeframe)",
        ),
    ]
    _report(frame, checks, path)
    order = np.argsort(frame.open_time_ms, kind="stable")
    ordered = frame.open_time_ms[order]
    dup = _first_bad(ordered[1:] == ordered[:-1])
    if dup is not None:
        row = int(max(order[dup], order[dup + 1]))
        raise InvalidArgument(
            f"{path}[{row}].open_time_ms", f"duplicate open time {int(frame.open_time_ms[row])} in the batch"
        )


def _report(frame: BarFrame | TradeFrame, checks: list[tuple[str, np.ndarray, str]], path: str) -> None:
    first: tuple[int, str, str] | None = None
    for name, mask, problem in checks:
        row = _first_bad(mask)
        if row is not None and (first is None or row < first[0]):
            first = (row, name, problem)
    if first is not None:
        row, name, problem = first
        value = getattr(frame, name)[row]
        raise InvalidArgument(f"{path}[{row}].{name}", f"{problem}, got {value}")


def validate_trades(frame: TradeFrame, now_ns: int, path: str = "trades") -> None:
    """Refuse the whole batch at its first bad row, naming the row and the field."""
    n = len(frame)
    for name in ("trade_id", "price", "quantity", "side", "knowledge_time_ns"):
        if len(getattr(frame, name)) != n:
            raise InvalidArgument(f"{path}.{name}", f"has {len(getattr(frame, name))} values for {n} trades")
    for name in ("price", "quantity"):
        row = _first_bad(~np.isfinite(getattr(frame, name)))
        if row is not None:
            raise InvalidArgument(f"{path}[{row}].{name}", f"must be finite, got {getattr(frame, name)[row]}")
    bad_id = next((i for i, t in enumerate(frame.trade_id) if not isinstance(t, str) or not 1 <= len(t) <= 64), None)
    if bad_id is not None:
        raise InvalidArgument(f"{path}[{bad_id}].trade_id", "must be 1-64 characters")
    checks = [
        ("trade_time_ms", frame.trade_time_ms < 0, "must be >= 0"),
        # Before the check below that multiplies it: a far-future time would wrap around int64.
        ("trade_time_ms", frame.trade_time_ms > now_ns // MS, "must not be in the future"),
        ("price", frame.price <= 0, "must be > 0"),
        ("quantity", frame.quantity <= 0, "must be > 0"),
        ("side", (frame.side < 0) | (frame.side > 2), "must be a known TRADE_SIDE"),
        ("knowledge_time_ns", frame.knowledge_time_ns > now_ns, "must not be in the future"),
        ("knowledge_time_ns", frame.knowledge_time_ns < frame.trade_time_ms * MS, "must not be before the trade"),
    ]
    _report(frame, checks, path)
    seen: dict[str, int] = {}
    for row, trade_id in enumerate(frame.trade_id):
        if trade_id in seen:
            raise InvalidArgument(f"{path}[{row}].trade_id", f"duplicate trade id {trade_id!r} in the batch")
        seen[trade_id] = row
