"""Implementation shortfall against costs worked out by hand, and its guards against bad data."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from slipstream.analytics import inputs
from slipstream.analytics.shortfall import (
    ExecutionQuality,
    ExecutionReviewPolicy,
    QualityGrades,
    aggregate_shortfall,
    high_shortfall_orders,
    order_shortfall,
    review_execution,
)
from slipstream.core.errors import InvalidArgument
from slipstream.core.model import OrderSide
from slipstream.gateway.model import (
    Fill,
    Liquidity,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    TimeInForce,
)

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


def orders(*rows: tuple[str, str, float, float, float]) -> pd.DataFrame:
    """Orders from (order_id, side, quantity, decision_price, end_price) for pod-a on BTC."""
    return pd.DataFrame(
        {
            "order_id": [row[0] for row in rows],
            "pod_id": "pod-a",
            "symbol": "BTC/USDT",
            "side": [row[1] for row in rows],
            "quantity": [row[2] for row in rows],
            "decision_price": [row[3] for row in rows],
            "decision_time": T0,
            "end_price": [row[4] for row in rows],
        }
    )


def fills(*rows: tuple[str, str, float, float, float]) -> pd.DataFrame:
    """Fills from (fill_id, order_id, quantity, price, fee_usd)."""
    return pd.DataFrame(
        {
            "fill_id": [row[0] for row in rows],
            "order_id": [row[1] for row in rows],
            "quantity": [row[2] for row in rows],
            "price": [row[3] for row in rows],
            "fee_usd": [row[4] for row in rows],
        },
        columns=["fill_id", "order_id", "quantity", "price", "fee_usd"],
    )


def one(report: pd.DataFrame, order_id: str) -> pd.Series:
    return report.set_index("order_id").loc[order_id]


def test_buy_filled_above_decision_costs_the_difference_plus_fees() -> None:
    # Buy 2 @ decision 100; fills 1 @ 101 and 1 @ 103, 0.5 fee each: average 102.
    report = order_shortfall(
        orders(("b1", "buy", 2.0, 100.0, math.nan)),
        fills(("f1", "b1", 1.0, 101.0, 0.5), ("f2", "b1", 1.0, 103.0, 0.5)),
    )

    row = one(report, "b1")
    assert row["average_fill_price"] == pytest.approx(102.0)
    assert row["execution_cost_bps"] == pytest.approx(200.0)  # (102 - 100) / 100
    assert row["execution_cost_usd"] == pytest.approx(4.0)  # 2 x (102 - 100)
    assert row["fees_usd"] == pytest.approx(1.0)
    assert row["fees_bps"] == pytest.approx(50.0)  # 1 / 200
    assert row["opportunity_cost_usd"] == 0.0
    assert math.isnan(row["opportunity_cost_bps"])
    assert row["total_cost_usd"] == pytest.approx(5.0)
    assert row["total_cost_bps"] == pytest.approx(250.0)  # 5 / (2 x 100)
    assert row["quality"] == "very_poor"


def test_sell_filled_above_decision_is_price_improvement_a_negative_cost() -> None:
    # Sell 3 @ decision 50, filled at 50.5: the seller received more than decided.
    report = order_shortfall(orders(("s1", "sell", 3.0, 50.0, math.nan)), fills(("f1", "s1", 3.0, 50.5, 0.0)))

    row = one(report, "s1")
    assert row["execution_cost_usd"] == pytest.approx(-1.5)  # -(50.5 - 50) x 3
    assert row["execution_cost_bps"] == pytest.approx(-100.0)
    assert row["total_cost_bps"] == pytest.approx(-100.0)
    assert row["quality"] == "excellent"


def test_sell_filled_below_decision_costs() -> None:
    report = order_shortfall(orders(("s1", "sell", 4.0, 200.0, math.nan)), fills(("f1", "s1", 4.0, 199.0, 0.2)))

    row = one(report, "s1")
    assert row["execution_cost_usd"] == pytest.approx(4.0)  # (200 - 199) x 4
    assert row["execution_cost_bps"] == pytest.approx(50.0)
    assert row["total_cost_usd"] == pytest.approx(4.2)
    assert row["total_cost_bps"] == pytest.approx(4.2 / 800 * 1e4)


def test_partial_fill_is_volume_weighted_and_the_rest_pays_opportunity_cost() -> None:
    # Buy 10 @ 20: 2 @ 21 and 6 @ 20.5 fill (average 165 / 8 = 20.625), 2 never do; it ends at 22.
    report = order_shortfall(
        orders(("b1", "buy", 10.0, 20.0, 22.0)),
        fills(("f1", "b1", 2.0, 21.0, 0.0), ("f2", "b1", 6.0, 20.5, 0.0)),
    )

    row = one(report, "b1")
    assert row["filled_quantity"] == pytest.approx(8.0)
    assert row["unfilled_quantity"] == pytest.approx(2.0)
    assert row["fill_count"] == 2
    assert row["average_fill_price"] == pytest.approx(20.625)
    assert row["execution_cost_usd"] == pytest.approx(5.0)  # 8 x 0.625
    assert row["execution_cost_bps"] == pytest.approx(312.5)
    assert row["opportunity_cost_usd"] == pytest.approx(4.0)  # 2 x (22 - 20)
    assert row["opportunity_cost_bps"] == pytest.approx(1000.0)
    assert row["total_cost_usd"] == pytest.approx(9.0)
    assert row["total_cost_bps"] == pytest.approx(450.0)  # 9 / 200


def test_unfilled_sell_whose_price_fell_costs_the_missed_sale() -> None:
    report = order_shortfall(orders(("s1", "sell", 5.0, 10.0, 9.0)), fills())

    row = one(report, "s1")
    assert math.isnan(row["average_fill_price"])
    assert math.isnan(row["execution_cost_bps"])
    assert row["execution_cost_usd"] == 0.0
    assert row["opportunity_cost_usd"] == pytest.approx(5.0)  # -(9 - 10) x 5
    assert row["total_cost_bps"] == pytest.approx(1000.0)


def test_fill_quantities_that_sum_to_the_order_in_floating_point_leave_nothing_unfilled() -> None:
    report = order_shortfall(
        orders(("b1", "buy", 0.3, 100.0, math.nan)),
        fills(("f1", "b1", 0.1, 100.0, 0.0), ("f2", "b1", 0.2, 100.0, 0.0)),
    )

    assert one(report, "b1")["unfilled_quantity"] == 0.0


def test_a_replayed_fill_is_counted_once_and_reruns_are_identical() -> None:
    order_rows = orders(("b1", "buy", 2.0, 100.0, math.nan), ("b2", "sell", 1.0, 50.0, 49.0))
    once = fills(("f1", "b1", 1.0, 101.0, 0.1), ("f2", "b1", 1.0, 102.0, 0.1))
    replayed = pd.concat([once, once.iloc[[0]], once], ignore_index=True)

    first = order_shortfall(order_rows, once)
    again = order_shortfall(order_rows, replayed)

    pd.testing.assert_frame_equal(first, again, check_exact=True)
    assert one(first, "b1")["filled_quantity"] == 2.0


def test_row_order_of_the_inputs_does_not_change_the_report() -> None:
    rng = np.random.default_rng(7)
    count = 200
    order_rows = pd.DataFrame(
        {
            "order_id": [f"o{i:03d}" for i in range(count)],
            "pod_id": [f"pod-{i % 3}" for i in range(count)],
            "symbol": "ETH/USDT",
            "side": rng.choice(["buy", "sell"], count),
            "quantity": 10.0,
            "decision_price": rng.uniform(1000, 2000, count),
            "decision_time": T0,
            "end_price": rng.uniform(1000, 2000, count),
        }
    )
    owners = rng.integers(0, count, 600)
    fill_rows = pd.DataFrame(
        {
            "fill_id": [f"f{i:04d}" for i in range(600)],
            "order_id": order_rows["order_id"].to_numpy()[owners],
            "quantity": 1.0,
            "price": order_rows["decision_price"].to_numpy()[owners] * rng.uniform(0.99, 1.01, 600),
            "fee_usd": 0.3,
        }
    )
    capped = fill_rows.groupby("order_id").head(10)

    report = order_shortfall(order_rows, capped)
    shuffled = order_shortfall(order_rows.sample(frac=1, random_state=1), capped.sample(frac=1, random_state=2))

    pd.testing.assert_frame_equal(report, shuffled, rtol=1e-12)
    assert list(report["order_id"]) == sorted(report["order_id"])


def test_a_fill_id_recorded_twice_with_different_values_is_refused() -> None:
    with pytest.raises(InvalidArgument) as raised:
        order_shortfall(
            orders(("b1", "buy", 2.0, 100.0, math.nan)),
            fills(("f1", "b1", 1.0, 101.0, 0.1), ("f1", "b1", 1.0, 105.0, 0.1)),
        )
    assert raised.value.field == "fills.fill_id"


@pytest.mark.parametrize(
    ("order_row", "fill_row", "field"),
    [
        (("b1", "buy", 2.0, 100.0, 101.0), ("f1", "b1", 1.0, math.nan, 0.0), "fills.price"),
        (("b1", "buy", 2.0, 100.0, 101.0), ("f1", "b1", -1.0, 100.0, 0.0), "fills.quantity"),
        (("b1", "buy", 2.0, 100.0, 101.0), ("f1", "b1", 1.0, 100.0, math.inf), "fills.fee_usd"),
        (("b1", "buy", -2.0, 100.0, 101.0), ("f1", "b1", 1.0, 100.0, 0.0), "orders.quantity"),
        (("b1", "buy", 2.0, math.nan, 101.0), ("f1", "b1", 1.0, 100.0, 0.0), "orders.decision_price"),
        (("b1", "hold", 2.0, 100.0, 101.0), ("f1", "b1", 1.0, 100.0, 0.0), "orders.side"),
        (("b1", "buy", 2.0, 100.0, math.nan), ("f1", "b1", 1.0, 100.0, 0.0), "orders.end_price"),
        (("b1", "buy", 2.0, 100.0, -5.0), ("f1", "b1", 1.0, 100.0, 0.0), "orders.end_price"),
        (("b1", "buy", 2.0, 100.0, 101.0), ("f1", "nope", 1.0, 100.0, 0.0), "fills.order_id"),
        (("b1", "buy", 2.0, 100.0, 101.0), ("f1", "b1", 3.0, 100.0, 0.0), "fills.quantity"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    order_row: tuple[str, str, float, float, float], fill_row: tuple[str, str, float, float, float], field: str
) -> None:
    with pytest.raises(InvalidArgument) as raised:
        order_shortfall(orders(order_row), fills(fill_row))
    assert raised.value.field == field


def test_missing_column_is_refused_naming_the_frame() -> None:
    with pytest.raises(InvalidArgument) as raised:
        order_shortfall(orders(("b1", "buy", 1.0, 1.0, 1.0)).drop(columns="side"), fills())
    assert raised.value.field == "orders"


prices = st.floats(min_value=0.6, max_value=1.4, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    decision=st.floats(min_value=0.01, max_value=1e5),
    relative_fills=st.lists(st.tuples(st.floats(min_value=0.01, max_value=10.0), prices), min_size=0, max_size=5),
    unfilled=st.floats(min_value=0.0, max_value=10.0),
    relative_end=prices,
    fee=st.floats(min_value=-1.0, max_value=5.0),
)
def test_mirrored_buy_and_sell_cost_the_same(
    decision: float,
    relative_fills: list[tuple[float, float]],
    unfilled: float,
    relative_end: float,
    fee: float,
) -> None:
    # A sell whose fills and end price mirror a buy's around the decision price costs exactly as much.
    quantity = sum(size for size, _ in relative_fills) + unfilled
    if quantity <= 0:
        return
    end = decision * relative_end
    order_rows = orders(
        ("buy", "buy", quantity, decision, end), ("sell", "sell", quantity, decision, 2 * decision - end)
    )
    buy_fills = [(f"b{i}", "buy", size, decision * price, fee) for i, (size, price) in enumerate(relative_fills)]
    sell_fills = [
        (f"s{i}", "sell", size, 2 * decision - decision * price, fee) for i, (size, price) in enumerate(relative_fills)
    ]

    report = order_shortfall(order_rows, fills(*buy_fills, *sell_fills)).set_index("order_id")

    for column in ("execution_cost_usd", "opportunity_cost_usd", "fees_usd", "total_cost_usd", "total_cost_bps"):
        assert report.loc["buy", column] == pytest.approx(report.loc["sell", column], rel=1e-9, abs=1e-9 * decision)


@settings(max_examples=40, deadline=None)
@given(relative_price=prices, size=st.floats(min_value=0.01, max_value=100.0))
def test_cost_sign_depends_on_the_side(relative_price: float, size: float) -> None:
    # A buy above the decision price costs, a sell equally far below it costs the same; the mirror is improvement.
    assume(abs(relative_price - 1.0) > 1e-6)
    report = order_shortfall(
        orders(("b1", "buy", size, 100.0, math.nan), ("s1", "sell", size, 100.0, math.nan)),
        fills(("f1", "b1", size, 100.0 * relative_price, 0.0), ("f2", "s1", size, 100.0 * (2 - relative_price), 0.0)),
    ).set_index("order_id")

    expected_sign = 1.0 if relative_price > 1.0 else -1.0
    assert np.sign(report.loc["b1", "execution_cost_bps"]) == expected_sign
    assert np.sign(report.loc["s1", "execution_cost_bps"]) == expected_sign


def two_pods_two_days() -> pd.DataFrame:
    order_rows = pd.DataFrame(
        {
            "order_id": ["a1", "a2", "a3", "b1"],
            "pod_id": ["pod-a", "pod-a", "pod-a", "pod-b"],
            "symbol": "BTC/USDT",
            "side": ["buy", "sell", "buy", "buy"],
            "quantity": [1.0, 3.0, 2.0, 1.0],
            "decision_price": [100.0, 100.0, 50.0, 10.0],
            "decision_time": [T0, T0 + timedelta(hours=2), T0 + timedelta(days=1), T0],
            "end_price": math.nan,
        }
    )
    fill_rows = fills(
        ("f1", "a1", 1.0, 100.1, 0.0),  # 10 bps on 100 notional: 0.1 USD
        ("f2", "a2", 3.0, 99.9, 0.0),  # 10 bps on 300: 0.3 USD
        ("f3", "a3", 2.0, 49.9, 0.0),  # -20 bps on 100: -0.2 USD
        ("f4", "b1", 1.0, 10.0, 0.0),
    )
    return order_shortfall(order_rows, fill_rows)


def test_aggregation_weights_bps_by_notional_per_pod_symbol_and_day() -> None:
    report = aggregate_shortfall(two_pods_two_days(), period="D")

    pod_a = report[report["pod_id"] == "pod-a"].set_index("period_start")
    first_day = pod_a.loc[pd.Timestamp("2026-03-02", tz="UTC")]
    assert first_day["order_count"] == 2
    # (0.1 + 0.3) USD over 400 USD of notional: 10 bps, not the unweighted mean of the orders' bps.
    assert first_day["total_cost_usd"] == pytest.approx(0.4)
    assert first_day["total_cost_bps"] == pytest.approx(10.0)
    assert first_day["quality"] == "fair"
    second_day = pod_a.loc[pd.Timestamp("2026-03-03", tz="UTC")]
    assert second_day["total_cost_bps"] == pytest.approx(-20.0)
    assert second_day["quality"] == "excellent"


def test_aggregation_over_the_whole_span() -> None:
    report = aggregate_shortfall(two_pods_two_days(), by=("pod_id",), period=None).set_index("pod_id")

    assert report.loc["pod-a", "order_count"] == 3
    assert report.loc["pod-a", "total_cost_bps"] == pytest.approx(0.2 / 500 * 1e4)
    assert report.loc["pod-b", "total_cost_bps"] == pytest.approx(0.0)


def test_a_bad_period_alias_is_refused() -> None:
    with pytest.raises(InvalidArgument) as raised:
        aggregate_shortfall(two_pods_two_days(), period="fortnight")
    assert raised.value.field == "period"


@pytest.mark.parametrize(
    ("bps", "quality"),
    [
        (-12.0, ExecutionQuality.EXCELLENT),
        (0.0, ExecutionQuality.EXCELLENT),
        (0.01, ExecutionQuality.GOOD),
        (5.0, ExecutionQuality.GOOD),
        (15.0, ExecutionQuality.FAIR),
        (15.5, ExecutionQuality.POOR),
        (50.0, ExecutionQuality.POOR),
        (50.01, ExecutionQuality.VERY_POOR),
    ],
)
def test_default_grades_are_inclusive_upper_bounds(bps: float, quality: ExecutionQuality) -> None:
    assert QualityGrades().classify(bps) is quality


def test_grades_are_configurable_and_must_increase() -> None:
    strict = QualityGrades(excellent_max_bps=-1.0, good_max_bps=1.0, fair_max_bps=2.0, poor_max_bps=3.0)
    assert strict.classify(0.0) is ExecutionQuality.GOOD
    with pytest.raises(InvalidArgument) as raised:
        QualityGrades(good_max_bps=20.0)
    assert raised.value.field == "grades"


def test_high_shortfall_orders_by_usd_or_above_a_bps_bar() -> None:
    report = two_pods_two_days()

    assert list(high_shortfall_orders(report, top_n=2)["order_id"]) == ["a2", "a1"]
    assert list(high_shortfall_orders(report, top_n=None, min_total_cost_bps=5.0)["order_id"]) == ["a2", "a1"]
    with pytest.raises(InvalidArgument) as raised:
        high_shortfall_orders(report, top_n=0)
    assert raised.value.field == "top_n"


def pod_orders(pod_id: str, count: int, cost_bps: float, start: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"{pod_id}-{start + i}" for i in range(count)]
    order_rows = pd.DataFrame(
        {
            "order_id": ids,
            "pod_id": pod_id,
            "symbol": "BTC/USDT",
            "side": "buy",
            "quantity": 1.0,
            "decision_price": 10_000.0,
            "decision_time": T0,
            "end_price": math.nan,
        }
    )
    fill_rows = fills(*((f"f-{order_id}", order_id, 1.0, 10_000.0 * (1 + cost_bps / 1e4), 0.0) for order_id in ids))
    return order_rows, fill_rows


def test_review_flags_rewriting_execution_only_with_enough_orders() -> None:
    costly = pod_orders("costly", 40, 30.0)
    cheap = pod_orders("cheap", 40, 4.0)
    few = pod_orders("few", 10, 100.0)
    report = order_shortfall(
        pd.concat([costly[0], cheap[0], few[0]], ignore_index=True),
        pd.concat([costly[1], cheap[1], few[1]], ignore_index=True),
    )

    reviews = {review.pod_id: review for review in review_execution(report)}

    assert reviews["costly"].rewrite_execution
    assert reviews["costly"].total_cost_bps == pytest.approx(30.0)
    assert "rewrite the execution, not the alpha" in reviews["costly"].reason
    assert not reviews["cheap"].rewrite_execution
    assert not reviews["few"].rewrite_execution
    assert not reviews["few"].sufficient_sample
    assert not review_execution(report, ExecutionReviewPolicy(max_total_cost_bps=35.0))[1].rewrite_execution


def test_gateway_records_convert_to_frames() -> None:
    request = OrderRequest(
        client_order_id="c1",
        symbol="BTC/USDT:USDT",
        side=OrderSide.SELL,
        type=OrderType.LIMIT,
        quantity=Decimal("2"),
        limit_price=Decimal("100"),
        time_in_force=TimeInForce.GTC,
        post_only=True,
        reduce_only=False,
        decision_price=Decimal("100"),
        decision_time=T0,
    )
    order = Order(
        pod_id="pod-a",
        order_id="o1",
        account="main",
        request=request,
        status=OrderStatus.CANCELED,
        exchange_order_id="x1",
        filled_quantity=Decimal("1"),
        average_fill_price=Decimal("100.5"),
        fees_usd=Decimal("-0.01"),
        reject_reason=None,
        reject_message="",
        reference_price=None,
        create_time=T0,
        update_time=T0,
    )
    fill = Fill(
        pod_id="pod-a",
        fill_id="f1",
        order_id="o1",
        client_order_id="c1",
        exchange_trade_id="t1",
        symbol="BTC/USDT:USDT",
        side=OrderSide.SELL,
        quantity=Decimal("1"),
        price=Decimal("100.5"),
        fee_usd=Decimal("-0.01"),
        liquidity=Liquidity.MAKER,
        fill_time=T0,
    )

    report = order_shortfall(inputs.orders_frame([order], {"o1": Decimal("99")}), inputs.fills_frame([fill]))

    row = one(report, "o1")
    assert row["execution_cost_usd"] == pytest.approx(-0.5)
    assert row["opportunity_cost_usd"] == pytest.approx(1.0)  # -(99 - 100) x 1 unfilled
    assert row["fees_usd"] == pytest.approx(-0.01)
    assert row["total_cost_usd"] == pytest.approx(0.49)
