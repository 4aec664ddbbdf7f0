"""Returns on allocated capital across allocation changes, deposits and gaps, computed by hand."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from slipstream.core.errors import InvalidArgument
from slipstream.core.model import TradingState
from slipstream.federation.registry import Snapshot
from slipstream.optimizer.performance import PerformanceSettings, collect_returns, snapshot_frame

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


def at(day: int, hour: int = 23) -> datetime:
    return START + timedelta(days=day, hours=hour)


def frame(rows: list[tuple[str, datetime, float, float]], flows: list[float] | None = None) -> pd.DataFrame:
    snapshots = pd.DataFrame(rows, columns=["pod_id", "observe_time", "nav_usd", "capital_allocation_usd"])
    if flows is not None:
        snapshots["flow_usd"] = flows
    return snapshots


SETTINGS = PerformanceSettings(min_observations=1)


def test_an_allocation_change_is_not_pnl() -> None:
    # Slipstream's NAV = allocation + PnL. Day 1: +10 on 1000. Day 2: allocation doubled to 2000 and +30 of PnL,
    # NAV 1010 -> 2040; the return is 30 / 1000 (capital at the day's start). Day 3: -20 on 2000.
    snapshots = frame(
        [
            ("a", at(0), 1000.0, 1000.0),
            ("a", at(1), 1010.0, 1000.0),
            ("a", at(2), 2040.0, 2000.0),
            ("a", at(3), 2020.0, 2000.0),
        ]
    )

    history = collect_returns(snapshots, SETTINGS)

    returns = history.returns["a"].to_numpy()
    assert math.isnan(returns[0])
    assert returns[1:] == pytest.approx([0.01, 0.03, -0.01], rel=1e-12)
    assert history.pnl_usd["a"].to_numpy()[1:] == pytest.approx([10.0, 30.0, -20.0])
    assert history.capital_usd["a"].to_numpy()[1:] == pytest.approx([1000.0, 1000.0, 2000.0])


def test_a_deposit_is_not_pnl_when_nav_is_an_account_balance() -> None:
    # NAV is the balance: a 500 deposit on day 2 lifts it from 1010 to 1525 with +15 of PnL; the allocation
    # (the centre's grant) stays 1000, so day 2 returns 15 / 1000.
    snapshots = frame(
        [("a", at(0), 1000.0, 1000.0), ("a", at(1), 1010.0, 1000.0), ("a", at(2), 1525.0, 1000.0)],
        flows=[0.0, 0.0, 500.0],
    )

    history = collect_returns(snapshots, PerformanceSettings(min_observations=1, nav_includes_allocation=False))

    assert history.returns["a"].to_numpy()[1:] == pytest.approx([0.01, 0.015])


def test_flows_between_two_snapshots_of_the_same_day_add_up() -> None:
    snapshots = frame(
        [
            ("a", at(0), 1000.0, 1000.0),
            ("a", at(1, 9), 1200.0, 1000.0),
            ("a", at(1, 21), 1105.0, 1000.0),
        ],
        flows=[0.0, 200.0, -100.0],
    )

    history = collect_returns(snapshots, PerformanceSettings(min_observations=1, nav_includes_allocation=False))

    # 1105 - 1000 - (200 - 100) = 5 of PnL on 1000.
    assert history.returns["a"].to_numpy()[1] == pytest.approx(0.005)


def test_the_last_snapshot_of_a_day_closes_it_whatever_the_row_order() -> None:
    snapshots = frame(
        [
            ("a", at(1, 23), 1020.0, 1000.0),
            ("a", at(0, 23), 1000.0, 1000.0),
            ("a", at(1, 1), 990.0, 1000.0),
            ("a", at(0, 2), 950.0, 1000.0),
        ]
    )

    history = collect_returns(snapshots, SETTINGS)

    assert history.returns["a"].to_numpy()[1] == pytest.approx(0.02)


def test_a_missing_day_and_the_day_after_stay_nan() -> None:
    # Day 2 has no snapshot: days 2 and 3 cannot be told apart, so both are NaN, not 0; day 4 is back.
    snapshots = frame(
        [
            ("a", at(0), 1000.0, 1000.0),
            ("a", at(1), 1010.0, 1000.0),
            ("a", at(3), 1030.0, 1000.0),
            ("a", at(4), 1040.3, 1000.0),
            ("b", at(0), 500.0, 500.0),
            ("b", at(4), 505.0, 500.0),
        ]
    )

    history = collect_returns(snapshots, SETTINGS)

    a = history.returns["a"].to_numpy()
    assert a[1] == pytest.approx(0.01)
    assert np.isnan(a[2]) and np.isnan(a[3])
    assert a[4] == pytest.approx(0.0103)
    assert list(history.returns.index) == [pd.Timestamp(START) + pd.Timedelta(days=d) for d in range(5)]
    assert history.observation_count.to_dict() == {"a": 2, "b": 0}
    assert history.insufficient_history == ("b",)
    assert list(history.returns.columns) == ["a"]


def test_zero_capital_at_the_start_gives_no_return() -> None:
    snapshots = frame([("a", at(0), 0.0, 0.0), ("a", at(1), 1000.0, 1000.0), ("a", at(2), 1001.0, 1000.0)])

    history = collect_returns(snapshots, SETTINGS)

    returns = history.returns["a"].to_numpy()
    assert np.isnan(returns[1])
    assert returns[2] == pytest.approx(0.001)


def test_short_histories_are_reported() -> None:
    rows = [("long", at(d), 1000.0 + d, 1000.0) for d in range(40)]
    rows += [("short", at(d), 1000.0, 1000.0) for d in range(35, 40)]

    history = collect_returns(frame(rows), PerformanceSettings(min_observations=30))

    assert history.insufficient_history == ("short",)
    assert list(history.returns.columns) == ["long"]
    assert int(history.observation_count["short"]) == 4


def test_snapshots_from_the_registry() -> None:
    snapshots = [
        Snapshot(
            pod_id="a",
            observe_time=at(day),
            nav_usd=Decimal(nav),
            realized_pnl_usd=Decimal(0),
            unrealized_pnl_usd=Decimal(0),
            net_exposure_usd=Decimal(0),
            gross_exposure_usd=Decimal(0),
            capital_allocation_usd=Decimal("1000"),
            trading_state=TradingState.ACTIVE,
            config_version=1,
        )
        for day, nav in enumerate(["1000", "1012.5", "1000"])
    ]

    history = collect_returns(snapshot_frame(snapshots), SETTINGS)

    assert history.returns["a"].to_numpy()[1:] == pytest.approx([0.0125, -0.0125])


def test_eight_hour_periods() -> None:
    snapshots = frame([("a", START + timedelta(hours=h), 1000.0 + h, 1000.0) for h in (1, 9, 17)])

    history = collect_returns(snapshots, PerformanceSettings(period="8h", min_observations=1))

    assert history.returns["a"].to_numpy()[1:] == pytest.approx([0.008, 0.008])


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        ("nav_usd", math.nan, "snapshots.nav_usd"),
        ("nav_usd", "abc", "snapshots.nav_usd"),
        ("capital_allocation_usd", -1.0, "snapshots.capital_allocation_usd"),
        ("observe_time", None, "snapshots.observe_time"),
        ("flow_usd", math.inf, "snapshots.flow_usd"),
    ],
)
def test_bad_snapshots_name_the_field(column: str, value: object, field: str) -> None:
    snapshots = frame([("a", at(0), 1000.0, 1000.0), ("a", at(1), 1010.0, 1000.0)], flows=[0.0, 0.0])
    snapshots[column] = snapshots[column].astype(object)
    snapshots.loc[1, column] = value

    with pytest.raises(InvalidArgument) as error:
        collect_returns(snapshots, SETTINGS)

    assert error.value.field == field


def test_missing_columns_and_bad_settings_are_rejected() -> None:
    with pytest.raises(InvalidArgument) as error:
        collect_returns(pd.DataFrame({"pod_id": ["a"], "observe_time": [at(0)], "nav_usd": [1.0]}))
    assert error.value.field == "snapshots.capital_allocation_usd"
    with pytest.raises(InvalidArgument) as error:
        collect_returns(frame([("a", at(0), 1.0, 1.0)]), PerformanceSettings(period="1M"))
    assert error.value.field == "settings.period"
    with pytest.raises(InvalidArgument) as error:
        collect_returns(frame([]))
    assert error.value.field == "snapshots"
