"""Covariance stress tests: the portfolio's correlation to BTC, and a risk overlay after Carver.

Correlation to BTC. The pods' scenario exposures e_p (USD notional per symbol, e.g. every pod at
its caps) add up to the portfolio w = Σ_p s_p e_p, s_p being the pods' limit scales (1 to start).
With Σ the symbols' covariance of daily returns,
    corr = wᵀΣ e_btc / sqrt(wᵀΣw · σ_btc²).
Correlation does not change when every pod is cut alike, only when the mix changes. A pod
contributes when raising its scale raises the correlation:
    ∂corr/∂s_p ∝ e_pᵀΣe_btc - (wᵀΣe_btc / wᵀΣw) · e_pᵀΣw > 0.
While corr exceeds the threshold, the contributing pods are cut by one common factor, found by
root-finding so that corr lands on the threshold; the set is recomputed after each cut. No pod
goes below `min_scale`. If the threshold still cannot be met (every pod long BTC alone: no mix of
them is less correlated), the result says so and whatever cuts were possible stand.

Risk overlay, in the spirit of pysystemtrade's (Rob Carver, systems/portfolio.py "risk overlay"):
three measures of the portfolio's one-day risk in USD, each compared with a multiple of the risk
target; the scale applied to every position is the smallest of 1 and multiple · target / measure:
  expected risk        sqrt(wᵀΣw);
  worst correlation    Σ|w_i| σ_i, every correlation at +1 in the direction that adds risk;
  shocked volatility   sqrt(wᵀ D R D w), R the correlations and D each symbol's volatility at the
                       `vol_quantile` of its history (never below today's).
Default multiples 1.4, 3.4 and 3.6 and the 99th percentile are those of pysystemtrade's example
configuration (its own defaults switch the overlay off).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.validation import Vector, covariance, finite_number, matrix, vector


@dataclass(frozen=True)
class CorrelationStressPolicy:
    threshold: float = 0.8
    min_scale: float = 0.0
    two_sided: bool = False
    max_rounds: int = 20


@dataclass(frozen=True)
class PodScale:
    pod_id: str
    scale: float
    reason: str


@dataclass(frozen=True)
class CorrelationStress:
    correlation_before: float
    correlation_after: float
    threshold: float
    resolved: bool
    cuts: tuple[PodScale, ...]

    @property
    def breached(self) -> bool:
        return self.correlation_before > self.threshold

    def scale_by_pod(self) -> dict[str, float]:
        """Scales of the pods that were cut; every other pod keeps 1."""
        return {cut.pod_id: cut.scale for cut in self.cuts}


@dataclass(frozen=True)
class RiskOverlayPolicy:
    normal_risk_multiple: float = 1.4
    worst_correlation_multiple: float = 3.4
    shocked_vol_multiple: float = 3.6
    vol_quantile: float = 0.99


@dataclass(frozen=True)
class RiskOverlay:
    """Risk measures are the portfolio's one-day standard deviation in USD; `binding` is empty when none binds."""

    expected_risk_usd: float
    worst_correlation_risk_usd: float
    high_volatility_risk_usd: float
    risk_target_usd: float
    multipliers: tuple[tuple[str, float], ...]
    scale: float
    binding: str
    reason: str


def portfolio_correlation(exposure_usd: ArrayLike, cov: ArrayLike, index: int) -> float:
    """Correlation of the portfolio's daily PnL with symbol `index`'s return; 0 for an empty portfolio."""
    checked = covariance(cov, "covariance")
    w = vector(exposure_usd, "exposure_usd", length=checked.shape[0])
    if not 0 <= index < checked.shape[0]:
        raise InvalidArgument("index", f"must be in [0, {checked.shape[0]}), got {index}")
    return _correlation(w, checked @ w, checked[:, index], float(checked[index, index]))


