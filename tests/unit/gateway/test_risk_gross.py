"""The gross cap refuses orders that add gross, never a flip that lowers it."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from slipstream.core.model import OrderSide, PodLimits, TradingState
from slipstream.gateway.model import OrderRequest, OrderType, RejectReason, TimeInForce
from slipstream.gateway.risk import PodControl, RiskContext, RiskSettings, check

LIMITS = PodLimits(capital_allocation_usd=Decimal(100_000), max_gross_notional_usd=Decimal(150_000))


def sell(quantity: str) -> OrderRequest:
    return OrderRequest(
        client_order_id="c1",
        symbol="BTC/USD",
        side=OrderSide.SELL,
        type=OrderType.MARKET,
        quantity=Decimal(quantity),
        limit_price=None,
        time_in_force=TimeInForce.IOC,
        post_only=False,
        reduce_only=False,
        decision_price=Decimal(50_000),
        decision_time=datetime(2026, 1, 1, tzinfo=timezone.utc),
    )


def context(position: str) -> RiskContext:
    # Another leg of 200,000 USD keeps gross far above the 150,000 cap, as after a cap was cut.
    return RiskContext(
        pod_id="alpha",
        control=PodControl(TradingState.ACTIVE, LIMITS),
        reference_price=Decimal(50_000),
        position=Decimal(position),
        working_buy=Decimal(0),
        working_sell=Decimal(0),
        gross_other_symbols_usd=Decimal(200_000),
        orders_last_second=0,
        resting_on_account=(),
    )


def test_a_flip_to_a_smaller_opposite_position_passes_the_gross_cap() -> None:
    assert check(sell("1.5"), context("1"), RiskSettings()) is None


def test_an_order_that_adds_gross_over_the_cap_is_refused() -> None:
    verdict = check(sell("2.5"), context("1"), RiskSettings())
    assert verdict is not None and verdict[0] is RejectReason.GROSS_NOTIONAL_LIMIT
