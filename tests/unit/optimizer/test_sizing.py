"""Volatility-standardised caps, by hand, and their mapping onto the constitution's limits."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from slipstream.core.errors import InvalidArgument
from slipstream.core.model import PodLimits, SymbolLimit
from slipstream.optimizer.sizing import (
    SymbolRisk,
    daily_vol_target_usd,
    daily_volatility,
    pod_limits,
    scale_limits,
    symbol_caps,
)


def test_caps_by_hand() -> None:
    # 1,000,000 USD at a 20% annual target risks 200,000 / sqrt(365) = 10,468.48 USD a day. BTC at 50% a year moves
    # 0.5 / sqrt(365) = 2.617% a day, so the cap is 10,468.48 / 0.02617 = 400,000 USD (the sqrt(365) cancels):
    # 8 BTC at 50,000. ETH at 80% a year and 2,000: 250,000 USD, 125 ETH.
    budget = daily_vol_target_usd(1_000_000, 0.2)

    caps = symbol_caps(budget, [SymbolRisk("BTC/USDT", 0.5, 50_000.0), SymbolRisk("ETH/USDT", 0.8, 2_000.0)])

    assert budget == pytest.approx(200_000 / math.sqrt(365))
    assert daily_volatility(0.5) == pytest.approx(0.5 / math.sqrt(365))
    assert caps[0].max_notional_usd == pytest.approx(400_000.0, rel=1e-12)
    assert caps[0].max_quantity == pytest.approx(8.0, rel=1e-12)
    assert caps[1].max_notional_usd == pytest.approx(250_000.0, rel=1e-12)
    assert caps[1].max_quantity == pytest.approx(125.0, rel=1e-12)
    assert caps[0].binding == "volatility target"


def test_liquidity_capacity_binds_when_lower() -> None:
    caps = symbol_caps(daily_vol_target_usd(1_000_000, 0.2), [SymbolRisk("ALT/USDT", 0.5, 2.0, liquidity_cap_usd=1e5)])

    assert caps[0].max_notional_usd == 1e5
    assert caps[0].max_quantity == pytest.approx(5e4)
    assert caps[0].binding == "liquidity capacity"


def test_pod_limits_are_the_constitutions_rounded_down() -> None:
    limits = pod_limits(
        1_000_000.0,
        0.2,
        [SymbolRisk("BTC/USDT", 0.5, 50_000.0), SymbolRisk("SOL/USDT", 0.9, 137.0)],
        max_gross_notional_usd=2_500_000.0,
    )

    assert isinstance(limits, PodLimits)
    assert limits.capital_allocation_usd == Decimal("1000000.00")
    assert limits.volatility_target_annualized == 0.2
    assert limits.max_gross_notional_usd == Decimal("2500000.00")
    btc = limits.for_symbol("BTC/USDT")
    assert btc is not None
    assert btc.max_position_notional_usd == Decimal("400000.00")
    assert btc.max_position_quantity == Decimal("8.00000000")
    sol = limits.for_symbol("SOL/USDT")
    assert sol is not None and sol.max_position_notional_usd is not None and sol.max_position_quantity is not None
    exact = 200_000 / 0.9
    assert float(sol.max_position_notional_usd) <= exact < float(sol.max_position_notional_usd) + 0.01
    assert float(sol.max_position_quantity) <= exact / 137 < float(sol.max_position_quantity) + 1e-8
    limits.validate("limits")


def test_scale_limits_cuts_every_position_cap() -> None:
    limits = PodLimits(
        symbol_limits=(SymbolLimit("BTC/USDT", Decimal("8"), Decimal("400000.00")), SymbolLimit("ETH/USDT")),
        max_gross_notional_usd=Decimal("1000000.00"),
        capital_allocation_usd=Decimal("1000000"),
        volatility_target_annualized=0.2,
    )

    scaled = scale_limits(limits, 0.333)

    assert scaled.symbol_limits[0] == SymbolLimit("BTC/USDT", Decimal("2.66400000"), Decimal("133200.00"))
    assert scaled.symbol_limits[1] == SymbolLimit("ETH/USDT")
    assert scaled.max_gross_notional_usd == Decimal("333000.00")
    assert scaled.capital_allocation_usd == limits.capital_allocation_usd


@pytest.mark.parametrize(
    ("risk", "field"),
    [
        (SymbolRisk("BTC/USDT", math.nan, 50_000.0), "symbols[0].annualized_volatility"),
        (SymbolRisk("BTC/USDT", 0.5, 0.0), "symbols[0].price_usd"),
        (SymbolRisk("BTC/USDT", 0.5, 1.0, liquidity_cap_usd=-1.0), "symbols[0].liquidity_cap_usd"),
        (SymbolRisk("", 0.5, 1.0), "symbols[0].symbol"),
    ],
)
def test_bad_symbols_name_the_field(risk: SymbolRisk, field: str) -> None:
    with pytest.raises(InvalidArgument) as error:
        symbol_caps(1000.0, [risk])
    assert error.value.field == field


def test_bad_budgets_name_the_field() -> None:
    with pytest.raises(InvalidArgument) as error:
        daily_vol_target_usd(-1.0, 0.2)
    assert error.value.field == "capital_usd"
    with pytest.raises(InvalidArgument) as error:
        scale_limits(PodLimits(), 1.5)
    assert error.value.field == "factor"


def test_decimal_limits_keep_the_amounts_that_were_meant() -> None:
    limits = pod_limits(1234.56, 0.2, [SymbolRisk("ETH/USDT", 0.5, 3.0)])

    assert limits.capital_allocation_usd == Decimal("1234.56")
