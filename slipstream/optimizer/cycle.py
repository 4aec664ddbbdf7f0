"""One allocation cycle: snapshots → returns on capital → covariance → target weights → decay → capital.

The pods named in `constraints` are the universe; snapshots of other pods are ignored. Pods with
fewer than `performance.min_observations` returns within the last `lookback_periods` get no
target weight and are held at their current capital (clipped into their bounds): the covariance
of a pod we barely know would drive its weight more than its risk does. Decay multipliers from
`decay` tighten, never loosen, the ones the caller put in the constraints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.allocation import AllocationMethod, target_weights
from slipstream.optimizer.constraints import (
    Allocation,
    CapitalPolicy,
    PodConstraint,
    apply_constraints,
    capital_bounds,
)
from slipstream.optimizer.covariance import (
    CovarianceEstimate,
    CovarianceMethod,
    diversification_ratio,
    effective_number_of_bets,
    estimate_covariance,
    risk_contributions,
)
from slipstream.optimizer.decay import DecayAssessment, DecayPolicy, assess_decay
from slipstream.optimizer.performance import PerformanceHistory, PerformanceSettings, collect_returns
from slipstream.volatility.estimator import DAYS_PER_YEAR


@dataclass(frozen=True)
class CycleSettings:
    method: AllocationMethod = AllocationMethod.HRP
    estimator: CovarianceMethod = CovarianceMethod.LEDOIT_WOLF
    half_life_days: float = 60.0
    lookback_periods: int = 730
    linkage: str = "single"
    performance: PerformanceSettings = field(default_factory=PerformanceSettings)
    decay: DecayPolicy = field(default_factory=DecayPolicy)


@dataclass(frozen=True)
class PodStatistics:
    """A pod's figures within the lookback; None where the pod has too little history."""

    pod_id: str
    observation_count: int
    volatility_annualized: float | None
    sharpe_annualized: float | None
    risk_contribution: float | None
    decay_multiplier: float


@dataclass(frozen=True, eq=False)
class CycleResult:
    allocation: Allocation
    history: PerformanceHistory
    covariance: CovarianceEstimate | None
    target_weights: dict[str, float]
    statistics: tuple[PodStatistics, ...]
    decay: dict[str, DecayAssessment]
    effective_number_of_bets: float | None
    diversification_ratio: float | None


def run_allocation(
    snapshots: pd.DataFrame,
    constraints: Sequence[PodConstraint],
    policy: CapitalPolicy,
    settings: CycleSettings | None = None,
) -> CycleResult:
    """Allocate `policy.total_capital_usd` across the pods in `constraints` from their snapshots."""
    settings = settings or CycleSettings()
    if settings.lookback_periods < 2:
        raise InvalidArgument("settings.lookback_periods", f"must be >= 2, got {settings.lookback_periods}")
    history = collect_returns(snapshots, settings.performance)
    universe = [c.pod_id for c in constraints]
    window = history.returns.reindex(columns=[p for p in universe if p in history.returns.columns])
    window = window.iloc[-settings.lookback_periods :]
    counts = window.notna().sum()
    window = window.loc[:, counts >= settings.performance.min_observations]
    eligible = [str(p) for p in window.columns]
    known = set(eligible)
    held_reasons = {
        pod: f"insufficient history ({int(history.observation_count.get(pod, 0))} returns,"
        f" {settings.performance.min_observations} needed)"
        for pod in universe
        if pod not in known
    }

    estimate = None
    weights: dict[str, float] = {}
    decay = assess_decay(window, settings.decay) if eligible else {}
    constraints = [_with_decay(c, decay.get(c.pod_id)) for c in constraints]
    if eligible:
        estimate = estimate_covariance(window, settings.estimator, half_life_days=settings.half_life_days)
        bounds = None
        if settings.method is AllocationMethod.MAX_DIVERSIFICATION:
            bounds = _weight_bounds(constraints, eligible, policy)
        raw = target_weights(
            estimate.covariance.to_numpy(),
            settings.method,
            lower=bounds[0] if bounds else None,
            upper=bounds[1] if bounds else None,
            linkage=settings.linkage,
        )
        weights = {pod: float(w) for pod, w in zip(eligible, raw, strict=True)}
    allocation = apply_constraints(
        constraints, weights, policy, method=settings.method.value, held_reasons=held_reasons
    )

    capital = allocation.capital_by_pod()
    enb = ratio = None
    contributions: dict[str, float] = {}
    if estimate is not None:
        final = np.array([capital[pod] for pod in eligible])
        cov = estimate.covariance.to_numpy()
        if final.sum() > 0 and float(final @ cov @ final) > 0:
            contributions = dict(zip(eligible, risk_contributions(final, cov), strict=True))
            enb, ratio = effective_number_of_bets(final, cov), diversification_ratio(final, cov)
    statistics = _statistics(universe, window, history, contributions, constraints)
    return CycleResult(allocation, history, estimate, weights, statistics, decay, enb, ratio)


def _weight_bounds(
    constraints: Sequence[PodConstraint], eligible: list[str], policy: CapitalPolicy
) -> tuple[np.ndarray, np.ndarray] | None:
    # Fractions of the capital the eligible pods share once held pods keep theirs; None when no weights fit them.
    bounds = capital_bounds(constraints, policy.total_capital_usd)
    position = {c.pod_id: i for i, c in enumerate(constraints)}
    rows = [position[pod] for pod in eligible]
    taken = set(rows)
    held = [i for i in range(len(constraints)) if i not in taken]
    held_capital = sum(min(max(constraints[i].current_usd, bounds.lower_usd[i]), bounds.upper_usd[i]) for i in held)
    shared = policy.total_capital_usd - held_capital
    if shared <= 0:
        return None
    lower = np.clip(bounds.lower_usd[rows] / shared, 0.0, 1.0)
    upper = np.clip(bounds.upper_usd[rows] / shared, 0.0, 1.0)
    if lower.sum() > 1.0 or upper.sum() < 1.0:
        return None
    return lower, upper


def _with_decay(constraint: PodConstraint, assessment: DecayAssessment | None) -> PodConstraint:
    if assessment is None or assessment.multiplier >= constraint.decay_multiplier:
        return constraint
    return replace(constraint, decay_multiplier=assessment.multiplier, decay_reason=assessment.reason)


def _statistics(
    universe: list[str],
    window: pd.DataFrame,
    history: PerformanceHistory,
    contributions: dict[str, float],
    constraints: Sequence[PodConstraint],
) -> tuple[PodStatistics, ...]:
    values = window.to_numpy(dtype=np.float64, na_value=np.nan)
    mean, deviation = np.nanmean(values, axis=0), np.nanstd(values, axis=0, ddof=1)
    column = {str(pod): i for i, pod in enumerate(window.columns)}
    counts = history.observation_count.to_dict()
    root_year = math.sqrt(DAYS_PER_YEAR)
    multiplier = {c.pod_id: c.decay_multiplier for c in constraints}
    result = []
    for pod in universe:
        volatility = sharpe = None
        i = column.get(pod)
        if i is not None and deviation[i] > 0:
            volatility = float(deviation[i] * root_year)
            sharpe = float(mean[i] / deviation[i] * root_year)
        result.append(
            PodStatistics(pod, int(counts.get(pod, 0)), volatility, sharpe, contributions.get(pod), multiplier[pod])
        )
    return tuple(result)
