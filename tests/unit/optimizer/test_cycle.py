"""One allocation cycle end to end on synthetic snapshots."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from slipstream.optimizer.allocation import AllocationMethod
from slipstream.optimizer.constraints import CapitalPolicy, PodConstraint
from slipstream.optimizer.covariance import CovarianceMethod
from slipstream.optimizer.cycle import CycleSettings, run_allocation

DAYS = 400


def snapshots() -> pd.DataFrame:
    """Four ordinary pods, one that started 20 days ago and one that stopped earning 90 days ago."""
    rng = np.random.default_rng(17)
    market = rng.normal(0, 0.006, DAYS)
    returns = {f"pod-{i}": market * (i % 2) + rng.normal(0.0008, 0.01 * (1 + i), DAYS) for i in range(4)}
    returns["young"] = rng.normal(0.001, 0.01, DAYS)
    fading = rng.normal(0.004, 0.01, DAYS)
    fading[-90:] = rng.normal(-0.002, 0.01, 90)
    returns["fading"] = fading
    rows = []
    epoch = pd.Timestamp("2025-01-01 22:00", tz="UTC")
    for pod, series in returns.items():
        capital, nav = 1e6, 1e6
        start = DAYS - 20 if pod == "young" else 0
        for day in range(start, DAYS):
            if day > start:
                nav += series[day] * capital
            if day == 200:
                capital, nav = capital * 1.5, nav + capital * 0.5
            rows.append((pod, epoch + pd.Timedelta(days=day), nav, capital))
    return pd.DataFrame(rows, columns=["pod_id", "observe_time", "nav_usd", "capital_allocation_usd"])


CONSTRAINTS = [PodConstraint(f"pod-{i}", current_usd=1.5e6, max_fraction=0.4) for i in range(4)] + [
    PodConstraint("young", current_usd=1e6, stage="incubation", stage_cap_usd=1e6),
    PodConstraint("fading", current_usd=1.5e6),
]


@pytest.mark.parametrize(
    ("method", "estimator"),
    [
        (AllocationMethod.HRP, CovarianceMethod.LEDOIT_WOLF),
        (AllocationMethod.MAX_DIVERSIFICATION, CovarianceMethod.EWMA),
        (AllocationMethod.INVERSE_VOLATILITY, CovarianceMethod.SAMPLE),
    ],
)
def test_a_cycle_allocates_within_bounds_and_explains_itself(
    method: AllocationMethod, estimator: CovarianceMethod
) -> None:
    policy = CapitalPolicy(total_capital_usd=9e6, max_turnover_usd=3e6)

    result = run_allocation(snapshots(), CONSTRAINTS, policy, CycleSettings(method=method, estimator=estimator))

    allocation = result.allocation
    pods = {pod.pod_id: pod for pod in allocation.pods}
    assert set(result.target_weights) == {"pod-0", "pod-1", "pod-2", "pod-3", "fading"}
    assert sum(result.target_weights.values()) == pytest.approx(1.0)
    assert pods["young"].capital_usd == pytest.approx(1e6)
    assert pods["young"].reasons[0].startswith("insufficient history (19 returns, 30 needed)")
    assert result.decay["fading"].multiplier < 1.0
    assert pods["fading"].capital_usd <= 1.5e6 * result.decay["fading"].multiplier + 1e-6
    assert any(reason.startswith("alpha decay") for reason in pods["fading"].reasons)
    assert allocation.deployed_usd <= 9e6 + 1e-6
    assert allocation.turnover_usd <= 3e6 + 1e-6
    assert all(pods[f"pod-{i}"].capital_usd <= 0.4 * 9e6 + 1e-6 for i in range(4))
    statistics = {s.pod_id: s for s in result.statistics}
    assert statistics["young"].volatility_annualized is None
    assert statistics["pod-0"].observation_count == DAYS - 1
    assert statistics["pod-3"].volatility_annualized == pytest.approx(
        result.history.returns["pod-3"].std() * np.sqrt(365)
    )
    contributions = [s.risk_contribution for s in result.statistics if s.risk_contribution is not None]
    assert sum(contributions) == pytest.approx(1.0)
    assert result.effective_number_of_bets is not None and 1.0 < result.effective_number_of_bets <= 5.0
    assert result.covariance is not None and result.covariance.method is estimator


def test_with_no_pod_history_everyone_is_held() -> None:
    frame = snapshots()
    frame = frame[frame["pod_id"] == "young"]

    result = run_allocation(frame, CONSTRAINTS, CapitalPolicy(total_capital_usd=9e6))

    assert result.target_weights == {}
    assert result.covariance is None
    assert all(pod.capital_usd == pytest.approx(pod.previous_usd) for pod in result.allocation.pods)
