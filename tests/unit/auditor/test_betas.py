import numpy as np
import statsmodels.api as sm

from slipstream.auditor.betas import beta

DAY = 86_400_000


def test_beta_equals_the_ols_slope() -> None:
    rng = np.random.default_rng(5)
    btc_returns = rng.normal(0, 0.03, 120)
    asset_returns = 1.4 * btc_returns + rng.normal(0, 0.01, 120)
    btc = 100 * np.cumprod(np.r_[1, 1 + btc_returns])
    asset = 10 * np.cumprod(np.r_[1, 1 + asset_returns])
    closes_btc = {i * DAY: float(p) for i, p in enumerate(btc)}
    closes_asset = {i * DAY: float(p) for i, p in enumerate(asset)}
    expected = sm.OLS(asset_returns[-90:], sm.add_constant(btc_returns[-90:])).fit().params[1]
    assert abs(beta(closes_asset, closes_btc, window=90) - expected) < 1e-12


def test_too_little_history_counts_as_one() -> None:
    assert beta({0: 1.0, DAY: 1.1}, {0: 1.0, DAY: 1.2}) == 1.0
