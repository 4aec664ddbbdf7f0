"""Cap multipliers for pods whose edge is fading: a falling rolling Sharpe ratio, or a clearly losing one.

A Sharpe ratio from a few months of returns is very noisy (its standard error over 90 days is
about 2 in annual units), so a rule on the raw level would cut good pods at random. Both rules
are therefore z-scores, with the standard error of Lo ("The Statistics of Sharpe Ratios", 2002,
i.i.d. case): se(SR) = sqrt((1 + SR²/2) / n) per period, scaled like SR to a year of 365 days.
  alpha decay:  z = (SR_earlier - SR_recent) / sqrt(se_earlier² + se_recent²), the recent window
                being the last `window_days` periods and "earlier" everything before it;
  losing:       z = -SR_recent / se_recent.
The larger z picks the multiplier from `steps`: by default z >= 1 → 0.75, z >= 2 → 0.5,
z >= 3 → 0.25, else 1. Too little history on either side (fewer than `min_recent` returns in the
window or `min_earlier` before it) leaves the pod at 1: absence of evidence is not decay. The
multiplier caps the pod at multiplier × its current capital (see `constraints`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from slipstream.core.errors import InvalidArgument
from slipstream.volatility.estimator import DAYS_PER_YEAR


@dataclass(frozen=True)
class DecayPolicy:
    window_days: int = 90
    min_recent: int = 60
    min_earlier: int = 90
    periods_per_year: int = DAYS_PER_YEAR
    steps: tuple[tuple[float, float], ...] = ((1.0, 0.75), (2.0, 0.5), (3.0, 0.25))

    def validate(self) -> None:
        if self.window_days < 2:
            raise InvalidArgument("decay.window_days", f"must be >= 2, got {self.window_days}")
        if not 2 <= self.min_recent <= self.window_days:
            raise InvalidArgument("decay.min_recent", f"must be in [2, window_days], got {self.min_recent}")
        if self.min_earlier < 2:
            raise InvalidArgument("decay.min_earlier", f"must be >= 2, got {self.min_earlier}")
        thresholds = [z for z, _ in self.steps]
        if thresholds != sorted(thresholds) or any(not 0 <= m <= 1 for _, m in self.steps):
            raise InvalidArgument("decay.steps", "z thresholds must ascend and multipliers lie in [0, 1]")


@dataclass(frozen=True)
class DecayAssessment:
    pod_id: str
    multiplier: float
    recent_sharpe: float | None
    earlier_sharpe: float | None
    z_score: float | None
    reason: str


def assess_decay(returns: pd.DataFrame, policy: DecayPolicy | None = None) -> dict[str, DecayAssessment]:
    """One assessment per pod (column) of a returns frame whose rows are consecutive periods, NaN for gaps."""
    policy = policy or DecayPolicy()
    policy.validate()
    values = returns.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(values).any():
        raise InvalidArgument("returns", "must not contain infinite values")
    recent, earlier = values[-policy.window_days :], values[: -policy.window_days]
    recent_sharpe, recent_count = _sharpe(recent)
    earlier_sharpe, earlier_count = _sharpe(earlier)
    root_year = math.sqrt(policy.periods_per_year)
    result = {}
    for i, pod in enumerate(returns.columns):
        pod_id = str(pod)
        if recent_count[i] < policy.min_recent or earlier_count[i] < policy.min_earlier:
            result[pod_id] = DecayAssessment(
                pod_id,
                1.0,
                None,
                None,
                None,
                f"too little history for the decay test ({int(recent_count[i])} recent, {int(earlier_count[i])} earlier"
                f" returns; {policy.min_recent} and {policy.min_earlier} needed)",
            )
            continue
        sr_recent, sr_earlier = float(recent_sharpe[i]), float(earlier_sharpe[i])
        if not (math.isfinite(sr_recent) and math.isfinite(sr_earlier)):
            result[pod_id] = DecayAssessment(pod_id, 1.0, None, None, None, "returns without variance: no decay test")
            continue
        se_recent = math.sqrt((1 + sr_recent**2 / 2) / recent_count[i])
        se_earlier = math.sqrt((1 + sr_earlier**2 / 2) / earlier_count[i])
        decay_z = (sr_earlier - sr_recent) / math.hypot(se_recent, se_earlier)
        losing_z = -sr_recent / se_recent
        z = max(decay_z, losing_z)
        multiplier = min([m for threshold, m in policy.steps if z >= threshold], default=1.0)
        annual_recent, annual_earlier = sr_recent * root_year, sr_earlier * root_year
        if multiplier == 1.0:
            reason = f"no decay: {policy.window_days}-day Sharpe {annual_recent:.2f} vs {annual_earlier:.2f} before"
        elif decay_z >= losing_z:
            reason = (
                f"alpha decay: {policy.window_days}-day Sharpe {annual_recent:.2f} vs {annual_earlier:.2f} before"
                f" (z {decay_z:.1f}): cap at {multiplier:g} x current capital"
            )
        else:
            reason = (
                f"losing: {policy.window_days}-day Sharpe {annual_recent:.2f} (z {losing_z:.1f} below zero):"
                f" cap at {multiplier:g} x current capital"
            )
        result[pod_id] = DecayAssessment(pod_id, multiplier, annual_recent, annual_earlier, z, reason)
    return result


def _sharpe(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    observed = np.isfinite(values)
    count = observed.sum(axis=0)
    present = np.where(observed, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = present.sum(axis=0) / count
        variance = (np.where(observed, values - mean, 0.0) ** 2).sum(axis=0) / (count - 1)
        sharpe = np.where(variance > 0, mean / np.sqrt(variance), np.nan)
    return sharpe, count
