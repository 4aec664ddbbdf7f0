"""Post-trade analytics and the pod lifecycle as one transport-neutral service over injected sources.

Sources are plain callables, as the auditor's are, so this orchestration knows nothing of gRPC
and is tested with fakes; the server wires them to the gateway, the federation and the lake.

Conventions:
- A window is [start, end) in UTC; no start is the beginning of the record, no end is now. The
  shortfall report selects orders by creation time (with all their fills), the fill-ratio report
  fills by fill time, the residual report daily returns by the start of their day.
- Opportunity cost values the unfilled part of an order at its symbol's current reference price,
  the end of the horizon, whether the order is still working or was cancelled: the gateway keeps
  no price for the moment an order ended. Rejected orders never reached the market, so they are
  no execution cost and are left out.
- Returns are daily returns on allocated capital from the federation's snapshots
  (`slipstream.optimizer.performance.collect_returns`); factors are the daily simple returns of
  BTC's and ETH's daily closes in the lake, as the lake knew them at the window's end.
- A ratio with nothing to divide by (bps of no notional) is reported as 0.
- Lifecycle evidence is each pod's residual return (alpha + residual of its BTC/ETH fit over its
  whole history); raw returns when the lake has no factor returns or the pod is too short for the
  fit, and the reason says so. The trials are the pods with at least `min_observations` days of
  evidence, and the trial Sharpe variance is the sample variance of their per-day Sharpe ratios.
  The execution review covers the last `execution_review_days`. A pod enters incubation when the
  service first sees it registered; a retired pod is not evaluated again.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from slipstream.analytics import inputs, lifecycle, residual, sharpe, shortfall
from slipstream.analytics.fills import IntentPolicy, check_execution_intent, liquidity_mix
from slipstream.analytics.lifecycle import LifecyclePolicy, Metrics, Override, Stage, StageCap, Transition
from slipstream.analytics.residual import FakeAlphaPolicy, ResidualFit
from slipstream.analytics.shortfall import ExecutionQuality, ExecutionReview, ExecutionReviewPolicy, QualityGrades
from slipstream.analytics.store import LifecycleRecord, LifecycleStore
from slipstream.core.clock import Clock
from slipstream.core.errors import FailedPrecondition, InvalidArgument, NotFound
from slipstream.core.model import ExecutionIntent, OrderSide
from slipstream.gateway.model import Fill, Order, OrderStatus
from slipstream.optimizer.performance import PerformanceHistory, PerformanceSettings, collect_returns

log = logging.getLogger(__name__)

DEFAULT_HIGH_SHORTFALL_COUNT = 20
MAX_HIGH_SHORTFALL_COUNT = 1000
DEFAULT_ROLLING_WINDOW_DAYS = 60
MAX_ROLLING_WINDOW_DAYS = 3650


@dataclass(frozen=True)
class AnalyticsPolicy:
    """Every threshold of the reports and the lifecycle; each class documents its own defaults."""

    grades: QualityGrades = QualityGrades()
    review: ExecutionReviewPolicy = ExecutionReviewPolicy()
    fake_alpha: FakeAlphaPolicy = FakeAlphaPolicy()
    intent: IntentPolicy = IntentPolicy()
    lifecycle: LifecyclePolicy = LifecyclePolicy()
    btc_symbol: str = "BTC/USD"
    eth_symbol: str = "ETH/USD"
    # Daily returns a residual fit needs, and a pod needs to count as a trial.
    min_observations: int = 30
    execution_review_days: int = 30

    def __post_init__(self) -> None:
        if self.min_observations < 4:
            raise InvalidArgument("policy.min_observations", f"must be >= 4, got {self.min_observations}")
        if self.execution_review_days < 1:
            raise InvalidArgument("policy.execution_review_days", f"must be >= 1, got {self.execution_review_days}")
        if not self.btc_symbol or not self.eth_symbol or self.btc_symbol == self.eth_symbol:
            raise InvalidArgument("policy.factors", "BTC's and ETH's symbols must be set and differ")

    @property
    def factor_symbols(self) -> list[str]:
        return [self.btc_symbol, self.eth_symbol]


@dataclass(frozen=True)
class AnalyticsSources:
    """What the service reads. Every callable may block: the servicer calls the service on worker threads.

    intents: the registered pods and their declared execution intent; orders, fills: a pod's
    records at the gateway; end_prices: the current reference price of each symbol on the pod's
    account; pod_snapshots: the named pods' snapshots (columns pod_id, observe_time, nav_usd,
    capital_allocation_usd); factor_returns: daily simple returns indexed by the UTC day's start,
    one column per symbol, as known at the given time (an empty frame when there are none).
    """

    intents: Callable[[], Mapping[str, ExecutionIntent]]
    orders: Callable[[str], Sequence[Order]]
    fills: Callable[[str], Sequence[Fill]]
    end_prices: Callable[[str], Mapping[str, Decimal]]
    pod_snapshots: Callable[[Sequence[str]], pd.DataFrame]
    factor_returns: Callable[[datetime], pd.DataFrame]


@dataclass(frozen=True)
class ShortfallFigures:
    order_count: int
    paper_notional_usd: float
    executed_notional_usd: float
    execution_cost_usd: float
    opportunity_cost_usd: float
    fees_usd: float
    total_cost_usd: float
    execution_cost_bps: float
    total_cost_bps: float


_FIGURE_COLUMNS = (
    "paper_notional_usd",
    "executed_notional_usd",
    "execution_cost_usd",
    "opportunity_cost_usd",
    "fees_usd",
    "total_cost_usd",
    "execution_cost_bps",
    "total_cost_bps",
)
NO_ORDERS = ShortfallFigures(0, *(0.0 for _ in _FIGURE_COLUMNS))


@dataclass(frozen=True)
class ShortfallGroup:
    symbol: str
    period_start: datetime
    figures: ShortfallFigures


@dataclass(frozen=True)
class ShortfallReport:
    pod_id: str
    total: ShortfallFigures
    groups: tuple[ShortfallGroup, ...]
    # Every grade, best first, with its order count.
    qualities: tuple[tuple[ExecutionQuality, int], ...]
    rewrite_execution: bool
    review_reason: str
    review_threshold_bps: float


@dataclass(frozen=True)
class OrderCost:
    order_id: str
    client_order_id: str
    symbol: str
    side: OrderSide
    decision_price: float
    # 0 when nothing filled.
    average_fill_price: float
    quantity: float
    filled_quantity: float
    figures: ShortfallFigures
    quality: ExecutionQuality
    decision_time: datetime


@dataclass(frozen=True)
class Loading:
    name: str
    coefficient: float
    standard_error: float
    t_statistic: float
    p_value: float


@dataclass(frozen=True)
class RollingBeta:
    end_time: datetime
    btc_beta: float
    eth_beta: float


@dataclass(frozen=True)
class ResidualSummary:
    pod_id: str
    observation_count: int
    hac_lag_count: int
    # Alpha first, then BTC and ETH.
    loadings: tuple[Loading, ...]
    alpha_annualized: float
    r_squared: float
    total_pnl_usd: float
    beta_pnl_usd: float
    alpha_pnl_usd: float
    rolling_betas: tuple[RollingBeta, ...]
    fake_alpha: bool
    fake_alpha_reason: str


@dataclass(frozen=True)
class LiquidityGroup:
    # Empty for the pod's total.
    symbol: str
    # None for the whole window.
    period_start: datetime | None
    fill_count: int
    maker_notional_usd: float
    taker_notional_usd: float
    taker_share: float


@dataclass(frozen=True)
class FillRatioReport:
    pod_id: str
    declared_intent: ExecutionIntent
    total: LiquidityGroup
    groups: tuple[LiquidityGroup, ...]
    process_failure: bool
    reason: str


@dataclass(frozen=True)
class PodLifecycle:
    """A pod's lifecycle as shown: `override` only while it holds."""

    pod_id: str
    stage: Stage
    stage_since: datetime
    override: Override | None
    metrics: Metrics | None
    last_reason: str
    cap: StageCap


