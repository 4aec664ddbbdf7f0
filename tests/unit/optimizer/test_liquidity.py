"""The square-root law by hand, its closed-form capacity, and the calibration of Y on synthetic metaorders."""

from __future__ import annotations

import math

import numpy as np
import pytest

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.liquidity import (
    SymbolLiquidity,
    calibrate_impact,
    capacity_usd,
    expected_slippage_bps,
    max_position_usd,
    pod_capacities,
    slippage_surface,
    trade_metaorders,
)

ETH = SymbolLiquidity("ETH/USDT", daily_volume_usd=1e8, daily_volatility=0.02, half_spread_bps=2.0)


def test_slippage_by_hand() -> None:
    # 1M of 100M daily volume: sqrt(0.01) = 0.1; impact 1 · 0.02 · 0.1 · 1e4 = 20 bps, plus 2 of half spread.
    assert float(expected_slippage_bps(1e6, 1e8, 0.02, 2.0)) == pytest.approx(22.0)
    assert float(expected_slippage_bps(1e6, 1e8, 0.02, 2.0, impact_coefficient=0.5)) == pytest.approx(12.0)
    assert expected_slippage_bps([0.0, 4e6], 1e8, 0.02, 2.0) == pytest.approx([2.0, 42.0])


def test_capacity_is_the_closed_form_inverse() -> None:
    # Budget 22 bps leaves 20 for impact: Q = 1e8 · (20 / (0.02 · 1e4))² = 1e8 · 0.01 = 1M.
    assert float(capacity_usd(22.0, 1e8, 0.02, 2.0)) == pytest.approx(1e6)
    assert float(capacity_usd(2.0, 1e8, 0.02, 2.0)) == 0.0
    assert float(capacity_usd(1.0, 1e8, 0.02, 2.0)) == 0.0
    assert float(capacity_usd(10.0, 1e8, 0.0, 2.0)) == math.inf
    budgets = np.array([5.0, 15.0, 50.0])
    capacities = capacity_usd(budgets, 3e7, 0.035, 1.5, 0.8)
    assert expected_slippage_bps(capacities, 3e7, 0.035, 1.5, 0.8) == pytest.approx(budgets, rel=1e-12)


def test_max_position_and_the_surface() -> None:
    # Trading half the position a day within 22 bps: 1M a day, so a 2M position.
    assert max_position_usd(ETH, 22.0, 0.5) == pytest.approx(2e6)
    surface = slippage_surface(ETH)
    assert surface[0] == pytest.approx((1e4, 2.0 + 0.02 * 0.01 * 1e4))
    assert surface[-1][0] == pytest.approx(1e7)
    assert all(a[1] < b[1] for a, b in zip(surface, surface[1:], strict=False))


def test_pod_capacity_is_set_by_its_least_liquid_symbol() -> None:
    thin = SymbolLiquidity("THIN/USDT", daily_volume_usd=1e6, daily_volatility=0.05, half_spread_bps=5.0)
    # ETH: 1M a day within 22 bps; a pod 2x long ETH trading half a day reaches it at 1M of capital.
    # THIN: 25 bps leaves 20: 1e6 · (20 / 500)² = 1,600 a day; 0.1x, half a day: 32,000 of capital.
    exposure = np.array([[2.0, 0.0], [2.0, 0.1], [0.0, 0.0]])

    capacities = pod_capacities(
        ["eth", "both", "flat"], exposure, [ETH, thin], budget_bps=22.0, daily_trade_fraction=0.5
    )

    assert capacities[0].capacity_usd == pytest.approx(1e6)
    assert capacities[0].binding_symbol == "ETH/USDT"
    assert capacities[1].binding_symbol == "THIN/USDT"
    thin_capacity = float(capacity_usd(22.0, 1e6, 0.05, 5.0))
    assert capacities[1].capacity_usd == pytest.approx(thin_capacity / (0.5 * 0.1))
    assert capacities[2].capacity_usd == math.inf
    assert capacities[2].binding_symbol is None


