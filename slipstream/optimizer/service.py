"""The meta-optimizer's cycle over live inputs: who the pods are, what they earned, what markets allow.

A cycle: returns on allocated capital from the federation's snapshots -> covariance -> target
weights -> constraints (per-pod bounds, lifecycle-stage caps, liquidity capacity, decay, turnover)
-> each pod's capital becomes per-symbol caps on the central volatility forecast -> every pod at
its caps is stress-tested for correlation to BTC (contributing pods cut) and for risk against the
target (every pod scaled by the overlay) -> recorded with its inputs -> pushed (apply mode).

Pure policy lives in the sibling modules; this one only assembles their inputs, which arrive
through `OptimizerSources` so tests (and simulated time) can feed them directly.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

import numpy as np
import pandas as pd

from slipstream.core.clock import Clock
from slipstream.core.errors import FailedPrecondition, InvalidArgument, NotFound
from slipstream.core.model import PodLimits
from slipstream.optimizer.allocation import AllocationMethod
from slipstream.optimizer.constraints import CapitalPolicy, PodConstraint
from slipstream.optimizer.covariance import (
    CovarianceMethod,
    correlation_from_covariance,
    diversification_ratio,
    effective_number_of_bets,
    estimate_covariance,
    ledoit_wolf,
)
from slipstream.optimizer.cycle import CycleResult, CycleSettings, run_allocation
from slipstream.optimizer.liquidity import (
    ImpactCalibration,
    SymbolLiquidity,
    calibrate_impact,
    capacity_usd,
    max_position_usd,
    pod_capacities,
    slippage_surface,
    trade_metaorders,
)
from slipstream.optimizer.performance import PerformanceSettings, collect_returns
from slipstream.optimizer.sizing import SymbolRisk, pod_limits, scale_limits
from slipstream.optimizer.stress import (
    CorrelationStress,
    CorrelationStressPolicy,
    RiskOverlay,
    RiskOverlayPolicy,
    risk_overlay,
    stress_btc_correlation,
)
from slipstream.volatility.estimator import DAYS_PER_YEAR


class CycleMode(enum.Enum):
    OBSERVE = "observe"
    APPLY = "apply"


@dataclass(frozen=True)
class PodView:
    """One registered pod as the optimizer sees it: its limits now, what it trades, its stage."""

    pod_id: str
    limits: PodLimits
    symbols: tuple[str, ...]
    stage: str = ""
    stage_cap_usd: float = math.inf
    # Signed position value per symbol as the pod last reported it, USD: the stress test's direction.
    positions_usd: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class MarketView:
    """Market inputs per symbol, point in time: daily close-to-close returns (a column each, oldest
    first), last price, central volatility forecast (annualised), average daily traded value and
    the trades that calibrate impact (trade_time_ms, price, quantity, side arrays)."""

    returns: pd.DataFrame
    prices: dict[str, float]
    forecasts: dict[str, float]
    daily_volume_usd: dict[str, float]
    trades: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)


@dataclass(frozen=True)
class OptimizerSources:
    pods: Callable[[], list[PodView]]
    snapshots: Callable[[], pd.DataFrame]
    markets: Callable[[Sequence[str]], MarketView]
    push: Callable[[str, PodLimits, str], tuple[bool, str]]


@dataclass(frozen=True)
class PodBounds:
    min_usd: float = 0.0
    max_usd: float = math.inf
    max_fraction: float = 1.0


@dataclass(frozen=True)
class OptimizerPolicy:
    """The federation's allocation policy; every default is documented in the README."""

    total_capital_usd: float = 1_000_000.0
    method: AllocationMethod = AllocationMethod.HRP
    estimator: CovarianceMethod = CovarianceMethod.LEDOIT_WOLF
    half_life_days: float = 60.0
    lookback_days: int = 730
    min_observations: int = 30
    max_turnover_fraction: float | None = 0.25
    bounds: dict[str, PodBounds] = field(default_factory=dict)
    default_bounds: PodBounds = PodBounds()
    volatility_target_annualized: float = 0.25
    gross_leverage: float = 2.0
    btc_symbol: str = "BTC/USD"
    stress: CorrelationStressPolicy = CorrelationStressPolicy()
    overlay: RiskOverlayPolicy = RiskOverlayPolicy()
    # The federation's risk target: one-day risk of all pods at their caps, annualised fraction of capital.
    risk_target_annualized: float = 0.25
    half_spread_bps: float = 1.0
    impact_budget_bps: float = 25.0
    daily_trade_fraction: float = 0.1
    volatility_quantile_window_days: int = 30


