"""Residual returns: the batched HAC regression against statsmodels, fake alpha, rolling betas, attribution."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.regression.rolling import RollingOLS

from slipstream.analytics.residual import (
    FakeAlphaPolicy,
    attribute_pnl,
    fake_alpha,
    fit_residuals,
    hac_ols,
    newey_west_lags,
    rolling_betas,
)
from slipstream.core.errors import InvalidArgument


def market(days: int, seed: int, btc_drift: float = 0.001) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    btc = rng.normal(btc_drift, 0.03, days)
    eth = 0.9 * btc + rng.normal(0.0, 0.02, days)
    return pd.DataFrame({"BTC": btc, "ETH": eth}, index=pd.date_range("2024-01-01", periods=days, freq="D"))


def statsmodels_fit(y: np.ndarray, factors: np.ndarray, maxlags: int) -> sm.regression.linear_model.RegressionResults:
    return sm.OLS(y, sm.add_constant(factors)).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags})


@pytest.mark.parametrize("maxlags", [None, 3])
def test_batched_fit_equals_statsmodels_pod_by_pod_including_missing_days(maxlags: int | None) -> None:
    factors = market(400, seed=1)
    rng = np.random.default_rng(2)
    betas = rng.normal(0.0, 1.0, (8, 2))
    noise = rng.standard_t(4, (400, 8)) * 0.01
    # Autocorrelated noise, so the HAC lags matter.
    noise[1:] += 0.4 * noise[:-1]
    returns = pd.DataFrame(
        0.0004 + factors.to_numpy() @ betas.T + noise,
        index=factors.index,
        columns=[f"pod-{i}" for i in range(8)],
    )
    returns.iloc[:25, 2] = np.nan  # joined late
    returns.iloc[100:110, 3] = np.nan  # a gap
    returns.iloc[100:110, 4] = np.nan  # the same gap: same batch as pod-3
    returns.iloc[300:302, 5] = np.nan  # a gap of its own
    returns.iloc[:330, 6] = np.nan  # a young pod: fewer lags by default
    factors.iloc[50, 1] = np.nan  # a day without an ETH close drops out for everyone

    report = fit_residuals(returns, factors, maxlags=maxlags)

    for pod in returns.columns:
        y = returns[pod].to_numpy()
        rows = np.isfinite(y) & np.isfinite(factors.to_numpy()).all(axis=1)
        lags = newey_west_lags(int(rows.sum())) if maxlags is None else maxlags
        expected = statsmodels_fit(y[rows], factors.to_numpy()[rows], lags)
        fit = report.fits[pod]
        assert fit.observation_count == rows.sum()
        assert fit.maxlags == lags
        np.testing.assert_allclose([fit.alpha_daily, *fit.betas], expected.params, rtol=0, atol=1e-10)
        np.testing.assert_allclose([fit.alpha_t, *fit.beta_ts], expected.tvalues, rtol=0, atol=1e-10)
        np.testing.assert_allclose([fit.alpha_se, *fit.beta_ses], expected.bse, rtol=0, atol=1e-12)
        np.testing.assert_allclose([fit.alpha_p, *fit.beta_ps], expected.pvalues, rtol=0, atol=1e-10)
        assert fit.r_squared == pytest.approx(expected.rsquared, abs=1e-10)
        assert fit.alpha_annualized == pytest.approx(fit.alpha_daily * 365)
        residual = report.alpha_returns[pod].to_numpy()[rows]
        np.testing.assert_allclose(residual, expected.resid + expected.params[0], atol=1e-12)
        assert np.isnan(report.alpha_returns[pod].to_numpy()[~rows]).all()


@pytest.mark.parametrize("maxlags", [0, 1, 10])
def test_hac_ols_equals_statsmodels_for_any_lag(maxlags: int) -> None:
    rng = np.random.default_rng(maxlags)
    factors = rng.normal(size=(150, 2))
    responses = factors @ np.array([[0.5, -1.0], [2.0, 0.1]]) + rng.normal(size=(150, 2))

    batch = hac_ols(sm.add_constant(factors), responses, maxlags)

    for column in range(2):
        expected = statsmodels_fit(responses[:, column], factors, maxlags)
        np.testing.assert_allclose(batch.params[column], expected.params, rtol=0, atol=1e-12)
        np.testing.assert_allclose(batch.bse[column], expected.bse, rtol=0, atol=1e-12)
        np.testing.assert_allclose(batch.pvalues[column], expected.pvalues, rtol=0, atol=1e-12)


def test_newey_west_default_lags() -> None:
    assert [newey_west_lags(n) for n in (30, 100, 365, 730)] == [3, 4, 5, 6]


def test_a_pod_that_is_two_times_btc_plus_noise_is_fake_alpha() -> None:
    factors = market(730, seed=3, btc_drift=0.002)
    rng = np.random.default_rng(4)
    returns = pd.DataFrame({"levered": 2 * factors["BTC"].to_numpy() + rng.normal(0.0, 0.005, 730)}, factors.index)

    fit = fit_residuals(returns, factors).fits["levered"]
    verdict = fake_alpha(fit)

    assert fit.beta("BTC") == pytest.approx(2.0, abs=0.05)
    assert verdict.profitable
    assert verdict.flagged
    assert "leveraged index fund" in verdict.reason
    assert not fake_alpha(fit, FakeAlphaPolicy(beta_t_min=1e9)).flagged


def test_injected_alpha_with_zero_beta_is_recovered_and_not_flagged() -> None:
    factors = market(730, seed=5)
    rng = np.random.default_rng(6)
    returns = pd.DataFrame({"alpha": 0.0020 + rng.normal(0.0, 0.01, 730)}, factors.index)

    fit = fit_residuals(returns, factors).fits["alpha"]

    # 20 bps a day; its standard error is about 0.01 / sqrt(730) = 3.7 bps, so 4 errors is 15 bps.
    assert fit.alpha_daily == pytest.approx(0.0020, abs=0.0015)
    assert fit.alpha_annualized == pytest.approx(0.0020 * 365, abs=0.0015 * 365)
    assert fit.alpha_t > 2.0
    assert all(abs(beta) < 0.1 for beta in fit.betas)
    assert not fake_alpha(fit).flagged


def test_genuine_alpha_with_zero_beta_is_never_flagged_across_seeds() -> None:
    factors = market(730, seed=7)
    rng = np.random.default_rng(8)
    returns = pd.DataFrame(0.0015 + rng.normal(0.0, 0.01, (730, 40)), index=factors.index)

    report = fit_residuals(returns, factors)

    assert len(report.fits) == 40
    assert not any(fake_alpha(fit).flagged for fit in report.fits.values())


def test_losers_are_not_fake_alpha() -> None:
    factors = market(365, seed=9, btc_drift=-0.003)
    rng = np.random.default_rng(10)
    returns = pd.DataFrame({"long": factors["BTC"].to_numpy() + rng.normal(0.0, 0.005, 365)}, factors.index)
    fit = fit_residuals(returns, factors).fits["long"]

    assert not fake_alpha(fit).flagged
    assert fake_alpha(fit).reason == "not profitable"
    with pytest.raises(InvalidArgument) as raised:
        FakeAlphaPolicy(alpha_t_min=float("nan"))
    assert raised.value.field == "policy.alpha_t_min"


def test_pods_with_too_few_days_are_listed_not_fitted() -> None:
    factors = market(100, seed=11)
    returns = pd.DataFrame({"new": np.r_[np.full(80, np.nan), np.full(20, 0.01)], "old": 0.01}, factors.index)
    returns["old"] += np.random.default_rng(12).normal(0, 0.01, 100)

    report = fit_residuals(returns, factors)

    assert report.too_short == ("new",)
    assert set(report.fits) == {"old"}
    assert list(report.to_frame()["pod_id"]) == ["old"]
    assert report.to_frame().loc[0, "beta_BTC"] == report.fits["old"].betas[0]


@pytest.mark.parametrize(
    ("returns", "factors", "field"),
    [
        (pd.DataFrame({"p": [0.1, np.inf, 0.0]}), pd.DataFrame({"BTC": [0.0, 0.1, 0.2]}), "pod_returns"),
        (pd.DataFrame({"p": [0.1, 0.2]}, index=[1, 1]), pd.DataFrame({"BTC": [0.0, 0.1]}), "pod_returns.index"),
        (pd.DataFrame({"p": [0.1, 0.2]}), pd.DataFrame(index=[0, 1]), "factor_returns"),
    ],
)
def test_bad_frames_are_refused_naming_the_field(returns: pd.DataFrame, factors: pd.DataFrame, field: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        fit_residuals(returns, factors, min_observations=3)
    assert raised.value.field == field


def test_rolling_betas_equal_statsmodels_rolling_ols() -> None:
    factors = market(200, seed=13)
    rng = np.random.default_rng(14)
    returns = pd.Series(0.5 * factors["BTC"] + 0.3 * factors["ETH"] + rng.normal(0, 0.01, 200), index=factors.index)

    ours = rolling_betas(returns, factors, window=60)
    expected = RollingOLS(returns, sm.add_constant(factors), window=60).fit().params.dropna()

    assert list(ours.columns) == ["alpha", "BTC", "ETH"]
    assert ours.index.equals(expected.index)
    np.testing.assert_allclose(ours.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-10)


def test_rolling_betas_skip_missing_days() -> None:
    factors = market(50, seed=15)
    returns = pd.Series(2 * factors["BTC"].to_numpy(), index=factors.index)
    returns.iloc[10] = np.nan

    betas = rolling_betas(returns, factors, window=20)

    assert len(betas) == 49 - 20 + 1
    np.testing.assert_allclose(betas["BTC"], 2.0, atol=1e-9)
    with pytest.raises(InvalidArgument) as raised:
        rolling_betas(returns, factors, window=3)
    assert raised.value.field == "window"


def test_pnl_splits_into_beta_and_alpha() -> None:
    factors = market(365, seed=16)
    rng = np.random.default_rng(17)
    returns = pd.DataFrame(
        {"mix": 0.001 + 1.5 * factors["BTC"].to_numpy() + rng.normal(0.0, 0.004, 365)}, index=factors.index
    )
    fit = fit_residuals(returns, factors).fits["mix"]
    capital = pd.Series(np.linspace(1e6, 2e6, 365), index=factors.index)

    split = attribute_pnl(fit, returns["mix"], factors, capital)

    r, f, c = returns["mix"].to_numpy(), factors.to_numpy(), capital.to_numpy()
    assert split.total_pnl_usd == pytest.approx(float((r * c).sum()))
    assert split.beta_pnl_usd == pytest.approx(float(((f @ np.array(fit.betas)) * c).sum()))
    assert split.beta_pnl_usd + split.alpha_pnl_usd == pytest.approx(split.total_pnl_usd)
    assert split.intercept_pnl_usd + split.residual_pnl_usd == pytest.approx(split.alpha_pnl_usd)
    assert dict(split.factor_pnl_usd)["BTC"] + dict(split.factor_pnl_usd)["ETH"] == pytest.approx(split.beta_pnl_usd)
    assert split.intercept_pnl_usd == pytest.approx(fit.alpha_daily * float(c.sum()))


def test_a_pure_index_position_has_no_alpha_pnl() -> None:
    factors = market(120, seed=18)
    returns = pd.DataFrame({"index": 2.0 * factors["BTC"].to_numpy()}, index=factors.index)
    fit = fit_residuals(returns, factors).fits["index"]

    split = attribute_pnl(fit, returns["index"], factors, 1e6)

    assert split.alpha_pnl_usd == pytest.approx(0.0, abs=1e-6)
    assert split.beta_pnl_usd == pytest.approx(split.total_pnl_usd)
    with pytest.raises(InvalidArgument) as raised:
        attribute_pnl(fit, returns["index"], factors, pd.Series(1e6, index=factors.index[:10]))
    assert raised.value.field == "capital_usd"
