"""The BTC-correlation stress test and the risk overlay on cases solved by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.stress import (
    CorrelationStressPolicy,
    RiskOverlayPolicy,
    portfolio_correlation,
    risk_overlay,
    stress_btc_correlation,
)

SYMBOLS = ["BTC/USDT", "ETH/USDT", "XMR/USDT"]
# Daily σ: BTC 4%, ETH 5%, XMR 3%; ρ(BTC, ETH) = 0.9, XMR uncorrelated with both.
COV = np.array(
    [
        [0.0016, 0.9 * 0.04 * 0.05, 0.0],
        [0.9 * 0.04 * 0.05, 0.0025, 0.0],
        [0.0, 0.0, 0.0009],
    ]
)


def test_two_pods_long_btc_like_assets_are_cut_until_the_threshold_holds() -> None:
    # Pods long 1M of BTC, of ETH and of XMR. Per 1M: wᵀΣe_btc = 0.0016 + 0.0018 = 0.0034,
    # wᵀΣw = 0.0016 + 0.0025 + 0.0009 + 2·0.0018 = 0.0086, corr = 0.0034 / sqrt(0.0086·0.0016) = 0.9166.
    # The BTC and ETH pods raise it, the XMR pod lowers it. Cut both by k:
    # corr(k) = 0.0034k / (0.04·sqrt(0.0077k² + 0.0009)) = 0.8  <=>  k² (1.156e-5 - 0.64·0.0016·0.0077)
    # = 0.64·0.0016·0.0009, so k² = 9.216e-7 / 3.6752e-6 and k = 0.50076.
    exposures = np.diag([1e6, 1e6, 1e6])
    k = math.sqrt(9.216e-7 / 3.6752e-6)

    result = stress_btc_correlation(["btc-trend", "eth-carry", "xmr-arb"], exposures, COV, SYMBOLS)

    assert result.correlation_before == pytest.approx(0.0034 / math.sqrt(0.0086 * 0.0016), rel=1e-12)
    assert result.breached
    assert result.resolved
    assert result.correlation_after == pytest.approx(0.8, abs=1e-9)
    assert result.scale_by_pod() == pytest.approx({"btc-trend": k, "eth-carry": k}, rel=1e-9)
    assert "correlation to BTC/USDT" in result.cuts[0].reason


def test_a_hedged_pair_is_not_cut() -> None:
    # Long 1M BTC, short 0.8M ETH, per 1M: wᵀΣe_btc = 0.0016 - 0.8·0.0018 = 0.00016 and
    # wᵀΣw = 0.0016 + 0.64·0.0025 - 2·0.8·0.0018 = 0.00032, a correlation of 0.00016 / sqrt(0.00032·0.0016) = 0.224.
    exposures = np.array([[1e6, 0.0, 0.0], [0.0, -8e5, 0.0]])

    result = stress_btc_correlation(["long", "short"], exposures, COV, SYMBOLS)

    assert not result.breached
    assert result.cuts == ()
    assert result.correlation_before == pytest.approx(0.00016 / math.sqrt(0.00032 * 0.0016), rel=1e-12)
    assert result.correlation_after == result.correlation_before


def test_pods_that_are_all_btc_cannot_be_mixed_below_the_threshold() -> None:
    exposures = np.array([[1e6, 0.0, 0.0], [2e6, 0.0, 0.0]])

    result = stress_btc_correlation(["a", "b"], exposures, COV, SYMBOLS)

    assert result.correlation_before == pytest.approx(1.0)
    assert not result.resolved
    assert result.cuts == ()


def test_min_scale_stops_the_cut() -> None:
    exposures = np.diag([1e6, 1e6, 1e6])

    result = stress_btc_correlation(
        ["a", "b", "c"], exposures, COV, SYMBOLS, policy=CorrelationStressPolicy(threshold=0.5, min_scale=0.5)
    )

    assert not result.resolved
    assert result.scale_by_pod() == pytest.approx({"a": 0.5, "b": 0.5})
    assert result.correlation_after == pytest.approx(portfolio_correlation([5e5, 5e5, 1e6], COV, 0))


def test_two_sided_also_cuts_a_portfolio_short_btc() -> None:
    exposures = -np.diag([1e6, 1e6, 1e6])

    one_sided = stress_btc_correlation(["a", "b", "c"], exposures, COV, SYMBOLS)
    two_sided = stress_btc_correlation(
        ["a", "b", "c"], exposures, COV, SYMBOLS, policy=CorrelationStressPolicy(two_sided=True)
    )

    assert not one_sided.breached
    assert two_sided.resolved
    assert two_sided.correlation_after == pytest.approx(0.8, abs=1e-9)
    assert set(two_sided.scale_by_pod()) == {"a", "b"}


def test_risk_overlay_by_hand() -> None:
    # Positions 1M BTC and -0.5M ETH. Expected: wᵀΣw = 1e12·0.0016 + 0.25e12·0.0025 - 2·0.5e12·0.0018 = 0.425e9,
    # so 20,616 USD a day. Worst correlation: 1e6·0.04 + 0.5e6·0.05 = 65,000. BTC's history runs 2% to 6% in
    # 101 even steps, its 99th percentile the 100th value, 5.96%; ETH's history (3%) is below today's 5%, which
    # stands. Shocked wᵀΣw = 1e12·0.0596² + 0.25e12·0.0025 - 2·0.5e12·0.9·0.0596·0.05 = 1.49516e9, 38,667 USD.
    # Target 10,000 a day: limits 14,000, 34,000 and 36,000; worst correlation binds at 34,000 / 65,000 = 0.523.
    history = np.column_stack((np.linspace(0.02, 0.06, 101), np.full(101, 0.03), np.full(101, np.nan)))

    overlay = risk_overlay([1e6, -5e5, 0.0], COV, history, risk_target_usd_per_day=10_000.0)

    assert overlay.expected_risk_usd == pytest.approx(math.sqrt(0.425e9))
    assert overlay.worst_correlation_risk_usd == pytest.approx(65_000.0)
    assert overlay.high_volatility_risk_usd == pytest.approx(math.sqrt(1.49516e9))
    assert dict(overlay.multipliers) == pytest.approx(
        {
            "expected risk": min(1.0, 14_000 / math.sqrt(0.425e9)),
            "worst correlation": 34_000 / 65_000,
            "high volatility": min(1.0, 36_000 / math.sqrt(1.49516e9)),
        }
    )
    assert overlay.scale == pytest.approx(34_000 / 65_000)
    assert overlay.binding == "worst correlation"


def test_risk_overlay_leaves_a_small_book_alone() -> None:
    overlay = risk_overlay(
        [1e4, 0.0, 0.0], COV, np.full((5, 3), 0.04), risk_target_usd_per_day=10_000.0, policy=RiskOverlayPolicy()
    )

    assert overlay.scale == 1.0
    assert overlay.binding == ""


def test_bad_stress_inputs_name_the_field() -> None:
    with pytest.raises(InvalidArgument) as error:
        stress_btc_correlation(["a"], np.ones((1, 2)), COV, SYMBOLS)
    assert error.value.field == "exposures_usd"
    with pytest.raises(InvalidArgument) as error:
        stress_btc_correlation(["a"], np.ones((1, 3)), COV, SYMBOLS, btc_symbol="BTC/USD")
    assert error.value.field == "btc_symbol"
    with pytest.raises(InvalidArgument) as error:
        stress_btc_correlation(["a"], np.ones((1, 3)), COV, SYMBOLS, policy=CorrelationStressPolicy(threshold=1.2))
    assert error.value.field == "policy.threshold"
    with pytest.raises(InvalidArgument) as error:
        risk_overlay([1.0, 0.0, math.nan], COV, np.zeros((1, 3)), risk_target_usd_per_day=1.0)
    assert error.value.field == "exposure_usd"
    with pytest.raises(InvalidArgument) as error:
        risk_overlay([1.0, 0.0, 0.0], COV, np.zeros((1, 3)), risk_target_usd_per_day=-1.0)
    assert error.value.field == "risk_target_usd_per_day"
