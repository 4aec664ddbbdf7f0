"""Maker/taker shares by notional against declared execution intent."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from slipstream.analytics.fills import IntentPolicy, check_execution_intent, liquidity_mix
from slipstream.core.errors import InvalidArgument
from slipstream.core.model import ExecutionIntent

T0 = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


def fills_of(pod_id: str, *batches: tuple[int, float, float, str], symbol: str = "BTC/USDT") -> pd.DataFrame:
    """Fills from (count, quantity, price, liquidity) batches, one minute apart."""
    rows = []
    for count, quantity, price, liquidity in batches:
        for _ in range(count):
            index = len(rows)
            rows.append(
                {
                    "fill_id": f"{pod_id}-{symbol}-{index}",
                    "pod_id": pod_id,
                    "symbol": symbol,
                    "quantity": quantity,
                    "price": price,
                    "liquidity": liquidity,
                    "fill_time": T0 + timedelta(minutes=index),
                }
            )
    return pd.DataFrame(rows)


def test_a_passive_pod_that_takes_most_of_its_volume_fails_even_though_most_fills_are_maker() -> None:
    # 30 small resting fills (USD 30 in all) and 5 sweeps of USD 5,000: 86% of fills are maker,
    # but 99.9% of the notional took liquidity.
    fills = fills_of("passive", (30, 0.01, 100.0, "maker"), (5, 50.0, 100.0, "taker"))

    (check,) = check_execution_intent(fills, {"passive": ExecutionIntent.MAKER})

    assert check.taker_share == pytest.approx(25_000 / 25_030)
    assert check.sufficient_sample
    assert check.process_failure
    assert "contradicts intent" in check.reason
    mix = liquidity_mix(fills, by=("pod_id",), period=None).iloc[0]
    assert mix["taker_count_share"] == pytest.approx(5 / 35)


def test_a_passive_pod_with_mostly_taker_fills_but_maker_volume_passes() -> None:
    fills = fills_of("passive", (30, 0.01, 100.0, "taker"), (5, 50.0, 100.0, "maker"))

    (check,) = check_execution_intent(fills, {"passive": ExecutionIntent.MAKER})

    assert check.taker_share == pytest.approx(30 / 25_030)
    assert not check.process_failure


def test_a_taker_pod_is_not_flagged_for_taking_nor_a_mixed_pod_for_anything() -> None:
    fills = pd.concat(
        [fills_of("taker", (40, 1.0, 1000.0, "taker")), fills_of("mixed", (40, 1.0, 1000.0, "taker"))],
        ignore_index=True,
    )

    checks = check_execution_intent(fills, {"taker": ExecutionIntent.TAKER, "mixed": ExecutionIntent.MIXED})

    assert [check.pod_id for check in checks] == ["mixed", "taker"]
    assert all(check.taker_share == 1.0 and not check.process_failure for check in checks)


def test_too_few_fills_or_too_little_notional_is_not_judged() -> None:
    few = fills_of("few", (5, 100.0, 100.0, "taker"))
    small = fills_of("small", (50, 0.01, 100.0, "taker"))

    checks = check_execution_intent(
        pd.concat([few, small], ignore_index=True), {"few": ExecutionIntent.MAKER, "small": ExecutionIntent.MAKER}
    )

    assert [(check.sufficient_sample, check.process_failure) for check in checks] == [(False, False), (False, False)]
    assert "too little to judge" in checks[0].reason


def test_the_threshold_is_exclusive_and_configurable() -> None:
    fills = fills_of("edge", (7, 10.0, 200.0, "taker"), (3, 10.0, 200.0, "maker"))

    intents = {"edge": ExecutionIntent.MAKER}

    (at_limit,) = check_execution_intent(fills, intents, IntentPolicy(min_fill_count=10))
    (stricter,) = check_execution_intent(fills, intents, IntentPolicy(maker_max_taker_share=0.5, min_fill_count=10))

    assert at_limit.taker_share == pytest.approx(0.7)
    assert not at_limit.process_failure
    assert stricter.process_failure


def test_mix_per_symbol_and_day_is_by_notional() -> None:
    btc = fills_of("pod", (2, 1.0, 100.0, "maker"), (1, 2.0, 100.0, "taker"))
    eth = fills_of("pod", (1, 1.0, 10.0, "taker"), symbol="ETH/USDT")
    next_day = fills_of("pod", (1, 1.0, 100.0, "maker")).assign(fill_id="late", fill_time=T0 + timedelta(days=1))

    mix = liquidity_mix(pd.concat([btc, eth, next_day], ignore_index=True))

    first = mix[(mix["symbol"] == "BTC/USDT") & (mix["period_start"] == pd.Timestamp("2026-03-02", tz="UTC"))]
    assert first["maker_notional_usd"].item() == pytest.approx(200.0)
    assert first["taker_notional_usd"].item() == pytest.approx(200.0)
    assert first["taker_share"].item() == pytest.approx(0.5)
    assert first["fill_count"].item() == 3
    assert len(mix) == 3


def test_replayed_fills_count_once() -> None:
    fills = fills_of("pod", (25, 10.0, 100.0, "taker"))

    once = liquidity_mix(fills, by=("pod_id",), period=None)
    twice = liquidity_mix(pd.concat([fills, fills], ignore_index=True), by=("pod_id",), period=None)

    pd.testing.assert_frame_equal(once, twice)


def test_unknown_liquidity_and_undeclared_pods_are_refused() -> None:
    fills = fills_of("pod", (1, 1.0, 1.0, "maker"))
    with pytest.raises(InvalidArgument) as raised:
        liquidity_mix(fills.assign(liquidity="hidden"))
    assert raised.value.field == "fills.liquidity"
    with pytest.raises(InvalidArgument) as raised:
        check_execution_intent(fills, {})
    assert raised.value.field == "intents"
    with pytest.raises(InvalidArgument) as raised:
        liquidity_mix(fills.assign(price=float("nan")))
    assert raised.value.field == "fills.price"
    with pytest.raises(InvalidArgument) as raised:
        IntentPolicy(maker_max_taker_share=1.5)
    assert raised.value.field == "policy.maker_max_taker_share"
