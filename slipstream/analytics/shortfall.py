"""Implementation shortfall (Perold 1988): what executing an order cost against the price at which it was decided.

Signs: positive is a cost. A buy filled above its decision price, or a sell filled below it,
costs; price improvement is a negative cost, not a failure. Per order, with side = +1 for a buy
and -1 for a sell:

- execution cost = side x (average fill price - decision price) x filled quantity, where the
  average fill price is volume-weighted over the order's fills; in bps of the filled quantity's
  notional at the decision price, that is side x (average fill - decision) / decision;
- opportunity cost = side x (end price - decision price) x unfilled quantity: what the part never
  traded would cost now. The caller supplies the end price (reference price when the order ended
  or was cancelled, or the end of the horizon for an order still working);
- fees as booked (a maker rebate is a negative fee), reported separately;
- total = execution + opportunity + fees, in bps of the whole order's notional at the decision
  price (Perold's paper portfolio). Quality grades and the pod-level review apply to this total.

Fills are matched to orders by order_id and deduplicated by fill_id, so a report run over a
replayed feed never counts a fill twice; rows come out sorted by order_id, so the same data
gives the same report whatever order it arrived in.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from slipstream.analytics import inputs
from slipstream.core.errors import InvalidArgument

BPS = 1e4
# Fill quantities are summed in floating point: 0.1 + 0.2 must still fill an order of 0.3.
_QUANTITY_TOLERANCE = 1e-9

_COST_COLUMNS = [
    "paper_notional_usd",
    "executed_notional_usd",
    "execution_cost_usd",
    "opportunity_cost_usd",
    "fees_usd",
    "total_cost_usd",
]


class ExecutionQuality(enum.Enum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    VERY_POOR = "very_poor"


_GRADES_IN_ORDER = np.array([quality.value for quality in ExecutionQuality], dtype=object)


@dataclass(frozen=True)
class QualityGrades:
    """Inclusive upper bounds, in bps of total shortfall, of each grade; above `poor_max_bps` is very poor.

    Defaults: excellent <= 0 (at or better than the decision price, fees included), good <= 5
    (about one spread crossing on a liquid perpetual), fair <= 15, poor <= 50, very poor above.
    """

    excellent_max_bps: float = 0.0
    good_max_bps: float = 5.0
    fair_max_bps: float = 15.0
    poor_max_bps: float = 50.0

    def __post_init__(self) -> None:
        bounds = self._bounds()
        names = ("excellent_max_bps", "good_max_bps", "fair_max_bps", "poor_max_bps")
        for name, value in zip(names, bounds, strict=True):
            if not math.isfinite(value):
                raise InvalidArgument(f"grades.{name}", f"must be finite, got {value}")
        if any(later <= earlier for earlier, later in zip(bounds[:-1], bounds[1:], strict=True)):
            raise InvalidArgument("grades", f"bounds must increase strictly, got {bounds}")

    def _bounds(self) -> tuple[float, float, float, float]:
        return (self.excellent_max_bps, self.good_max_bps, self.fair_max_bps, self.poor_max_bps)

    def classify(self, cost_bps: float) -> ExecutionQuality:
        """Return the grade of one shortfall in bps."""
        return ExecutionQuality(self.classify_many(np.array([cost_bps]))[0])

    def classify_many(self, cost_bps: np.ndarray) -> np.ndarray:
        """Return the grade value ("excellent" ... "very_poor") of each shortfall in bps."""
        if np.isnan(cost_bps).any():
            raise InvalidArgument("cost_bps", "must not be NaN")
        return _GRADES_IN_ORDER[np.searchsorted(np.array(self._bounds()), cost_bps, side="left")]


def _unique_orders(orders: pd.DataFrame) -> pd.DataFrame:
    if orders["order_id"].isna().any():
        raise InvalidArgument("orders.order_id", "must not be empty")
    if orders["order_id"].is_unique:
        return orders
    distinct = orders.drop_duplicates()
    conflicting = distinct["order_id"].duplicated()
    if conflicting.any():
        order_id = distinct["order_id"][conflicting].iloc[0]
        raise InvalidArgument("orders.order_id", f"order {order_id!r} is recorded twice with different values")
    return distinct


def order_shortfall(orders: pd.DataFrame, fills: pd.DataFrame, grades: QualityGrades | None = None) -> pd.DataFrame:
    """Return one row per order with its execution, opportunity, fee and total cost in USD and bps.

    Columns: order_id, pod_id, symbol, side, decision_time, quantity, filled_quantity,
    unfilled_quantity, fill_count, decision_price, average_fill_price (NaN without fills),
    end_price, paper_notional_usd, executed_notional_usd, execution_cost_usd, execution_cost_bps
    (NaN without fills), opportunity_cost_usd, opportunity_cost_bps (NaN when fully filled),
    fees_usd, fees_bps (NaN without fills), total_cost_usd, total_cost_bps, quality.
    """
    grades = grades or QualityGrades()
    inputs.require_columns(orders, inputs.ORDER_COLUMNS, "orders")
    inputs.require_columns(fills, ("fill_id", "order_id", "quantity", "price", "fee_usd"), "fills")
    orders = _unique_orders(orders).sort_values("order_id", kind="stable", ignore_index=True)
    fills = inputs.unique_fills(fills)

    quantity = inputs.floats(orders, "quantity", "orders", "order_id", positive=True)
    decision = inputs.floats(orders, "decision_price", "orders", "order_id", positive=True)
    side = inputs.side_signs(orders, "orders", "order_id").astype(np.float64)
    decision_time = inputs.utc_times(orders, "decision_time", "orders")
    fill_quantity = inputs.floats(fills, "quantity", "fills", "fill_id", positive=True)
    fill_price = inputs.floats(fills, "price", "fills", "fill_id", positive=True)
    fill_fee = inputs.floats(fills, "fee_usd", "fills", "fill_id", positive=False)

    codes, order_ids = pd.factorize(fills["order_id"])
    if (codes < 0).any():
        raise InvalidArgument("fills.order_id", "must not be empty")
    positions = pd.Index(orders["order_id"]).get_indexer(order_ids)
    if (positions < 0).any():
        raise InvalidArgument("fills.order_id", f"fill of unknown order {order_ids[positions < 0][0]!r}")
    owner = positions[codes]
    count = len(orders)
    filled = np.bincount(owner, weights=fill_quantity, minlength=count)
    traded_value = np.bincount(owner, weights=fill_quantity * fill_price, minlength=count)
    fees = np.bincount(owner, weights=fill_fee, minlength=count)
    fill_count = np.bincount(owner, minlength=count)

    overfilled = filled > quantity * (1 + _QUANTITY_TOLERANCE)
    if overfilled.any():
        order_id = orders["order_id"].iloc[int(np.flatnonzero(overfilled)[0])]
        raise InvalidArgument("fills.quantity", f"fills of order {order_id!r} exceed its quantity")
    unfilled = quantity - filled
    unfilled[unfilled <= quantity * _QUANTITY_TOLERANCE] = 0.0
    has_fills = filled > 0
    working = unfilled > 0

    end = inputs.floats(orders, "end_price", "orders", "order_id", positive=True, missing_ok=True)
    bad_end = working & np.isnan(end)
    if bad_end.any():
        order_id = orders["order_id"].iloc[int(np.flatnonzero(bad_end)[0])]
        raise InvalidArgument("orders.end_price", f"is required while part of an order is unfilled; order {order_id!r}")

    with np.errstate(divide="ignore", invalid="ignore"):
        average = np.where(has_fills, traded_value / filled, np.nan)
        executed_notional = decision * filled
        execution_usd = side * (traded_value - executed_notional)
        execution_bps = np.where(has_fills, execution_usd / executed_notional * BPS, np.nan)
        opportunity_usd = np.where(working, side * (end - decision) * unfilled, 0.0)
        opportunity_bps = np.where(working, side * (end - decision) / decision * BPS, np.nan)
        fees_bps = np.where(has_fills, fees / executed_notional * BPS, np.nan)
    paper_notional = decision * quantity
    total_usd = execution_usd + opportunity_usd + fees
    total_bps = total_usd / paper_notional * BPS

    return pd.DataFrame(
        {
            "order_id": orders["order_id"],
            "pod_id": orders["pod_id"],
            "symbol": orders["symbol"],
            "side": np.where(side > 0, "buy", "sell"),
            "decision_time": decision_time,
            "quantity": quantity,
            "filled_quantity": filled,
            "unfilled_quantity": unfilled,
            "fill_count": fill_count,
            "decision_price": decision,
            "average_fill_price": average,
            "end_price": end,
            "paper_notional_usd": paper_notional,
            "executed_notional_usd": executed_notional,
            "execution_cost_usd": execution_usd,
            "execution_cost_bps": execution_bps,
            "opportunity_cost_usd": opportunity_usd,
            "opportunity_cost_bps": opportunity_bps,
            "fees_usd": fees,
            "fees_bps": fees_bps,
            "total_cost_usd": total_usd,
            "total_cost_bps": total_bps,
            "quality": grades.classify_many(total_bps),
        }
    )


def aggregate_shortfall(
    per_order: pd.DataFrame,
    by: Sequence[str] = ("pod_id", "symbol"),
    period: str | None = "D",
    grades: QualityGrades | None = None,
) -> pd.DataFrame:
    """Return costs summed per group (and per calendar period of the decision time, UTC) with weighted bps.

    The bps are notional-weighted averages of the orders' bps, i.e. summed USD over summed
    notional: execution_cost_bps over executed notional (NaN for a group without fills),
    total_cost_bps over paper notional. `period` is a pandas period alias ("D", "W", "M") or
    None for the whole span.
    """
    grades = grades or QualityGrades()
    keys = list(by)
    inputs.require_columns(per_order, keys, "per_order")
    frame = per_order
    if period is not None:
        frame = frame.assign(period_start=inputs.period_starts(frame["decision_time"], period))
        keys.append("period_start")
    if not keys:
        raise InvalidArgument("by", "must name at least one column, or give a period")
    groups = frame.groupby(keys, sort=True)
    sums = groups[_COST_COLUMNS].sum()
    sums.insert(0, "order_count", groups.size())
    with np.errstate(divide="ignore", invalid="ignore"):
        executed = sums["executed_notional_usd"].to_numpy()
        sums["execution_cost_bps"] = np.where(executed > 0, sums["execution_cost_usd"] / executed * BPS, np.nan)
    sums["total_cost_bps"] = sums["total_cost_usd"] / sums["paper_notional_usd"] * BPS
    sums["quality"] = grades.classify_many(sums["total_cost_bps"].to_numpy())
    return sums.reset_index()


def high_shortfall_orders(
    per_order: pd.DataFrame, top_n: int | None = 20, min_total_cost_bps: float | None = None
) -> pd.DataFrame:
    """Return the costliest orders by total USD cost (ties by order_id), optionally only those above a bps bar."""
    if top_n is not None and top_n < 1:
        raise InvalidArgument("top_n", f"must be >= 1, got {top_n}")
    if min_total_cost_bps is not None and not math.isfinite(min_total_cost_bps):
        raise InvalidArgument("min_total_cost_bps", f"must be finite, got {min_total_cost_bps}")
    frame = per_order
    if min_total_cost_bps is not None:
        frame = frame[frame["total_cost_bps"] >= min_total_cost_bps]
    frame = frame.sort_values(["total_cost_usd", "order_id"], ascending=[False, True], kind="stable")
    if top_n is not None:
        frame = frame.head(top_n)
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class ExecutionReviewPolicy:
    """When a pod's costs say "rewrite the execution, not the alpha".

    Defaults: notional-weighted total shortfall above 15 bps (worse than the "fair" grade) over
    at least 30 orders and USD 50,000 of paper notional, so a handful of unlucky orders in a
    fast market cannot condemn an execution.
    """

    max_total_cost_bps: float = 15.0
    min_order_count: int = 30
    min_paper_notional_usd: float = 50_000.0

    def __post_init__(self) -> None:
        if not math.isfinite(self.max_total_cost_bps):
            raise InvalidArgument("policy.max_total_cost_bps", f"must be finite, got {self.max_total_cost_bps}")
        if self.min_order_count < 1:
            raise InvalidArgument("policy.min_order_count", f"must be >= 1, got {self.min_order_count}")
        if not self.min_paper_notional_usd >= 0:
            raise InvalidArgument("policy.min_paper_notional_usd", "must be >= 0")


@dataclass(frozen=True)
class ExecutionReview:
    pod_id: str
    order_count: int
    paper_notional_usd: float
    total_cost_usd: float
    total_cost_bps: float
    sufficient_sample: bool
    rewrite_execution: bool
    reason: str


def review_execution(per_order: pd.DataFrame, policy: ExecutionReviewPolicy | None = None) -> list[ExecutionReview]:
    """Return one review per pod (sorted by pod_id), flagging pods whose execution, not alpha, needs the work."""
    policy = policy or ExecutionReviewPolicy()
    pods = aggregate_shortfall(per_order, by=("pod_id",), period=None)
    reviews = []
    for row in pods.itertuples(index=False):
        order_count = int(row.order_count)
        notional = float(row.paper_notional_usd)
        bps = float(row.total_cost_bps)
        sufficient = order_count >= policy.min_order_count and notional >= policy.min_paper_notional_usd
        flagged = sufficient and bps > policy.max_total_cost_bps
        if not sufficient:
            reason = (
                f"too little to judge: {order_count} orders and USD {notional:,.0f} "
                f"(needs {policy.min_order_count} and USD {policy.min_paper_notional_usd:,.0f})"
            )
        elif flagged:
            reason = (
                f"shortfall {bps:.1f} bps over {order_count} orders exceeds {policy.max_total_cost_bps:g} bps: "
                "rewrite the execution, not the alpha"
            )
        else:
            reason = f"shortfall {bps:.1f} bps within {policy.max_total_cost_bps:g} bps"
        reviews.append(
            ExecutionReview(
                pod_id=str(row.pod_id),
                order_count=order_count,
                paper_notional_usd=notional,
                total_cost_usd=float(row.total_cost_usd),
                total_cost_bps=bps,
                sufficient_sample=sufficient,
                rewrite_execution=flagged,
                reason=reason,
            )
        )
    return reviews