@dataclass(frozen=True)
class Evaluation:
    transitions: tuple[Transition, ...]
    lifecycles: tuple[PodLifecycle, ...]


def daily_returns(open_time_ms: np.ndarray, close: np.ndarray) -> pd.Series:
    """Return the simple returns of daily closes, indexed by the UTC day's start.

    A day missing from the bars has no return, and neither has the day after it: that move spans
    two days and would pass for one.
    """
    days = pd.DatetimeIndex(pd.to_datetime(np.asarray(open_time_ms, dtype=np.int64), unit="ms", utc=True))
    closes = pd.Series(np.asarray(close, dtype=np.float64), index=days).sort_index()
    if closes.empty:
        return closes
    every_day = closes.reindex(pd.date_range(closes.index[0], closes.index[-1], freq="D"))
    return every_day / every_day.shift(1) - 1.0


@contextmanager
def _checked(what: str) -> Iterator[None]:
    # The core names a bad column of its frames; here the frames are our sources' records, not the
    # caller's input, so a failed check is the state of those records, not a bad request.
    try:
        yield
    except InvalidArgument as error:
        raise FailedPrecondition(f"{what} fail a check: {error}") from error


def _number(value: object) -> float:
    number = float(value)  # type: ignore[arg-type]
    return 0.0 if math.isnan(number) else number


