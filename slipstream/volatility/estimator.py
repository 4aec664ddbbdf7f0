"""Carver-style volatility forecast from daily closes: a pure function over pandas.

Defaults follow pysystemtrade (sysquant/estimators/vol.py): robust_vol_calc's EWMA span of
35 days with at least 10 returns, an absolute minimum of 1e-10 and a floor at the rolling 5%
quantile over 500 days (from 100 values on); mixed_vol_calc's blend of 70% current volatility
with 30% of its long-run average, an exponentially weighted mean with centre of mass
20 years. Two choices differ for crypto and are documented here: returns are simple
percentage returns of daily closes (pysystemtrade uses price differences, for futures), and
a year has 365 days (crypto trades every day; pysystemtrade uses 256 business days).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class VolatilityParameters:
    span_days: int = 35
    min_returns: int = 10
    abs_min: float = 1e-10
    floor_quantile: float = 0.05
    floor_window_days: int = 500
    floor_min_periods: int = 100
    slow_years: float = 20.0
    slow_proportion: float = 0.3
    days_per_year: int = DAYS_PER_YEAR


@dataclass(frozen=True)
class VolatilityEstimate:
    annualized: float
    daily: float
    ewma_annualized: float
    long_run_annualized: float
    observation_count: int
    floored: bool
    last_close_day_ms: int


def daily_closes(open_time_ms: np.ndarray, close: np.ndarray, bar_ms: int) -> pd.Series:
    """Last close of each complete UTC day, indexed by the day's start (ms), one row per day.

    A day counts only when its last bar has closed at the day's end, so a partial day never
    enters the returns; days without bars carry the previous close (a zero return).
    """
    if len(open_time_ms) == 0:
        return pd.Series(dtype=float)
    day_ms = 86_400_000
    frame = pd.DataFrame({"day": open_time_ms // day_ms * day_ms, "close_time": open_time_ms + bar_ms, "close": close})
    last = frame.groupby("day").last()
    complete = last[last["close_time"] == last.index + day_ms]["close"]
    if complete.empty:
        return complete
    every_day = np.arange(complete.index[0], complete.index[-1] + day_ms, day_ms)
    return complete.reindex(every_day).ffill()


def forecast(closes: pd.Series, parameters: VolatilityParameters | None = None) -> VolatilityEstimate | None:
    """The forecast as of the last close, or None with fewer than `min_returns` returns."""
    parameters = parameters or VolatilityParameters()
    returns = closes.pct_change().dropna()
    if len(returns) < parameters.min_returns:
        return None
    ewma = returns.ewm(span=parameters.span_days, adjust=True, min_periods=parameters.min_returns).std()
    ewma = ewma.dropna().clip(lower=parameters.abs_min)
    floor = ewma.rolling(window=parameters.floor_window_days, min_periods=parameters.floor_min_periods).quantile(
        parameters.floor_quantile
    )
    floor.iloc[0] = 0.0
    floor = floor.ffill()
    floored = np.maximum(ewma, floor)
    slow_com = parameters.slow_years * parameters.days_per_year
    long_run = floored.ewm(com=slow_com, adjust=True).mean()
    blended = (1 - parameters.slow_proportion) * floored.iloc[-1] + parameters.slow_proportion * long_run.iloc[-1]
    root_year = math.sqrt(parameters.days_per_year)
    return VolatilityEstimate(
        annualized=float(blended * root_year),
        daily=float(blended),
        ewma_annualized=float(floored.iloc[-1] * root_year),
        long_run_annualized=float(long_run.iloc[-1] * root_year),
        observation_count=len(returns),
        floored=bool(floor.iloc[-1] > ewma.iloc[-1]),
        last_close_day_ms=int(closes.index[-1]),
    )
