"""Betas to BTC for the beta-adjusted exposure, point-in-time from the data lake.

beta = cov(r_asset, r_btc) / var(r_btc) over the last `window` simple daily returns both
series have; an asset without enough history in the lake counts with beta 1 (conservative:
crypto assets' betas to BTC are mostly near or above it).
"""

from __future__ import annotations

import numpy as np


def beta(asset_closes: dict[int, float], btc_closes: dict[int, float], window: int = 90, minimum: int = 20) -> float:
    """Beta of the asset's daily returns to BTC's, from closes keyed by day (ms); 1.0 without enough data."""
    days = sorted(set(asset_closes) & set(btc_closes))[-(window + 1) :]
    if len(days) < minimum + 1:
        return 1.0
    asset = np.array([asset_closes[d] for d in days])
    btc = np.array([btc_closes[d] for d in days])
    asset_returns, btc_returns = asset[1:] / asset[:-1] - 1, btc[1:] / btc[:-1] - 1
    variance = float(np.var(btc_returns, ddof=1))
    if variance == 0:
        return 1.0
    return float(np.cov(asset_returns, btc_returns, ddof=1)[0, 1] / variance)