def _figures(row: Mapping[str, Any], order_count: int) -> ShortfallFigures:
    return ShortfallFigures(order_count, *(_number(row[column]) for column in _FIGURE_COLUMNS))


def _timestamp(value: object) -> datetime:
    return pd.Timestamp(value).to_pydatetime()


def _inside(moment: datetime, start: datetime | None, end: datetime) -> bool:
    return (start is None or moment >= start) and moment < end


Indexed = TypeVar("Indexed", pd.Series, pd.DataFrame)


def _within(frame: Indexed, start: datetime | None, end: datetime) -> Indexed:
    index = frame.index
    keep = index < end if start is None else (index >= start) & (index < end)
    return frame[keep]


class AnalyticsService:
    def __init__(
        self, sources: AnalyticsSources, store: LifecycleStore, clock: Clock, policy: AnalyticsPolicy | None = None
    ) -> None:
        self.sources = sources
        self.store = store
        self.clock = clock
        self.policy = policy or AnalyticsPolicy()
        # Lifecycle changes are read-modify-write of the store; one at a time.
        self._lock = threading.Lock()

    # Input checks, in the order a request is read: the pod's name, the window, then whether the pod exists.

    def _window(self, start: datetime | None, end: datetime | None) -> tuple[datetime | None, datetime]:
        if end is None:
            end = self.clock.now()
            if start is not None and start >= end:
                raise InvalidArgument("window.start_time", "must be before now")
        elif start is not None and start >= end:
            raise InvalidArgument("window.end_time", "must be after window.start_time")
        return start, end

    @staticmethod
    def _named(pod_id: str) -> None:
        if not pod_id:
            raise InvalidArgument("pod_id", "must not be empty")

    def _intent(self, pod_id: str) -> ExecutionIntent:
        intents = self.sources.intents()
        if pod_id not in intents:
            raise NotFound(f"pod {pod_id!r} is not registered with the federation")
        return intents[pod_id]

    # Execution cost.

    def _order_costs(self, pod_id: str, start: datetime | None, end: datetime) -> tuple[pd.DataFrame, dict[str, Order]]:
        orders = {
            o.order_id: o
            for o in self.sources.orders(pod_id)
            if o.status is not OrderStatus.REJECTED and _inside(o.create_time, start, end)
        }
        fills = [f for f in self.sources.fills(pod_id) if f.order_id in orders]
        prices = self.sources.end_prices(pod_id) if orders else {}
        ends = {o.order_id: prices[o.request.symbol] for o in orders.values() if o.request.symbol in prices}
        with _checked(f"the gateway's records of pod {pod_id!r}"):
            per_order = shortfall.order_shortfall(
                inputs.orders_frame(orders.values(), ends), inputs.fills_frame(fills), self.policy.grades
            )
        return per_order, orders

    def shortfall_report(self, pod_id: str, start: datetime | None, end: datetime | None) -> ShortfallReport:
        """Return the pod's implementation shortfall over the orders created in the window."""
        self._named(pod_id)
        start, end = self._window(start, end)
        self._intent(pod_id)
        per_order, _ = self._order_costs(pod_id, start, end)
        grades = self.policy.grades
        totals = shortfall.aggregate_shortfall(per_order, by=("pod_id",), period=None, grades=grades)
        groups = shortfall.aggregate_shortfall(per_order, by=("symbol",), period="D", grades=grades)
        reviews = shortfall.review_execution(per_order, self.policy.review)
        counts = per_order["quality"].value_counts()
        return ShortfallReport(
            pod_id=pod_id,
            total=_figures(totals.iloc[0], int(totals["order_count"].iloc[0])) if len(totals) else NO_ORDERS,
            groups=tuple(
                ShortfallGroup(
                    str(row["symbol"]), _timestamp(row["period_start"]), _figures(row, int(row["order_count"]))
                )
                for row in groups.to_dict("records")
            ),
            qualities=tuple((quality, int(counts.get(quality.value, 0))) for quality in ExecutionQuality),
            rewrite_execution=bool(reviews and reviews[0].rewrite_execution),
            review_reason=reviews[0].reason if reviews else "no orders in the window",
            review_threshold_bps=self.policy.review.max_total_cost_bps,
        )

    def high_shortfall_orders(
        self, pod_id: str, start: datetime | None, end: datetime | None, max_count: int = 0, min_cost_bps: float = 0.0
    ) -> list[OrderCost]:
        """Return the pod's costliest orders in USD; `min_cost_bps` 0 means any positive cost."""
        self._named(pod_id)
        start, end = self._window(start, end)
        if not 0 <= max_count <= MAX_HIGH_SHORTFALL_COUNT:
            raise InvalidArgument("max_count", f"must be between 0 and {MAX_HIGH_SHORTFALL_COUNT}")
        if not math.isfinite(min_cost_bps):
            raise InvalidArgument("min_cost_bps", f"must be finite, got {min_cost_bps}")
        self._intent(pod_id)
        per_order, orders = self._order_costs(pod_id, start, end)
        top_n = max_count or DEFAULT_HIGH_SHORTFALL_COUNT
        if min_cost_bps == 0:
            top = shortfall.high_shortfall_orders(per_order[per_order["total_cost_usd"] > 0], top_n)
        else:
            top = shortfall.high_shortfall_orders(per_order, top_n, min_total_cost_bps=min_cost_bps)
        costs = []
        for row in top.to_dict("records"):
            order = orders[row["order_id"]]
            costs.append(
                OrderCost(
                    order_id=order.order_id,
                    client_order_id=order.request.client_order_id,
                    symbol=order.request.symbol,
                    side=order.request.side,
                    decision_price=float(row["decision_price"]),
                    average_fill_price=_number(row["average_fill_price"]),
                    quantity=float(row["quantity"]),
                    filled_quantity=float(row["filled_quantity"]),
                    figures=_figures(row, 1),
                    quality=ExecutionQuality(row["quality"]),
                    decision_time=order.request.decision_time,
                )
            )
        return costs

    # Alpha versus beta.

    def _history(self, pod_ids: Sequence[str]) -> PerformanceHistory | None:
        snapshots = self.sources.pod_snapshots(pod_ids)
        if snapshots.empty:
            return None
        with _checked("the federation's snapshots"):
            return collect_returns(snapshots, PerformanceSettings(min_observations=1))

    def _factors(self, as_of: datetime) -> pd.DataFrame | None:
        frame = self.sources.factor_returns(as_of)
        names = self.policy.factor_symbols
        if frame.empty or any(name not in frame.columns for name in names):
            return None
        return frame[names]

    def residual_report(
        self, pod_id: str, start: datetime | None, end: datetime | None, rolling_window_days: int = 0
    ) -> ResidualSummary:
        """Return the pod's alpha and betas to BTC and ETH over the window, its PnL split and the fake-alpha verdict."""
        self._named(pod_id)
        start, end = self._window(start, end)
        if rolling_window_days != 0 and not 4 <= rolling_window_days <= MAX_ROLLING_WINDOW_DAYS:
            raise InvalidArgument(
                "rolling_window_days",
                f"must be 0 ({DEFAULT_ROLLING_WINDOW_DAYS} days) or between 4 and {MAX_ROLLING_WINDOW_DAYS}",
            )
        self._intent(pod_id)
        history = self._history([pod_id])
        if history is None or pod_id not in history.returns.columns:
            raise FailedPrecondition(f"pod {pod_id!r} has no daily returns yet")
        returns = _within(history.returns[pod_id], start, end)
        factors = self._factors(min(end, self.clock.now()))
        if factors is None:
            raise FailedPrecondition(
                f"no daily returns of {' and '.join(self.policy.factor_symbols)} in the data lake to regress on"
            )
        factors = _within(factors, start, end)
        minimum = self.policy.min_observations
        with _checked("the returns"):
            fit = residual.fit_residuals(returns.to_frame(pod_id), factors, min_observations=minimum).fits.get(pod_id)
            if fit is None:
                raise FailedPrecondition(
                    f"pod {pod_id!r} has too short a history: fewer than {minimum} daily returns with factor "
                    "returns in the window"
                )
            rolling = residual.rolling_betas(returns, factors, rolling_window_days or DEFAULT_ROLLING_WINDOW_DAYS)
            attribution = residual.attribute_pnl(fit, returns, factors, history.capital_usd[pod_id])
        verdict = residual.fake_alpha(fit, self.policy.fake_alpha)
        return ResidualSummary(
            pod_id=pod_id,
            observation_count=fit.observation_count,
            hac_lag_count=fit.maxlags,
            loadings=_loadings(fit),
            alpha_annualized=fit.alpha_annualized,
            r_squared=fit.r_squared,
            total_pnl_usd=attribution.total_pnl_usd,
            beta_pnl_usd=attribution.beta_pnl_usd,
            alpha_pnl_usd=attribution.alpha_pnl_usd,
            rolling_betas=tuple(
                RollingBeta(_timestamp(day), float(row[self.policy.btc_symbol]), float(row[self.policy.eth_symbol]))
                for day, row in rolling.iterrows()
            ),
            fake_alpha=verdict.flagged,
            fake_alpha_reason=verdict.reason,
        )

    # Process against intent.

    def fill_ratio_report(self, pod_id: str, start: datetime | None, end: datetime | None) -> FillRatioReport:
        """Return the pod's maker/taker mix over the fills in the window against its declared intent."""
        self._named(pod_id)
        start, end = self._window(start, end)
        intent = self._intent(pod_id)
        fills = inputs.fills_frame(f for f in self.sources.fills(pod_id) if _inside(f.fill_time, start, end))
        with _checked(f"the gateway's fills of pod {pod_id!r}"):
            total = liquidity_mix(fills, by=("pod_id",), period=None)
            per_symbol = liquidity_mix(fills, by=("symbol",), period=None)
            per_day = liquidity_mix(fills, by=("symbol",), period="D")
            checks = check_execution_intent(fills, {pod_id: intent}, self.policy.intent)
        return FillRatioReport(
            pod_id=pod_id,
            declared_intent=intent,
            total=_mixes(total, by_symbol=False)[0] if len(total) else LiquidityGroup("", None, 0, 0.0, 0.0, 0.0),
            groups=(*_mixes(per_symbol, by_symbol=True), *_mixes(per_day, by_symbol=True)),
            process_failure=bool(checks and checks[0].process_failure),
            reason=checks[0].reason if checks else "no fills in the window",
        )

    # The lifecycle.

    def _view(self, record: LifecycleRecord, now: datetime) -> PodLifecycle:
        state = record.state
        override = state.override if state.override is not None and state.override.active(now) else None
        return PodLifecycle(
            pod_id=state.pod_id,
            stage=state.stage,
            stage_since=state.stage_since,
            override=override,
            metrics=record.metrics,
            last_reason=record.last_reason,
            cap=self.policy.lifecycle.caps.for_stage(state.stage),
        )

    def _admit(self, intents: Mapping[str, ExecutionIntent], now: datetime) -> dict[str, LifecycleRecord]:
        """Return every stored lifecycle by pod_id, after admitting registered pods seen for the first time."""
        records = self.store.records()
        admitted = [LifecycleRecord(lifecycle.PodState.incubating(p, now)) for p in sorted(set(intents) - set(records))]
        if admitted:
            self.store.save(admitted, [])
            records.update({r.state.pod_id: r for r in admitted})
        return dict(sorted(records.items()))

    def _known(self, pod_id: str, now: datetime) -> LifecycleRecord:
        self._named(pod_id)
        record = self._admit(self.sources.intents(), now).get(pod_id)
        if record is None:
            raise NotFound(f"pod {pod_id!r} is not registered with the federation and has no lifecycle")
        return record

    def list_lifecycles(self, pod_id: str | None = None) -> list[PodLifecycle]:
        """Return one pod's lifecycle, or every pod's by pod_id."""
        with self._lock:
            now = self.clock.now()
            if pod_id is not None:
                return [self._view(self._known(pod_id, now), now)]
            return [self._view(r, now) for r in self._admit(self.sources.intents(), now).values()]

    def history(self, pod_id: str) -> list[Transition]:
        """Return the pod's transitions, oldest first."""
        with self._lock:
            self._known(pod_id, self.clock.now())
            return self.store.history(pod_id)

    def override(
        self, pod_id: str, stage: Stage, requested_by: str, reason: str, expires_at: datetime | None = None
    ) -> Transition:
        """Force the pod's stage until lifted or `expires_at`, and record who and why."""
        with self._lock:
            now = self.clock.now()
            if expires_at is not None and expires_at <= now:
                raise InvalidArgument("expire_time", "must be in the future")
            record = self._known(pod_id, now)
            decision = lifecycle.force_stage(record.state, stage, requested_by, reason, now, expires_at)
            self.store.save([replace(record, state=decision.state)], list(decision.transitions))
            return decision.transitions[0]

    def lift(self, pod_id: str, requested_by: str, reason: str) -> Transition:
        """Lift the pod's override; evaluation resumes from the forced stage."""
        with self._lock:
            now = self.clock.now()
            record = self._known(pod_id, now)
            decision = lifecycle.lift_override(record.state, requested_by, reason, now)
            self.store.save([replace(record, state=decision.state)], list(decision.transitions))
            return decision.transitions[0]

    def evaluate_lifecycles(self, requested_by: str) -> Evaluation:
        """Evaluate every registered pod on fresh evidence and record what changed, all in one commit."""
        if not requested_by.strip():
            raise InvalidArgument("requested_by", "must not be empty")
        with self._lock:
            now = self.clock.now()
            intents = self.sources.intents()
            records = self._admit(intents, now)
            pods = sorted(intents)
            evidence, notes = self._evidence(pods, records, now)
            saved: list[LifecycleRecord] = []
            transitions: list[Transition] = []
            for pod_id in pods:
                record = records[pod_id]
                # Retirement is terminal: the evidence that retired a pod stays its last word.
                if record.state.stage is Stage.RETIREMENT:
                    continue
                decision = lifecycle.evaluate(record.state, evidence[pod_id], now, self.policy.lifecycle)
                note = notes.get(pod_id, "")
                moved = [
                    replace(t, reason=f"{t.reason} ({note})") if note and t.actor == lifecycle.LIFECYCLE_ACTOR else t
                    for t in decision.transitions
                ]
                reason = f"{decision.reason} ({note})" if note else decision.reason
                records[pod_id] = LifecycleRecord(decision.state, decision.metrics, reason)
                saved.append(records[pod_id])
                transitions.extend(moved)
            self.store.save(saved, transitions)
            # Transitions name their rule's actor ("lifecycle"); who asked for the evaluation goes to the log.
            log.info(
                "lifecycle evaluation requested by %s: %d pods, %d transitions",
                requested_by,
                len(pods),
                len(transitions),
            )
            return Evaluation(tuple(transitions), tuple(self._view(records[p], now) for p in pods))

    def _evidence(
        self, pods: list[str], records: Mapping[str, LifecycleRecord], now: datetime
    ) -> tuple[dict[str, lifecycle.PodEvidence], dict[str, str]]:
        history = self._history(pods)
        returns = history.returns if history is not None else pd.DataFrame()
        factors = self._factors(now)
        fits: Mapping[str, ResidualFit] = {}
        alpha = pd.DataFrame()
        if factors is not None and not returns.columns.empty:
            with _checked("the returns"):
                fitted = residual.fit_residuals(returns, factors, min_observations=self.policy.min_observations)
            fits, alpha = fitted.fits, fitted.alpha_returns
        series: dict[str, pd.Series] = {}
        notes: dict[str, str] = {}
        for pod_id in pods:
            if pod_id in fits:
                series[pod_id] = alpha[pod_id].dropna()
                continue
            series[pod_id] = returns[pod_id].dropna() if pod_id in returns.columns else pd.Series(dtype=np.float64)
            if not series[pod_id].empty:
                notes[pod_id] = (
                    f"raw returns: no daily returns of {' and '.join(self.policy.factor_symbols)} in the data lake"
                    if factors is None
                    else f"raw returns: fewer than {self.policy.min_observations} days with factor returns to fit"
                )
        trial_count, trial_variance = self._trials(series.values())
        evidence = {}
        for pod_id in pods:
            if records[pod_id].state.stage is Stage.RETIREMENT:
                continue
            fit = fits.get(pod_id)
            evidence[pod_id] = lifecycle.PodEvidence(
                residual_returns=series[pod_id].to_numpy(dtype=np.float64),
                trial_count=trial_count,
                trial_sharpe_variance=trial_variance,
                fake_alpha=residual.fake_alpha(fit, self.policy.fake_alpha) if fit is not None else None,
                execution=self._review(pod_id, now),
            )
        return evidence, notes

    def _trials(self, series: Iterable[pd.Series]) -> tuple[int, float]:
        ratios = []
        for returns in series:
            if len(returns) < self.policy.min_observations:
                continue
            try:
                ratios.append(sharpe.return_moments(returns.to_numpy(dtype=np.float64)).sharpe)
            except InvalidArgument:
                continue  # a constant series has no Sharpe ratio to count
        variance = float(np.var(ratios, ddof=1)) if len(ratios) >= 2 else 0.0
        return max(1, len(ratios)), variance

    def _review(self, pod_id: str, now: datetime) -> ExecutionReview | None:
        per_order, _ = self._order_costs(pod_id, now - timedelta(days=self.policy.execution_review_days), now)
        reviews = shortfall.review_execution(per_order, self.policy.review)
        return reviews[0] if reviews else None


def _loadings(fit: ResidualFit) -> tuple[Loading, ...]:
    # ResidualFit keeps t-statistics, not errors: t = coefficient / error gives the error back.
    rows = [("alpha", fit.alpha_daily, fit.alpha_se, fit.alpha_t, fit.alpha_p)]
    rows += list(zip(fit.factors, fit.betas, fit.beta_ses, fit.beta_ts, fit.beta_ps, strict=True))
    return tuple(Loading(*row) for row in rows)


def _mixes(frame: pd.DataFrame, by_symbol: bool) -> list[LiquidityGroup]:
    return [
        LiquidityGroup(
            symbol=str(row["symbol"]) if by_symbol else "",
            period_start=_timestamp(row["period_start"]) if "period_start" in row else None,
            fill_count=int(row["fill_count"]),
            maker_notional_usd=float(row["maker_notional_usd"]),
            taker_notional_usd=float(row["taker_notional_usd"]),
            taker_share=float(row["taker_share"]),
        )
        for row in frame.to_dict("records")
    ]
