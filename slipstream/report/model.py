"""What the report shows, as plain data: no gRPC, no HTML.

`collect` fills it from the running services and `render` draws it, so each can be tested alone and a
report can be built by hand (tests, notebooks) without any service running. Money is USD, costs are
bps, shares are fractions in [0, 1], times are timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

# The charts, in the order the report shows them; each is a `<figure data-chart="...">`.
CHARTS = (
    "equity",
    "allocation",
    "correlation",
    "attribution",
    "shortfall",
    "grades",
    "fills",
    "slippage",
    "lifecycle",
)

# Shortfall grades from best to worst (analytics' ExecutionQuality).
GRADES = ("excellent", "good", "fair", "poor", "very_poor")

# Lifecycle stages in their order (common.proto LifecycleStage).
STAGES = ("incubation", "evaluation", "growth", "maturity", "retirement")


@dataclass(frozen=True)
class PodAttribution:
    """A pod's PnL split into market drift (beta to BTC and ETH) and what is left to skill (alpha)."""

    pod_id: str
    alpha_pnl_usd: float
    beta_pnl_usd: float
    fake_alpha: bool = False


@dataclass(frozen=True)
class PodShortfall:
    """A pod's implementation shortfall over all its orders; positive is a cost."""

    pod_id: str
    total_cost_bps: float
    total_cost_usd: float
    # Grade (one of GRADES) -> orders with that grade.
    order_count_by_grade: Mapping[str, int]
    rewrite_execution: bool = False


@dataclass(frozen=True)
class PodFillMix:
    """A pod's maker/taker mix by notional against the intent it declared."""

    pod_id: str
    maker_share: float
    taker_share: float
    declared_intent: str
    process_failure: bool
    fill_count: int
    notional_usd: float


@dataclass(frozen=True)
class SlippageCurve:
    """A symbol's expected slippage against order size (square-root law) and its capacity."""

    symbol: str
    # (order notional USD, expected slippage bps), by increasing size.
    points: tuple[tuple[float, float], ...]
    capacity_usd: float
    impact_budget_bps: float


@dataclass(frozen=True)
class LifecycleSpan:
    """A pod's time in one stage; `end` is None while it is still there."""

    pod_id: str
    stage: str
    start: datetime
    end: datetime | None
    reason: str


@dataclass(frozen=True)
class AlertRow:
    """One recent alert or halt, as a line of text."""

    time: datetime | None
    source: str
    pod_id: str
    severity: str
    text: str


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows. Empty fields leave their chart with a "no data" note, whose text
    `missing[chart]` explains when known (a service not configured, too short a history, ...)."""

    title: str
    subtitle: str
    generated_at: datetime
    # Pod -> NAV USD indexed by observation time (UTC DatetimeIndex, increasing).
    equity: Mapping[str, pd.Series] = field(default_factory=dict)
    # Cycle time (UTC DatetimeIndex, increasing) x pod -> capital USD granted by that cycle.
    allocations: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Pods' return correlation, N x N in [-1, 1], rows and columns in `correlation_labels` order.
    correlation: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    correlation_labels: tuple[str, ...] = ()
    attribution: tuple[PodAttribution, ...] = ()
    shortfall: tuple[PodShortfall, ...] = ()
    # Total cost above which analytics says "rewrite the execution", bps; None when unknown.
    shortfall_review_bps: float | None = None
    fill_mix: tuple[PodFillMix, ...] = ()
    slippage: tuple[SlippageCurve, ...] = ()
    lifecycle: tuple[LifecycleSpan, ...] = ()
    alerts: tuple[AlertRow, ...] = ()
    missing: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Refuse data a chart would silently misdraw: naive times, a misshapen matrix, infinities."""
        _aware(self.generated_at, "generated_at")
        for pod, series in self.equity.items():
            if series.empty:
                continue
            _aware_index(series.index, f"equity[{pod}]")
            _finite(series.dropna().to_numpy(dtype=float), f"equity[{pod}]")
        if not self.allocations.empty:
            _aware_index(self.allocations.index, "allocations")
            _finite(self.allocations.fillna(0.0).to_numpy(dtype=float), "allocations")
        n = len(self.correlation_labels)
        if self.correlation.shape != (n, n):
            raise ValueError(f"correlation is {self.correlation.shape}, labels need ({n}, {n})")
        numbers = [v for a in self.attribution for v in (a.alpha_pnl_usd, a.beta_pnl_usd)]
        numbers += [v for s in self.shortfall for v in (s.total_cost_bps, s.total_cost_usd)]
        numbers += [v for f in self.fill_mix for v in (f.maker_share, f.taker_share, f.notional_usd)]
        numbers += [v for c in self.slippage for point in c.points for v in point]
        numbers += [v for c in self.slippage for v in (c.capacity_usd, c.impact_budget_bps)]
        _finite(np.asarray(numbers, dtype=float), "attribution, shortfall, fill_mix or slippage")
        for span in self.lifecycle:
            _aware(span.start, f"lifecycle[{span.pod_id}].start")
            if span.end is not None:
                _aware(span.end, f"lifecycle[{span.pod_id}].end")


def _aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware")


def _aware_index(index: pd.Index, name: str) -> None:
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None or not index.is_monotonic_increasing:
        raise ValueError(f"{name} must be indexed by increasing timezone-aware times")


def _finite(values: np.ndarray, name: str) -> None:
    if not np.isfinite(values).all():
        raise ValueError(f"{name} holds a NaN or infinite value")