@dataclass(frozen=True)
class PodOutcome:
    pod_id: str
    previous_capital_usd: float
    capital_usd: float
    target_weight: float
    weight: float
    volatility_annualized: float | None
    sharpe_annualized: float | None
    risk_contribution: float | None
    observation_count: int
    decay_multiplier: float
    liquidity_capacity_usd: float | None
    reasons: tuple[str, ...]
    limits: PodLimits
    delivered: bool = False
    delivery_error: str = ""


@dataclass(frozen=True)
class StressOutcome:
    correlation: CorrelationStress
    overlay: RiskOverlay


@dataclass(frozen=True)
class CycleRecord:
    """One cycle as recorded: the outcome and the inputs that explain it."""

    cycle_id: int
    cycle_time: datetime
    mode: CycleMode
    method: AllocationMethod
    estimator: CovarianceMethod
    total_capital_usd: float
    pods: tuple[PodOutcome, ...]
    effective_number_of_bets: float | None
    diversification_ratio: float | None
    turnover: float
    stress: StressOutcome
    requested_by: str
    inputs: dict[str, object]


@dataclass(frozen=True)
class CovarianceReport:
    pod_ids: tuple[str, ...]
    covariance: np.ndarray
    correlation: np.ndarray
    shrinkage: float
    effective_number_of_bets: float
    diversification_ratio: float
    observation_count: int


@dataclass(frozen=True)
class CapacityReport:
    symbol: str
    liquidity: SymbolLiquidity
    calibration: ImpactCalibration
    budget_bps: float
    capacity_usd: float
    surface: tuple[tuple[float, float], ...]


class CycleStore(Protocol):
    """Where cycles are kept (`slipstream.optimizer.store.OptimizerStore` is the durable one)."""

    def next_cycle_id(self) -> int: ...

    def add(self, record: CycleRecord) -> None: ...


