"""Cycle records <-> OptimizerService messages."""

from __future__ import annotations

from decimal import Decimal

from slipstream_api.v1 import optimizer_pb2 as pb

from slipstream.core.decimals import format_decimal
from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.allocation import AllocationMethod
from slipstream.optimizer.covariance import CovarianceMethod
from slipstream.optimizer.service import CycleMode, CycleRecord, PodOutcome, StressOutcome
from slipstream.transport import convert

_MODE = {CycleMode.OBSERVE: pb.CYCLE_MODE_OBSERVE, CycleMode.APPLY: pb.CYCLE_MODE_APPLY}
_METHOD = {
    AllocationMethod.INVERSE_VOLATILITY: pb.ALLOCATION_METHOD_INVERSE_VOLATILITY,
    AllocationMethod.HRP: pb.ALLOCATION_METHOD_HIERARCHICAL_RISK_PARITY,
    AllocationMethod.MAX_DIVERSIFICATION: pb.ALLOCATION_METHOD_MAX_DIVERSIFICATION,
}
_ESTIMATOR = {
    CovarianceMethod.LEDOIT_WOLF: pb.COVARIANCE_ESTIMATOR_LEDOIT_WOLF,
    CovarianceMethod.EWMA: pb.COVARIANCE_ESTIMATOR_EWMA,
}


def mode_from_pb(value: int) -> CycleMode:
    for mode, number in _MODE.items():
        if number == value:
            return mode
    raise InvalidArgument("mode", "must be CYCLE_MODE_OBSERVE or CYCLE_MODE_APPLY")


def method_from_pb(value: int) -> AllocationMethod | None:
    """None for UNSPECIFIED: the configured method."""
    if value == pb.ALLOCATION_METHOD_UNSPECIFIED:
        return None
    for method, number in _METHOD.items():
        if number == value:
            return method
    raise InvalidArgument("method", f"unknown allocation method {value}")


def estimator_from_pb(value: int) -> CovarianceMethod | None:
    """None for UNSPECIFIED: the configured estimator."""
    if value == pb.COVARIANCE_ESTIMATOR_UNSPECIFIED:
        return None
    for estimator, number in _ESTIMATOR.items():
        if number == value:
            return estimator
    raise InvalidArgument("estimator", f"unknown covariance estimator {value}")


def estimator_to_pb(estimator: CovarianceMethod) -> pb.CovarianceEstimator.ValueType:
    return _ESTIMATOR.get(estimator, pb.COVARIANCE_ESTIMATOR_UNSPECIFIED)


def stress_to_pb(stress: StressOutcome) -> pb.StressTestResult:
    correlation, overlay = stress.correlation, stress.overlay
    return pb.StressTestResult(
        btc_correlation=correlation.correlation_before,
        btc_correlation_limit=correlation.threshold,
        breached=correlation.breached,
        btc_correlation_after=correlation.correlation_after,
        scalings=[pb.PodScaling(pod_id=cut.pod_id, multiplier=cut.scale) for cut in correlation.cuts],
        expected_risk_usd=overlay.expected_risk_usd,
        worst_correlation_risk_usd=overlay.worst_correlation_risk_usd,
        high_volatility_risk_usd=overlay.high_volatility_risk_usd,
        risk_target_usd=overlay.risk_target_usd,
        overlay_multiplier=overlay.scale,
        overlay_binding=overlay.binding,
    )


def _pod_to_pb(pod: PodOutcome) -> pb.PodAllocation:
    return pb.PodAllocation(
        pod_id=pod.pod_id,
        previous_capital_usd=format_decimal(Decimal(repr(round(pod.previous_capital_usd, 2)))),
        capital_usd=format_decimal(Decimal(repr(round(pod.capital_usd, 2)))),
        target_weight=pod.target_weight,
        weight=pod.weight,
        volatility_annualized=pod.volatility_annualized or 0.0,
        sharpe_annualized=pod.sharpe_annualized or 0.0,
        risk_contribution=pod.risk_contribution or 0.0,
        observation_count=pod.observation_count,
        decay_multiplier=pod.decay_multiplier,
        liquidity_capacity_usd=""
        if pod.liquidity_capacity_usd is None
        else format_decimal(Decimal(repr(round(pod.liquidity_capacity_usd, 2)))),
        reasons=list(pod.reasons),
        limits=convert.limits_to_pb(pod.limits),
        delivered=pod.delivered,
        delivery_error=pod.delivery_error,
    )


def record_to_pb(record: CycleRecord) -> pb.Allocation:
    return pb.Allocation(
        cycle_id=record.cycle_id,
        cycle_time=convert.timestamp_to_pb(record.cycle_time),
        mode=_MODE[record.mode],
        method=_METHOD[record.method],
        estimator=estimator_to_pb(record.estimator),
        total_capital_usd=format_decimal(Decimal(repr(record.total_capital_usd))),
        pods=[_pod_to_pb(pod) for pod in record.pods],
        effective_number_of_bets=record.effective_number_of_bets or 0.0,
        diversification_ratio=record.diversification_ratio or 0.0,
        turnover=record.turnover,
        stress=stress_to_pb(record.stress),
        requested_by=record.requested_by,
    )
