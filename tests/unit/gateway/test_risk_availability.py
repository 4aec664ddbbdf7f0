"""The availability checks: a pod out of the federation's reach past the window, an exchange that
does not answer. Both refuse before any limit is looked at; a halt still says halt."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from slipstream.core.model import OrderSide, PodLimits, TradingState
from slipstream.gateway.model import OrderRequest, OrderType, RejectReason, TimeInForce
from slipstream.gateway.risk import PodControl, RiskContext, RiskSettings, check
from slipstream.gateway.settings import GatewaySettingsError, load_gateway_settings

LIMITS = PodLimits(capital_allocation_usd=Decimal(100_000), max_gross_notional_usd=Decimal(1_000_000))
BUY = OrderRequest(
    client_order_id="c1",
    symbol="BTC/USD",
    side=OrderSide.BUY,
    type=OrderType.MARKET,
    quantity=Decimal(1),
    limit_price=None,
    time_in_force=TimeInForce.IOC,
    post_only=False,
    reduce_only=False,
    decision_price=Decimal(50_000),
    decision_time=datetime(2026, 1, 1, tzinfo=timezone.utc),
)
CONTEXT = RiskContext(
    pod_id="alpha",
    control=PodControl(TradingState.ACTIVE, LIMITS),
    reference_price=Decimal(50_000),
    position=Decimal(0),
    working_buy=Decimal(0),
    working_sell=Decimal(0),
    gross_other_symbols_usd=Decimal(0),
    orders_last_second=0,
    resting_on_account=(),
)
SETTINGS = RiskSettings(block_unreachable_after_s=60.0)


@pytest.mark.parametrize(("unreachable_for_s", "refused"), [(None, False), (0.0, False), (59.9, False), (60.0, True)])
def test_an_unreachable_pod_is_refused_only_after_the_window(unreachable_for_s: float | None, refused: bool) -> None:
    verdict = check(BUY, replace(CONTEXT, unreachable_for_s=unreachable_for_s), SETTINGS)
    assert (verdict is not None and verdict[0] is RejectReason.POD_UNREACHABLE) is refused
    assert refused or verdict is None


def test_a_halt_is_reported_as_a_halt_even_when_the_pod_is_also_unreachable() -> None:
    halted = replace(CONTEXT, control=PodControl(TradingState.HALTED, LIMITS), unreachable_for_s=600.0)
    verdict = check(BUY, halted, SETTINGS)
    assert verdict is not None and verdict[0] is RejectReason.POD_HALTED


def test_an_unavailable_venue_refuses_with_its_problem() -> None:
    verdict = check(BUY, replace(CONTEXT, venue_problem="binance is unavailable (RequestTimeout)"), SETTINGS)
    assert verdict == (RejectReason.VENUE_UNAVAILABLE, "binance is unavailable (RequestTimeout)")


def test_the_window_is_read_from_the_risk_table(tmp_path: Path) -> None:
    path = tmp_path / "gateway.toml"
    path.write_text("[risk]\nblock_unreachable_after_seconds = 15\n")
    assert load_gateway_settings(path, tmp_path, None).risk.block_unreachable_after_s == 15.0
    path.write_text("[risk]\nblock_unreachable_after_seconds = -1\n")
    with pytest.raises(GatewaySettingsError, match="block_unreachable_after_seconds"):
        load_gateway_settings(path, tmp_path, None)
    path.write_text("")
    assert load_gateway_settings(path, tmp_path, None).risk.block_unreachable_after_s == 60.0
