"""Covariance estimators against sklearn and pandas, gap handling, and the diversification measures by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.covariance import LedoitWolf

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.covariance import (
    CovarianceMethod,
    correlation_from_covariance,
    diversification_ratio,
    effective_number_of_bets,
    estimate_covariance,
    ewma_covariance,
    ledoit_wolf,
    risk_contributions,
    sample_covariance,
)


def correlated_returns(rows: int, columns: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    factor = rng.normal(0, 0.01, (rows, 1))
    return factor * rng.uniform(0.2, 1.5, columns) + rng.normal(0.001, 0.02, (rows, columns))


@pytest.mark.parametrize(("rows", "columns"), [(250, 30), (40, 80), (730, 1), (5, 3)])
def test_ledoit_wolf_matches_sklearn(rows: int, columns: int) -> None:
    returns = correlated_returns(rows, columns, seed=rows + columns)
    reference = LedoitWolf().fit(returns)

    ours = ledoit_wolf(returns)

    assert np.max(np.abs(ours.covariance - reference.covariance_)) < 1e-10
    assert abs(ours.shrinkage - reference.shrinkage_) < 1e-10
    assert np.max(np.abs(ours.location - reference.location_)) < 1e-12


def test_ledoit_wolf_assume_centered_matches_sklearn() -> None:
    returns = correlated_returns(120, 25, seed=3)
    reference = LedoitWolf(assume_centered=True).fit(returns)

    ours = ledoit_wolf(returns, assume_centered=True)

    assert np.max(np.abs(ours.covariance - reference.covariance_)) < 1e-10
    assert abs(ours.shrinkage - reference.shrinkage_) < 1e-10


def test_estimate_covariance_without_gaps_is_sklearns_ledoit_wolf() -> None:
    returns = correlated_returns(300, 12, seed=8)
    frame = pd.DataFrame(returns, columns=[f"pod-{i}" for i in range(12)])
    reference = LedoitWolf().fit(returns)

    estimate = estimate_covariance(frame, CovarianceMethod.LEDOIT_WOLF)

    assert list(estimate.covariance.columns) == list(frame.columns)
    assert np.max(np.abs(estimate.covariance.to_numpy() - reference.covariance_)) < 1e-10
    assert abs(estimate.shrinkage - reference.shrinkage_) < 1e-10
    assert estimate.period_count == 300


def test_ewma_covariance_hand_case() -> None:
    # Half-life 1: weights 0.25, 0.5, 1 for the three returns, oldest first; sum 1.75, sum of squares 1.3125.
    returns = np.array([[0.01, 0.02], [-0.02, 0.01], [0.03, -0.01]])
    weights = np.array([0.25, 0.5, 1.0])
    mean = weights @ returns / 1.75
    centred = returns - mean
    biased = (centred * weights[:, None]).T @ centred / 1.75
    unbiased = biased * 1.75**2 / (1.75**2 - 1.3125)
    pandas = pd.DataFrame(returns).ewm(halflife=1.0).cov().loc[2].to_numpy()

    ours = ewma_covariance(returns, 1.0)

    assert np.max(np.abs(ours - unbiased)) < 1e-15
    assert np.max(np.abs(ours - pandas)) < 1e-15
    assert np.max(np.abs(ewma_covariance(returns, 1.0, bias=True) - biased)) < 1e-15


def test_ewma_covariance_matches_pandas_on_a_longer_series() -> None:
    returns = correlated_returns(200, 5, seed=21)
    frame = pd.DataFrame(returns)
    expected = frame.ewm(halflife=30.0).cov().loc[199].to_numpy()
    expected_biased = frame.ewm(halflife=30.0).cov(bias=True).loc[199].to_numpy()

    assert np.max(np.abs(ewma_covariance(returns, 30.0) - expected)) < 1e-15
    assert np.max(np.abs(ewma_covariance(returns, 30.0, bias=True) - expected_biased)) < 1e-15
    estimate = estimate_covariance(frame, CovarianceMethod.EWMA, half_life_days=30.0)
    assert np.max(np.abs(estimate.covariance.to_numpy() - expected)) < 1e-15


def test_sample_covariance_is_numpys() -> None:
    returns = correlated_returns(50, 4, seed=2)

    assert np.max(np.abs(sample_covariance(returns) - np.cov(returns.T))) < 1e-15
    frame = pd.DataFrame(returns)
    estimate = estimate_covariance(frame, CovarianceMethod.SAMPLE)
    assert np.max(np.abs(estimate.covariance.to_numpy() - np.cov(returns.T))) < 1e-15


@pytest.mark.parametrize("method", list(CovarianceMethod))
def test_gaps_keep_each_pods_own_variance_and_a_positive_semidefinite_matrix(method: CovarianceMethod) -> None:
    returns = correlated_returns(200, 4, seed=5)
    frame = pd.DataFrame(returns, columns=["a", "b", "c", "d"])
    frame.iloc[:120, 1] = np.nan  # b starts late
    frame.iloc[50:60, 2] = np.nan  # c misses ten days
    complete_c = frame["c"].dropna().to_numpy()
    late_b = frame["b"].dropna().to_numpy()

    estimate = estimate_covariance(frame, method, half_life_days=40.0).covariance

    assert np.linalg.eigvalsh(estimate.to_numpy()).min() > -1e-18
    if method is CovarianceMethod.SAMPLE:
        assert estimate.loc["b", "b"] == pytest.approx(np.var(late_b, ddof=1), rel=1e-12)
        assert estimate.loc["c", "c"] == pytest.approx(np.var(complete_c, ddof=1), rel=1e-12)
    if method is CovarianceMethod.EWMA:
        expected = frame[["b"]].dropna().ewm(halflife=40.0).cov().iloc[-1, 0]
        # Weights follow calendar age, so the gap years of b weigh nothing; its own returns keep their weights.
        ages = np.arange(199, -1, -1)[120:]
        weights = 0.5 ** (ages / 40.0)
        mean = weights @ late_b / weights.sum()
        variance = weights @ (late_b - mean) ** 2 / (weights.sum() - weights @ weights / weights.sum())
        assert estimate.loc["b", "b"] == pytest.approx(variance, rel=1e-12)
        assert expected == pytest.approx(variance, rel=1e-12)


def test_correlation_from_covariance() -> None:
    cov = np.array([[0.04, 0.006], [0.006, 0.01]])

    correlation = correlation_from_covariance(cov)

    assert correlation[0, 1] == pytest.approx(0.006 / (0.2 * 0.1))
    assert np.all(np.diag(correlation) == 1.0)


def test_effective_number_of_bets_hand_cases() -> None:
    n = 7
    identical = 0.04 * np.eye(n)
    equal = np.full(n, 1 / n)
    assert effective_number_of_bets(equal, identical) == pytest.approx(n, rel=1e-12)
    assert effective_number_of_bets([1.0, 0, 0, 0, 0, 0, 0], identical) == pytest.approx(1.0)
    # σ = (1, 2), uncorrelated, w = (1/2, 1/2): Σw = (0.5, 2), wᵀΣw = 1.25, contributions (0.2, 0.8), 1 / 0.68.
    cov = np.diag([1.0, 4.0])
    assert risk_contributions([0.5, 0.5], cov) == pytest.approx([0.2, 0.8])
    assert effective_number_of_bets([0.5, 0.5], cov) == pytest.approx(1 / 0.68)


def test_diversification_ratio_hand_cases() -> None:
    n = 9
    assert diversification_ratio(np.full(n, 1 / n), 0.01 * np.eye(n)) == pytest.approx(math.sqrt(n))
    same = np.full((2, 2), 0.04)
    assert diversification_ratio([0.5, 0.5], same) == pytest.approx(1.0)
    # Two perfectly correlated pods: one bet by the diversification ratio, two by the risk-contribution count.
    assert effective_number_of_bets([0.5, 0.5], same) == pytest.approx(2.0)


def test_bad_inputs_name_the_field() -> None:
    with pytest.raises(InvalidArgument) as error:
        ledoit_wolf(np.array([[0.1, np.nan], [0.2, 0.3]]))
    assert error.value.field == "returns"
    with pytest.raises(InvalidArgument) as error:
        diversification_ratio([0.5, 0.5, 0.0], np.eye(2))
    assert error.value.field == "weights"
    with pytest.raises(InvalidArgument) as error:
        effective_number_of_bets([0.5, 0.5], np.array([[1.0, 0.2], [0.3, 1.0]]))
    assert error.value.field == "covariance"
    with pytest.raises(InvalidArgument) as error:
        estimate_covariance(pd.DataFrame({"a": [0.1, 0.2, 0.3], "b": [np.nan, np.nan, 0.1]}))
    assert error.value.field == "returns[b]"
    with pytest.raises(InvalidArgument) as error:
        ewma_covariance(np.ones((3, 2)), 0.0)
    assert error.value.field == "half_life_days"
