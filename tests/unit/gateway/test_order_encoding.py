"""Encoding an order's later state from its first encoding gives exactly the full encoding."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from slipstream.core.model import OrderSide
from slipstream.gateway import convert
from slipstream.gateway.model import Order, OrderRequest, OrderStatus, OrderType, RejectReason, TimeInForce

START = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
FIRST = Order(
    pod_id="alpha",
    order_id="paper-7",
    account="paper",
    request=OrderRequest(
        client_order_id="c-7",
        symbol="BTC/USDT",
        side=OrderSide.BUY,
        type=OrderType.LIMIT,
        quantity=Decimal("0.5"),
        limit_price=Decimal("50000.5"),
        time_in_force=TimeInForce.GTC,
        post_only=True,
        reduce_only=False,
        decision_price=Decimal("49990"),
        decision_time=START - timedelta(milliseconds=3),
    ),
    status=OrderStatus.PENDING,
    exchange_order_id="",
    filled_quantity=Decimal(0),
    average_fill_price=None,
    fees_usd=Decimal(0),
    reject_reason=None,
    reject_message="",
    reference_price=Decimal("50001"),
    create_time=START,
    update_time=START,
)

decimals = st.decimals(min_value=0, max_value=10**9, places=8, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, derandomize=True)
@given(
    status=st.sampled_from(OrderStatus),
    exchange_order_id=st.text(max_size=20),
    filled=decimals,
    average=st.none() | decimals,
    fees=decimals,
    reason=st.none() | st.sampled_from(RejectReason),
    message=st.text(max_size=40),
    later_us=st.integers(min_value=0, max_value=10**12),
)
def test_later_state_encodes_as_a_full_encoding_would(
    status: OrderStatus,
    exchange_order_id: str,
    filled: Decimal,
    average: Decimal | None,
    fees: Decimal,
    reason: RejectReason | None,
    message: str,
    later_us: int,
) -> None:
    later = replace(
        FIRST,
        status=status,
        exchange_order_id=exchange_order_id,
        filled_quantity=filled,
        average_fill_price=average,
        fees_usd=fees,
        reject_reason=reason,
        reject_message=message,
        update_time=START + timedelta(microseconds=later_us),
    )

    patched = convert.order_state_to_pb(convert.order_to_pb(FIRST), later)

    assert patched == convert.order_to_pb(later)
    assert patched.SerializeToString(deterministic=True) == convert.order_to_pb(later).SerializeToString(
        deterministic=True
    )