class Optimizer:
    def __init__(self, sources: OptimizerSources, policy: OptimizerPolicy, store: CycleStore, clock: Clock) -> None:
        self.sources = sources
        self.policy = policy
        self.store = store
        self.clock = clock

    def run_cycle(
        self,
        mode: CycleMode,
        requested_by: str,
        method: AllocationMethod | None = None,
        estimator: CovarianceMethod | None = None,
        pins: dict[str, tuple[float, str]] | None = None,
    ) -> CycleRecord:
        """Allocate, size, stress, record and (in apply mode) push; the record says why each figure is what it is.

        `pins` fixes pods' capital (USD, and why): an operator's decision wins over the pod's
        bounds, stage and liquidity caps; the other pods share what is left.
        """
        if not requested_by.strip():
            raise InvalidArgument("requested_by", "must not be empty")
        pins = pins or {}
        policy = self.policy
        method = method or policy.method
        estimator = estimator or policy.estimator
        pods = sorted(self.sources.pods(), key=lambda p: p.pod_id)
        if not pods:
            raise FailedPrecondition("no pod is registered with the federation")
        unknown = sorted(set(pins) - {pod.pod_id for pod in pods})
        if unknown:
            raise InvalidArgument("pins", f"pod {unknown[0]!r} is not registered")
        for pod_id, (usd, _) in pins.items():
            if not (math.isfinite(usd) and 0 <= usd <= policy.total_capital_usd):
                raise InvalidArgument(f"pins[{pod_id}].capital_usd", "must be between 0 and the total capital")
        symbols = sorted({s for pod in pods for s in pod.symbols} | {policy.btc_symbol})
        market = self.sources.markets(symbols)
        liquidity = {s: self._liquidity(s, market)[0] for s in symbols if s in market.prices}
        capacities = self._capacities(pods, liquidity)
        constraints = [self._constraint(pod, capacities.get(pod.pod_id), pins.get(pod.pod_id)) for pod in pods]
        total = policy.total_capital_usd
        turnover_cap = None if policy.max_turnover_fraction is None else policy.max_turnover_fraction * total
        result = run_allocation(
            self.sources.snapshots(),
            constraints,
            CapitalPolicy(total, turnover_cap),
            CycleSettings(
                method=method,
                estimator=estimator,
                half_life_days=policy.half_life_days,
                lookback_periods=policy.lookback_days,
                performance=replace(CycleSettings().performance, min_observations=policy.min_observations),
            ),
        )
        capital = result.allocation.capital_by_pod()
        limits = {pod.pod_id: self._limits(pod, capital[pod.pod_id], market, liquidity) for pod in pods}
        limits, stress = self._stress(pods, limits, market)
        outcomes = self._outcomes(pods, result, capacities, limits, total, pins)
        record = CycleRecord(
            cycle_id=self.store.next_cycle_id(),
            cycle_time=self.clock.now(),
            mode=mode,
            method=method,
            estimator=estimator,
            total_capital_usd=total,
            pods=outcomes,
            effective_number_of_bets=result.effective_number_of_bets,
            diversification_ratio=result.diversification_ratio,
            turnover=result.allocation.turnover_usd / total if total else 0.0,
            stress=stress,
            requested_by=requested_by,
            inputs=_inputs(result, market, constraints),
        )
        if mode is CycleMode.APPLY:
            record = replace(record, pods=tuple(self._push(outcome, record.cycle_id) for outcome in outcomes))
        self.store.add(record)
        return record

    def covariance(self, estimator: CovarianceMethod | None = None) -> CovarianceReport:
        """The pods' covariance of daily returns on allocated capital, as a cycle would estimate it now."""
        history = collect_returns(
            self.sources.snapshots(), PerformanceSettings(min_observations=self.policy.min_observations)
        )
        window = history.returns.iloc[-self.policy.lookback_days :]
        window = window.loc[:, window.notna().sum() >= self.policy.min_observations]
        if window.shape[1] < 2:
            raise FailedPrecondition(
                f"{window.shape[1]} pod(s) with {self.policy.min_observations} daily returns; 2 are needed"
            )
        method = estimator or self.policy.estimator
        estimate = estimate_covariance(window, method, half_life_days=self.policy.half_life_days)
        cov = estimate.covariance.to_numpy()
        equal = np.full(cov.shape[0], 1.0 / cov.shape[0])
        return CovarianceReport(
            pod_ids=tuple(str(p) for p in estimate.covariance.columns),
            covariance=cov,
            correlation=correlation_from_covariance(cov),
            shrinkage=float(estimate.shrinkage or 0.0),
            effective_number_of_bets=effective_number_of_bets(equal, cov),
            diversification_ratio=diversification_ratio(equal, cov),
            observation_count=int(estimate.period_count),
        )

    def stress_test(
        self, scenario: dict[str, dict[str, float]] | None, threshold: float | None = None
    ) -> StressOutcome:
        """Stress the given exposures (pod -> symbol -> USD), or every pod at its caps now."""
        if threshold is not None and not 0 < threshold < 1:
            raise InvalidArgument("btc_correlation_limit", f"must be in (0, 1), got {threshold}")
        pods = sorted(self.sources.pods(), key=lambda p: p.pod_id)
        if scenario:
            for pod_id, positions in scenario.items():
                for symbol, usd in positions.items():
                    if not math.isfinite(usd):
                        raise InvalidArgument(f"pods[{pod_id}].positions[{symbol}].notional_usd", "must be finite")
            exposures = scenario
        else:
            exposures = {pod.pod_id: _caps_usd(pod.limits, pod.positions_usd) for pod in pods}
        symbols = sorted({s for positions in exposures.values() for s in positions} | {self.policy.btc_symbol})
        market = self.sources.markets(symbols)
        policy = self.policy.stress if threshold is None else replace(self.policy.stress, threshold=threshold)
        return self._stress_exposures(exposures, market, policy)

    def capacity(self, symbol: str, budget_bps: float | None = None) -> CapacityReport:
        """The symbol's liquidity surface and its capacity within the impact budget."""
        if not symbol:
            raise InvalidArgument("symbol", "must not be empty")
        budget = self.policy.impact_budget_bps if not budget_bps else budget_bps
        if not math.isfinite(budget) or budget <= 0:
            raise InvalidArgument("impact_budget_bps", f"must be > 0, got {budget}")
        market = self.sources.markets([symbol])
        if symbol not in market.prices:
            raise NotFound(f"the data lake has no daily history of {symbol!r}")
        liquidity, calibration = self._liquidity(symbol, market)
        capacity = float(
            capacity_usd(
                budget,
                liquidity.daily_volume_usd,
                liquidity.daily_volatility,
                liquidity.half_spread_bps,
                liquidity.impact_coefficient,
            )
        )
        return CapacityReport(symbol, liquidity, calibration, budget, capacity, slippage_surface(liquidity))

    def _liquidity(self, symbol: str, market: MarketView) -> tuple[SymbolLiquidity, ImpactCalibration]:
        sigma = _daily_volatility(symbol, market)
        volume = market.daily_volume_usd.get(symbol, 0.0)
        spread = self.policy.half_spread_bps
        calibration = calibrate_impact([], [], [], [], [])
        trades = market.trades.get(symbol)
        if trades is not None and volume > 0 and sigma > 0:
            notional, slippage = trade_metaorders(*trades)
            n = notional.size
            calibration = calibrate_impact(notional, [volume] * n, [sigma] * n, slippage, [spread] * n)
        return SymbolLiquidity(symbol, volume, sigma, spread, calibration.coefficient), calibration

    def _capacities(self, pods: list[PodView], liquidity: dict[str, SymbolLiquidity]) -> dict[str, float]:
        # A pod at its gross leverage spread evenly over its symbols, trading a fraction of it a day.
        known = [s for s in sorted(liquidity) if liquidity[s].daily_volume_usd > 0]
        if not known:
            return {}
        exposure = np.zeros((len(pods), len(known)))
        for p, pod in enumerate(pods):
            traded = [known.index(s) for s in pod.symbols if s in known]
            for s in traded:
                exposure[p, s] = self.policy.gross_leverage / len(traded)
        found = pod_capacities(
            [pod.pod_id for pod in pods],
            exposure,
            [liquidity[s] for s in known],
            budget_bps=self.policy.impact_budget_bps,
            daily_trade_fraction=self.policy.daily_trade_fraction,
        )
        return {c.pod_id: c.capacity_usd for c in found if math.isfinite(c.capacity_usd)}

    def _constraint(self, pod: PodView, liquidity_cap: float | None, pin: tuple[float, str] | None) -> PodConstraint:
        current = float(pod.limits.capital_allocation_usd)
        if pin is not None:
            return PodConstraint(pod_id=pod.pod_id, current_usd=current, min_usd=pin[0], max_usd=pin[0])
        bounds = self.policy.bounds.get(pod.pod_id, self.policy.default_bounds)
        return PodConstraint(
            pod_id=pod.pod_id,
            current_usd=current,
            min_usd=bounds.min_usd,
            max_usd=bounds.max_usd,
            max_fraction=bounds.max_fraction,
            stage=pod.stage,
            stage_cap_usd=pod.stage_cap_usd,
            liquidity_cap_usd=math.inf if liquidity_cap is None else liquidity_cap,
        )

    def _limits(
        self, pod: PodView, capital: float, market: MarketView, liquidity: dict[str, SymbolLiquidity]
    ) -> PodLimits:
        risks = []
        for symbol in pod.symbols:
            if symbol not in market.prices:
                continue
            volatility = market.forecasts.get(symbol) or _daily_volatility(symbol, market) * math.sqrt(DAYS_PER_YEAR)
            if not volatility > 0:
                continue
            cap = math.inf
            if symbol in liquidity and liquidity[symbol].daily_volume_usd > 0:
                cap = max_position_usd(
                    liquidity[symbol], self.policy.impact_budget_bps, self.policy.daily_trade_fraction
                )
            risks.append(SymbolRisk(symbol, volatility, market.prices[symbol], cap))
        return pod_limits(
            capital,
            self.policy.volatility_target_annualized,
            risks,
            max_gross_notional_usd=capital * self.policy.gross_leverage,
        )

    def _stress(
        self, pods: list[PodView], limits: dict[str, PodLimits], market: MarketView
    ) -> tuple[dict[str, PodLimits], StressOutcome]:
        exposures = {pod.pod_id: _caps_usd(limits[pod.pod_id], pod.positions_usd) for pod in pods}
        outcome = self._stress_exposures(exposures, market, self.policy.stress)
        # Cuts that cannot bring the correlation under the ceiling would shrink every pod for nothing
        # (a book that is all crypto beta is not diversified by cutting it): the overlay handles the level.
        scales = outcome.correlation.scale_by_pod() if outcome.correlation.resolved else {}
        cut = {}
        for pod_id, pod_limits_ in limits.items():
            factor = scales.get(pod_id, 1.0) * outcome.overlay.scale
            # A factor within rounding noise of 1 is no cut: applying it would shave a last digit
            # off every cap, and differently from run to run.
            cut[pod_id] = scale_limits(pod_limits_, factor) if factor < 1.0 - 1e-9 else pod_limits_
        return cut, outcome

    def _stress_exposures(
        self, exposures: dict[str, dict[str, float]], market: MarketView, policy: CorrelationStressPolicy
    ) -> StressOutcome:
        symbols = [s for s in market.returns.columns if s in {x for p in exposures.values() for x in p}]
        btc = self.policy.btc_symbol
        if btc not in market.returns.columns:
            raise FailedPrecondition(f"the data lake has no daily history of {btc}, the stress test's reference")
        if btc not in symbols:
            symbols.append(btc)
        returns = market.returns[symbols].dropna()
        if len(returns) < 2:
            raise FailedPrecondition("fewer than 2 days of overlapping returns for the stressed symbols")
        cov = ledoit_wolf(returns.to_numpy()).covariance
        pod_ids = sorted(exposures)
        matrix = np.array([[exposures[p].get(s, 0.0) for s in symbols] for p in pod_ids]).reshape(len(pod_ids), -1)
        correlation = stress_btc_correlation(pod_ids, matrix, cov, symbols, btc_symbol=btc, policy=policy)
        scales = correlation.scale_by_pod()
        scaled = matrix * np.array([[scales.get(p, 1.0)] for p in pod_ids]) if len(pod_ids) else matrix
        window = self.policy.volatility_quantile_window_days
        history = returns.rolling(window, min_periods=window).std().dropna().to_numpy()
        target = self.policy.total_capital_usd * self.policy.risk_target_annualized / math.sqrt(DAYS_PER_YEAR)
        overlay = risk_overlay(
            scaled.sum(axis=0), cov, history, risk_target_usd_per_day=target, policy=self.policy.overlay
        )
        return StressOutcome(correlation, overlay)

    def _outcomes(
        self,
        pods: list[PodView],
        result: CycleResult,
        capacities: dict[str, float],
        limits: dict[str, PodLimits],
        total: float,
        pins: dict[str, tuple[float, str]],
    ) -> tuple[PodOutcome, ...]:
        allocated = {a.pod_id: a for a in result.allocation.pods}
        statistics = {s.pod_id: s for s in result.statistics}
        outcomes = []
        for pod in pods:
            allocation, stats = allocated[pod.pod_id], statistics[pod.pod_id]
            outcomes.append(
                PodOutcome(
                    pod_id=pod.pod_id,
                    previous_capital_usd=allocation.previous_usd,
                    capital_usd=float(limits[pod.pod_id].capital_allocation_usd),
                    target_weight=allocation.target_weight,
                    weight=allocation.capital_usd / total if total else 0.0,
                    volatility_annualized=stats.volatility_annualized,
                    sharpe_annualized=stats.sharpe_annualized,
                    risk_contribution=stats.risk_contribution,
                    observation_count=stats.observation_count,
                    decay_multiplier=stats.decay_multiplier,
                    liquidity_capacity_usd=capacities.get(pod.pod_id),
                    reasons=(
                        (f"pinned at {pins[pod.pod_id][0]:,.0f} USD by the operator: {pins[pod.pod_id][1]}",)
                        if pod.pod_id in pins
                        else ()
                    )
                    + allocation.reasons,
                    limits=limits[pod.pod_id],
                )
            )
        return tuple(outcomes)

    def _push(self, outcome: PodOutcome, cycle_id: int) -> PodOutcome:
        delivered, error = self.sources.push(outcome.pod_id, outcome.limits, f"optimizer cycle {cycle_id}")
        return replace(outcome, delivered=delivered, delivery_error=error)