def synthetic_trades(count: int, coefficient: float, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    volume = rng.uniform(1e7, 1e9, count)
    quantity = volume * 10 ** rng.uniform(-4, -1, count)
    sigma = rng.uniform(0.01, 0.06, count)
    spread = rng.uniform(0.5, 4.0, count)
    impact = coefficient * sigma * np.sqrt(quantity / volume) * 1e4
    noise = rng.normal(0, 1, count) * sigma * 1e4 * 0.02
    return quantity, volume, sigma, spread + impact + noise, spread


def test_calibration_recovers_a_known_coefficient() -> None:
    quantity, volume, sigma, slippage, spread = synthetic_trades(2000, 0.7, seed=42)

    calibration = calibrate_impact(quantity, volume, sigma, slippage, spread)

    assert calibration.calibrated
    assert calibration.trade_count == 2000
    assert calibration.coefficient == pytest.approx(0.7, abs=0.03)
    assert calibration.standard_error is not None
    assert abs(calibration.coefficient - 0.7) < 4 * calibration.standard_error


def test_too_few_or_uninformative_trades_keep_the_literature_default() -> None:
    quantity, volume, sigma, slippage, spread = synthetic_trades(20, 0.7, seed=1)
    few = calibrate_impact(quantity, volume, sigma, slippage, spread)
    assert (few.coefficient, few.calibrated, few.trade_count) == (1.0, False, 20)

    quantity, volume, sigma, _, spread = synthetic_trades(500, 0.7, seed=2)
    noise = np.random.default_rng(3).normal(0, 50, 500)
    pure_noise = calibrate_impact(quantity, volume, sigma, spread + noise, spread)
    assert pure_noise.coefficient == 1.0
    assert not pure_noise.calibrated


def test_bad_liquidity_inputs_name_the_field() -> None:
    with pytest.raises(InvalidArgument) as error:
        expected_slippage_bps(1e6, 0.0, 0.02, 2.0)
    assert error.value.field == "daily_volume_usd"
    with pytest.raises(InvalidArgument) as error:
        capacity_usd(math.nan, 1e8, 0.02, 2.0)
    assert error.value.field == "budget_bps"
    with pytest.raises(InvalidArgument) as error:
        calibrate_impact([1.0, 2.0], [1e6], [0.02, 0.02], [3.0, 3.0], [1.0, 1.0])
    assert error.value.field == "daily_volume_usd"
    with pytest.raises(InvalidArgument) as error:
        pod_capacities(["a"], np.ones((1, 2)), [ETH], budget_bps=20.0, daily_trade_fraction=0.5)
    assert error.value.field == "exposure_per_capital"
    with pytest.raises(InvalidArgument) as error:
        max_position_usd(ETH, 20.0, 0.0)
    assert error.value.field == "daily_trade_fraction"


def test_trade_metaorders_by_hand() -> None:
    # Minute 0: buys of 2 @ 100 and 1 @ 101, a sell of 1 @ 100.5: net +2*100 + 101 - 100.5 = 200.5 USD bought,
    # price 100 -> 100.5 = +50 bps, with the flow. Minute 1: one sell of 3 @ 99, alone: no move. An unknown side is
    # dropped.
    notional, slippage = trade_metaorders(
        [0, 10_000, 20_000, 30_000, 60_000], [100, 101, 100.5, 50, 99], [2, 1, 1, 7, 3], [1, 1, 2, 0, 2]
    )
    assert notional == pytest.approx([200.5, 297.0])
    assert slippage == pytest.approx([50.0, 0.0])


def test_metaorders_from_trades_with_known_impact_recover_y() -> None:
    rng = np.random.default_rng(7)
    volume, sigma, true_y = 5e8, 0.03, 0.7
    times, prices, sizes, sides = [], [], [], []
    price = 30_000.0
    for minute in range(400):
        notional = rng.uniform(2e4, 2e6)
        direction = 1 if rng.random() < 0.5 else -1
        move = direction * true_y * sigma * math.sqrt(notional / volume) + rng.normal(0, 2e-5)
        times += [minute * 60_000, minute * 60_000 + 30_000]
        prices += [price, price * (1 + move)]
        sizes += [notional / 2 / price, notional / 2 / (price * (1 + move))]
        sides += [1 if direction > 0 else 2] * 2
        price *= 1 + move
    notional_usd, slippage = trade_metaorders(times, prices, sizes, sides)
    n = notional_usd.size
    fit = calibrate_impact(notional_usd, [volume] * n, [sigma] * n, slippage, [0.0] * n)
    assert fit.calibrated and fit.coefficient == pytest.approx(true_y, rel=0.1)