def stress_btc_correlation(
    pod_ids: Sequence[str],
    exposures_usd: ArrayLike,
    cov: ArrayLike,
    symbols: Sequence[str],
    *,
    btc_symbol: str = "BTC/USDT",
    policy: CorrelationStressPolicy | None = None,
) -> CorrelationStress:
    """Cut the pods that push the portfolio's correlation to BTC above the threshold (see the module docstring)."""
    policy = policy or CorrelationStressPolicy()
    threshold = finite_number(policy.threshold, "policy.threshold")
    if not 0 < threshold < 1:
        raise InvalidArgument("policy.threshold", f"must be in (0, 1), got {threshold}")
    floor = finite_number(policy.min_scale, "policy.min_scale", minimum=0.0)
    if floor >= 1:
        raise InvalidArgument("policy.min_scale", f"must be < 1, got {floor}")
    checked = covariance(cov, "covariance", size=len(symbols))
    exposures = matrix(exposures_usd, "exposures_usd", shape=(len(pod_ids), len(symbols)))
    if btc_symbol not in symbols:
        raise InvalidArgument("btc_symbol", f"{btc_symbol!r} is not among the symbols")
    btc = list(symbols).index(btc_symbol)
    btc_variance = float(checked[btc, btc])
    if btc_variance <= 0:
        raise InvalidArgument("covariance", f"{btc_symbol} has no variance")
    projected = exposures @ checked
    to_btc = projected[:, btc]

    def signed_correlation(scales: Vector) -> float:
        w = scales @ exposures
        value = _correlation(w, scales @ projected, checked[:, btc], btc_variance)
        return abs(value) if policy.two_sided else value

    scales = np.ones(len(pod_ids))
    before = signed_correlation(scales)
    resolved = before <= threshold
    for _ in range(policy.max_rounds):
        if resolved:
            break
        w = scales @ exposures
        risk = scales @ projected
        variance = float(w @ risk)
        if variance <= 0:
            break
        direction = 1.0 if not policy.two_sided or float(w @ checked[:, btc]) >= 0 else -1.0
        slope = direction * (to_btc - float(w @ checked[:, btc]) / variance * (projected @ w))
        contributing = (slope > 1e-12 * np.abs(to_btc).max()) & (scales > floor)
        if not contributing.any():
            break

        def cut(factor: float, contributing: np.ndarray = contributing, start: Vector = scales) -> Vector:
            return np.where(contributing, np.maximum(start * factor, floor), start)

        lowest = float(np.max(floor / scales[contributing])) if floor > 0 else 0.0
        if signed_correlation(cut(lowest)) > threshold:
            scales = cut(lowest)
            continue
        factor = optimize.brentq(lambda k: signed_correlation(cut(k)) - threshold, lowest, 1.0, xtol=1e-14)
        scales = cut(factor)
        resolved = signed_correlation(scales) <= threshold + 1e-9
    after = signed_correlation(scales)
    cuts = tuple(
        PodScale(
            pod_id,
            float(scales[p]),
            f"exposure raised the portfolio's correlation to {btc_symbol} to {before:.3f} (threshold {threshold:g}):"
            f" limits cut to {scales[p]:.1%}",
        )
        for p, pod_id in enumerate(pod_ids)
        if scales[p] < 1.0
    )
    return CorrelationStress(before, after, threshold, bool(after <= threshold + 1e-9), cuts)


def risk_overlay(
    exposure_usd: ArrayLike,
    cov: ArrayLike,
    volatility_history: ArrayLike,
    *,
    risk_target_usd_per_day: float,
    policy: RiskOverlayPolicy | None = None,
) -> RiskOverlay:
    """Carver's overlay on the portfolio `exposure_usd` (USD per symbol) with the symbols' daily covariance.

    `volatility_history` is periods × symbols of daily volatility estimates, NaN where unknown;
    the target is the portfolio's one-day standard deviation in USD (capital × annual target / sqrt(365)).
    """
    policy = policy or RiskOverlayPolicy()
    checked = covariance(cov, "covariance")
    n = checked.shape[0]
    w = vector(exposure_usd, "exposure_usd", length=n)
    history = matrix(volatility_history, "volatility_history", shape=(None, n), allow_nan=True, non_negative=True)
    target = finite_number(risk_target_usd_per_day, "risk_target_usd_per_day")
    if target <= 0:
        raise InvalidArgument("risk_target_usd_per_day", f"must be > 0, got {risk_target_usd_per_day}")
    quantile = finite_number(policy.vol_quantile, "policy.vol_quantile")
    if not 0 < quantile <= 1:
        raise InvalidArgument("policy.vol_quantile", f"must be in (0, 1], got {quantile}")
    deviations = np.sqrt(np.diag(checked))
    outer = np.outer(deviations, deviations)
    correlation = np.divide(checked, outer, out=np.zeros_like(checked), where=outer > 0)
    known = np.isfinite(history).any(axis=0)
    shocked = deviations.copy()
    if known.any():
        shocked[known] = np.maximum(deviations[known], np.nanquantile(history[:, known], quantile, axis=0))
    measures = (
        ("expected risk", math.sqrt(max(float(w @ checked @ w), 0.0)), policy.normal_risk_multiple),
        ("worst correlation", float(np.abs(w) @ deviations), policy.worst_correlation_multiple),
        (
            "high volatility",
            math.sqrt(max(float((w * shocked) @ correlation @ (w * shocked)), 0.0)),
            policy.shocked_vol_multiple,
        ),
    )
    multipliers = tuple(
        (name, min(1.0, multiple * target / risk) if risk > 0 else 1.0) for name, risk, multiple in measures
    )
    binding, scale = min(multipliers, key=lambda item: item[1])
    if scale < 1.0:
        risk, multiple = next((risk, multiple) for label, risk, multiple in measures if label == binding)
        reason = (
            f"{binding} {risk:,.0f} USD/day is above {multiple:g} x the {target:,.0f} USD/day target:"
            f" positions scaled by {scale:.3f}"
        )
    else:
        binding, reason = "", "every risk measure within its limit"
    return RiskOverlay(measures[0][1], measures[1][1], measures[2][1], target, multipliers, scale, binding, reason)


def _correlation(w: Vector, risk: Vector, to_symbol: Vector, symbol_variance: float) -> float:
    variance = float(w @ risk)
    if variance <= 0:
        return 0.0
    return float(w @ to_symbol) / math.sqrt(variance * symbol_variance)