def _caps_usd(limits: PodLimits, positions_usd: dict[str, float]) -> dict[str, float]:
    """Every symbol at its cap, in the direction the pod holds it (long when flat)."""
    return {
        limit.symbol: math.copysign(float(limit.max_position_notional_usd), positions_usd.get(limit.symbol, 1.0) or 1.0)
        for limit in limits.symbol_limits
        if limit.max_position_notional_usd is not None
    }


def _daily_volatility(symbol: str, market: MarketView) -> float:
    if symbol not in market.returns.columns:
        return 0.0
    values = market.returns[symbol].dropna()
    return float(values.std(ddof=1)) if len(values) > 1 else 0.0


def _inputs(result: CycleResult, market: MarketView, constraints: Sequence[PodConstraint]) -> dict[str, object]:
    """What the cycle saw, kept with it: enough to recompute and explain every figure."""
    window = result.history.returns.iloc[-400:]
    return {
        "returns": {
            "index": [t.isoformat() for t in window.index],
            "columns": [str(c) for c in window.columns],
            "values": [[None if math.isnan(v) else v for v in row] for row in window.to_numpy().tolist()],
        },
        "covariance": None
        if result.covariance is None
        else {
            "pods": [str(c) for c in result.covariance.covariance.columns],
            "matrix": result.covariance.covariance.to_numpy().tolist(),
            "shrinkage": result.covariance.shrinkage,
        },
        "target_weights": result.target_weights,
        "decay": {pod: {"multiplier": d.multiplier, "reason": d.reason} for pod, d in result.decay.items()},
        "constraints": [
            {k: (None if isinstance(v, float) and math.isinf(v) else v) for k, v in vars(c).items()}
            for c in constraints
        ],
        "prices": market.prices,
        "forecasts": market.forecasts,
        "daily_volume_usd": market.daily_volume_usd,
        "notes": list(result.allocation.notes),
    }
