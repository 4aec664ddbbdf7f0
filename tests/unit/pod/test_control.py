from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from slipstream.core.clock import ManualClock
from slipstream.core.errors import InvalidArgument, OrderRejected
from slipstream.core.model import HaltCommand, HaltReason, PodConfig, PodLimits, SymbolLimit, TradingState
from slipstream.pod.control import PodControl

LIMITS = PodLimits(
    symbol_limits=(
        SymbolLimit("BTC/USDT", max_position_quantity=Decimal(2), max_position_notional_usd=Decimal(100_000)),
    ),
    max_gross_notional_usd=Decimal(150_000),
    capital_allocation_usd=Decimal(100_000),
)


def configured(version: int = 1, state: TradingState = TradingState.ACTIVE) -> PodControl:
    control = PodControl(ManualClock(datetime(2026, 1, 1, tzinfo=timezone.utc)))
    control.configure(PodConfig(version, state, LIMITS))
    return control


def test_unconfigured_pod_may_only_reduce() -> None:
    control = PodControl(ManualClock(datetime(2026, 1, 1, tzinfo=timezone.utc)))
    assert control.trading_state is TradingState.REDUCE_ONLY
    with pytest.raises(OrderRejected, match="reduce-only"):
        control.check_order("BTC/USDT", Decimal(1), Decimal(50_000), Decimal(0), Decimal(0))


def test_stale_version_is_refused_and_changes_nothing() -> None:
    control = configured(version=5)
    with pytest.raises(InvalidArgument) as raised:
        control.configure(PodConfig(4, TradingState.ACTIVE, PodLimits()))
    assert raised.value.field == "config.config_version"
    assert control.config.config_version == 5 and control.config.limits == LIMITS


def test_same_version_same_content_is_an_idempotent_retry() -> None:
    control = configured(version=3)
    config, applied = control.configure(PodConfig(3, TradingState.ACTIVE, LIMITS))
    assert not applied and config.config_version == 3


def test_same_version_different_content_is_refused() -> None:
    control = configured(version=3)
    with pytest.raises(InvalidArgument, match="different content"):
        control.configure(PodConfig(3, TradingState.ACTIVE, replace(LIMITS, capital_allocation_usd=Decimal(1))))


def test_halt_is_idempotent_and_keeps_the_first_reason() -> None:
    control = configured()
    first = control.halt(HaltCommand(HaltReason.RISK_VIOLATION, "auditor"))
    second = control.halt(HaltCommand(HaltReason.MANUAL, "operator"))
    assert not first.already_halted and second.already_halted
    assert second.halt_time == first.halt_time
    assert control.halt_state is not None and control.halt_state.reason is HaltReason.RISK_VIOLATION


def test_a_retried_old_config_does_not_lift_a_halt_but_a_newer_active_one_does() -> None:
    control = configured(version=1)
    control.halt(HaltCommand(HaltReason.MANUAL, "operator"))
    control.configure(PodConfig(1, TradingState.ACTIVE, LIMITS))
    assert control.trading_state is TradingState.HALTED
    control.configure(PodConfig(2, TradingState.ACTIVE, LIMITS))
    assert control.trading_state is TradingState.ACTIVE


def test_a_versioned_halt_refuses_configurations_already_in_flight_before_it() -> None:
    control = configured(version=1)
    control.halt(HaltCommand(HaltReason.RISK_VIOLATION, "federation", config_version=3))
    with pytest.raises(InvalidArgument, match="predates the halt at version 3"):
        control.configure(PodConfig(2, TradingState.ACTIVE, LIMITS))
    assert control.trading_state is TradingState.HALTED
    control.configure(PodConfig(3, TradingState.HALTED, LIMITS))
    assert control.halt_state is not None and control.halt_state.reason is HaltReason.RISK_VIOLATION
    control.configure(PodConfig(4, TradingState.ACTIVE, LIMITS))
    assert control.trading_state is TradingState.ACTIVE


def test_halted_pod_refuses_every_order_even_reducing() -> None:
    control = configured()
    control.halt(HaltCommand(HaltReason.MANUAL, "operator"))
    with pytest.raises(OrderRejected, match="halted"):
        control.check_order("BTC/USDT", Decimal(-1), Decimal(50_000), Decimal(1), Decimal(50_000))


@pytest.mark.parametrize(
    ("quantity", "position", "gross", "message"),
    [
        (Decimal("2.5"), Decimal(0), Decimal(0), "max_position_quantity"),
        (Decimal("1.6"), Decimal("0.5"), Decimal(25_000), "max_position_quantity"),
        (Decimal("1.9"), Decimal(0), Decimal(60_000), "max_gross_notional_usd"),
    ],
)
def test_limits_reject_increasing_orders(quantity: Decimal, position: Decimal, gross: Decimal, message: str) -> None:
    control = configured()
    with pytest.raises(OrderRejected, match=message):
        control.check_order("BTC/USDT", quantity, Decimal(50_000), position, gross)


def test_reducing_order_allowed_even_over_a_shrunk_limit() -> None:
    control = configured()
    control.check_order("BTC/USDT", Decimal(-1), Decimal(50_000), Decimal(5), Decimal(250_000))


def test_reduce_only_refuses_a_flip() -> None:
    control = configured(state=TradingState.REDUCE_ONLY)
    with pytest.raises(OrderRejected, match="reduce-only"):
        control.check_order("BTC/USDT", Decimal(-2), Decimal(50_000), Decimal(1), Decimal(50_000))
    control.check_order("BTC/USDT", Decimal(-1), Decimal(50_000), Decimal(1), Decimal(50_000))


def test_a_flip_to_a_smaller_opposite_position_is_not_trapped_by_the_gross_cap() -> None:
    # Gross 250,000 USD (another leg of 200,000 plus this 1 BTC) is far over the 150,000 cap after
    # the cap shrank; selling 1.5 BTC flips to -0.5: gross falls to 225,000, and is allowed.
    control = configured()
    control.check_order("BTC/USDT", Decimal("-1.5"), Decimal(50_000), Decimal(1), Decimal(250_000))
    with pytest.raises(OrderRejected, match="max_gross_notional_usd"):
        control.check_order("BTC/USDT", Decimal("-2.5"), Decimal(50_000), Decimal(1), Decimal(250_000))
