"""The volatility forecast against a computation written out from the formulas."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from slipstream.volatility.estimator import VolatilityParameters, daily_closes, forecast

DAY = 86_400_000
CLOSES = [
    100.0,
    102.0,
    101.0,
    105.0,
    104.0,
    103.5,
    107.0,
    106.0,
    108.0,
    107.5,
    110.0,
    109.0,
    111.5,
    110.0,
    112.0,
    113.0,
]


def ewm_std(values: list[float], span: int) -> float:
    """Bias-corrected exponentially weighted standard deviation (weights (1-a)^age, a = 2/(span+1))."""
    alpha = 2 / (span + 1)
    weights = [(1 - alpha) ** (len(values) - 1 - i) for i in range(len(values))]
    total = sum(weights)
    mean = sum(w * x for w, x in zip(weights, values, strict=True)) / total
    variance = sum(w * (x - mean) ** 2 for w, x in zip(weights, values, strict=True))
    return math.sqrt(variance / (total - sum(w * w for w in weights) / total))


def test_forecast_matches_the_formulas_by_hand() -> None:
    closes = pd.Series(CLOSES, index=[i * DAY for i in range(len(CLOSES))])
    returns = [CLOSES[i] / CLOSES[i - 1] - 1 for i in range(1, len(CLOSES))]
    # EWMA volatility after each return, from the 10th on (min_returns = 10).
    vols = [ewm_std(returns[: n + 1], 35) for n in range(9, len(returns))]
    # The floor needs 100 values: not active. Long-run: weighted mean with centre of mass 20 x 365.
    alpha = 1 / (1 + 20 * 365)
    weights = [(1 - alpha) ** (len(vols) - 1 - i) for i in range(len(vols))]
    long_run = sum(w * v for w, v in zip(weights, vols, strict=True)) / sum(weights)
    blended = 0.7 * vols[-1] + 0.3 * long_run

    estimate = forecast(closes)

    assert estimate is not None
    assert estimate.observation_count == 15
    assert estimate.daily == pytest.approx(blended, rel=1e-12)
    assert estimate.annualized == pytest.approx(blended * math.sqrt(365), rel=1e-12)
    assert estimate.ewma_annualized == pytest.approx(vols[-1] * math.sqrt(365), rel=1e-12)
    assert estimate.long_run_annualized == pytest.approx(long_run * math.sqrt(365), rel=1e-12)
    assert not estimate.floored
    assert estimate.last_close_day_ms == 15 * DAY


def test_too_few_returns_gives_no_forecast() -> None:
    assert forecast(pd.Series(CLOSES[:10], index=[i * DAY for i in range(10)])) is None


def test_floor_lifts_a_collapsing_volatility() -> None:
    rng = np.random.default_rng(7)
    noisy = 100 * np.exp(np.cumsum(rng.normal(0, 0.03, 300)))
    flat = np.full(60, noisy[-1])
    prices = np.concatenate([noisy, flat + np.arange(60) * 1e-6])
    estimate = forecast(pd.Series(prices, index=np.arange(len(prices)) * DAY), VolatilityParameters())
    assert estimate is not None and estimate.floored
    assert estimate.ewma_annualized > 0.1


def test_daily_closes_keep_complete_days_and_carry_missing_ones() -> None:
    hour = 3_600_000
    times = np.array([0, 23 * hour, 2 * DAY, 2 * DAY + 23 * hour, 3 * DAY], dtype=np.int64)
    closes = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    daily = daily_closes(times, closes, hour)
    # Day 1 has no bars (carried), day 3 is incomplete (dropped).
    assert daily.index.tolist() == [0, DAY, 2 * DAY]
    assert daily.tolist() == [2.0, 2.0, 4.0]
