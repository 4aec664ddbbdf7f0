"""The column layout of orders and fills for the analytics, and the checks every report runs on them.

Reports take pandas frames rather than lists of dataclasses because a million fills must be
costed in well under a second, which needs columns; `orders_frame` and `fills_frame` build the
frames from the gateway's records. Bad data fails loudly, naming the column: a cost report
computed over a NaN price or a negative quantity is worse than none.

Orders: order_id, pod_id, symbol, side ("buy"/"sell" or OrderSide), quantity (ordered),
decision_price, decision_time, end_price (the reference price when the order ended or was
cancelled; needed only while part of the order is unfilled).
Fills: fill_id, order_id, pod_id, symbol, quantity, price, fee_usd (positive = paid, negative =
rebate), liquidity ("maker"/"taker" or Liquidity), fill_time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from slipstream.core.errors import InvalidArgument
from slipstream.core.model import OrderSide
from slipstream.gateway.model import Fill, Liquidity, Order

ORDER_COLUMNS = (
    "order_id",
    "pod_id",
    "symbol",
    "side",
    "quantity",
    "decision_price",
    "decision_time",
    "end_price",
)
FILL_COLUMNS = ("fill_id", "order_id", "pod_id", "symbol", "quantity", "price", "fee_usd", "liquidity", "fill_time")

_SIDE_SIGNS: dict[object, int] = {"buy": 1, "sell": -1, OrderSide.BUY: 1, OrderSide.SELL: -1}
_IS_TAKER: dict[object, bool] = {"maker": False, "taker": True, Liquidity.MAKER: False, Liquidity.TAKER: True}


def orders_frame(orders: Iterable[Order], end_prices: Mapping[str, Decimal | float] | None = None) -> pd.DataFrame:
    """Return the gateway's orders as an orders frame; `end_prices` maps order_id to its end-of-horizon price."""
    ends = end_prices or {}
    rows = [
        (
            order.order_id,
            order.pod_id,
            order.request.symbol,
            order.request.side.value,
            float(order.request.quantity),
            float(order.request.decision_price),
            order.request.decision_time,
            float(ends[order.order_id]) if order.order_id in ends else np.nan,
        )
        for order in orders
    ]
    frame = pd.DataFrame(rows, columns=list(ORDER_COLUMNS))
    frame["decision_time"] = pd.to_datetime(frame["decision_time"], utc=True)
    return frame


def fills_frame(fills: Iterable[Fill]) -> pd.DataFrame:
    """Return the gateway's fills as a fills frame."""
    rows = [
        (
            fill.fill_id,
            fill.order_id,
            fill.pod_id,
            fill.symbol,
            float(fill.quantity),
            float(fill.price),
            float(fill.fee_usd),
            fill.liquidity.value,
            fill.fill_time,
        )
        for fill in fills
    ]
    frame = pd.DataFrame(rows, columns=list(FILL_COLUMNS))
    frame["fill_time"] = pd.to_datetime(frame["fill_time"], utc=True)
    return frame


def require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Raise InvalidArgument naming the frame when any of `columns` is missing."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise InvalidArgument(name, f"missing columns {missing}")


def _first_bad(ids: pd.Series, bad: np.ndarray) -> object:
    return ids.iloc[int(np.flatnonzero(bad)[0])]


def floats(
    frame: pd.DataFrame, column: str, name: str, id_column: str, positive: bool, missing_ok: bool = False
) -> np.ndarray:
    """Return the column as float64, raising InvalidArgument on NaN (unless `missing_ok`), infinity or
    (if `positive`) values <= 0."""
    try:
        values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise InvalidArgument(f"{name}.{column}", f"must be numeric: {error}") from error
    finite = np.isfinite(values) | (missing_ok & np.isnan(values))
    if not finite.all():
        bad_id = _first_bad(frame[id_column], ~finite)
        raise InvalidArgument(f"{name}.{column}", f"must be finite; {id_column} {bad_id!r} has {values[~finite][0]}")
    not_positive = values <= 0
    if positive and not_positive.any():
        bad_id = _first_bad(frame[id_column], not_positive)
        raise InvalidArgument(f"{name}.{column}", f"must be > 0; {id_column} {bad_id!r} has {values[not_positive][0]}")
    return values


def _lookup(frame: pd.DataFrame, column: str, table: dict[object, Any], name: str, id_column: str) -> np.ndarray:
    # Factorise first: a column of a million strings has two distinct values, so look those up, not each row.
    codes, uniques = pd.factorize(frame[column])
    # Code -1 (a missing value) picks the appended sentinel: unknown, value 0.
    known = np.array([value in table for value in uniques] + [False], dtype=bool)
    unknown = ~known[codes]
    if unknown.any():
        bad = frame[column].to_numpy()[unknown][0]
        allowed = " or ".join(repr(key) for key in table if isinstance(key, str))
        raise InvalidArgument(
            f"{name}.{column}", f"must be {allowed}; {id_column} {_first_bad(frame[id_column], unknown)!r} has {bad!r}"
        )
    return np.array([table[value] for value in uniques] + [0])[codes]


def side_signs(frame: pd.DataFrame, name: str, id_column: str) -> np.ndarray:
    """Return +1 for buys and -1 for sells, raising InvalidArgument on any other side."""
    return _lookup(frame, "side", _SIDE_SIGNS, name, id_column).astype(np.int8)


def taker_flags(frame: pd.DataFrame, name: str, id_column: str) -> np.ndarray:
    """Return True where a fill took liquidity, raising InvalidArgument on anything but maker or taker."""
    return _lookup(frame, "liquidity", _IS_TAKER, name, id_column).astype(bool)


def utc_times(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    """Return the column as UTC timestamps (naive values count as UTC), raising InvalidArgument on gaps."""
    try:
        times = pd.to_datetime(frame[column], utc=True)
    except (TypeError, ValueError) as error:
        raise InvalidArgument(f"{name}.{column}", f"must be timestamps: {error}") from error
    if times.isna().any():
        raise InvalidArgument(f"{name}.{column}", "must not be empty")
    return times


def period_starts(times: pd.Series, period: str) -> pd.Series:
    """Return the UTC start of the calendar period (pandas alias: "D", "W", "M" ...) holding each time."""
    try:
        starts = times.dt.tz_localize(None).dt.to_period(period).dt.start_time
    except (TypeError, ValueError) as error:
        raise InvalidArgument("period", f"must be a pandas period alias such as 'D', 'W' or 'M': {error}") from error
    return starts.dt.tz_localize("UTC")


def unique_fills(fills: pd.DataFrame) -> pd.DataFrame:
    """Return the fills with replayed copies dropped, so a report run twice over a replay never counts one twice.

    A fill id recorded twice with different values is corrupt data, not a replay, and raises.
    """
    if fills["fill_id"].isna().any():
        raise InvalidArgument("fills.fill_id", "must not be empty")
    if not fills["fill_id"].duplicated().any():
        return fills
    distinct = fills.drop_duplicates()
    conflicting = distinct["fill_id"].duplicated()
    if conflicting.any():
        fill_id = distinct["fill_id"][conflicting].iloc[0]
        raise InvalidArgument("fills.fill_id", f"fill {fill_id!r} is recorded twice with different values")
    return distinct
