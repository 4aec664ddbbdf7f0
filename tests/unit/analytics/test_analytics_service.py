"""The analytics service over hand-written sources: reports worked out by hand, the lifecycle kept across restarts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from slipstream.analytics.lifecycle import Stage, TransitionKind
from slipstream.analytics.service import AnalyticsService, AnalyticsSources, daily_returns
from slipstream.analytics.shortfall import ExecutionQuality
from slipstream.analytics.store import LifecycleStore
from slipstream.core.clock import ManualClock
from slipstream.core.errors import FailedPrecondition, InvalidArgument, NotFound
from slipstream.core.model import ExecutionIntent, OrderSide
from slipstream.gateway.model import Fill, Liquidity, Order, OrderRequest, OrderStatus, OrderType, TimeInForce

D = Decimal
BTC = "BTC/USDT"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
FIRST_DAY = datetime(2026, 1, 1, tzinfo=timezone.utc)
DAYS = 120
# An hour after the last day's snapshot.
NOW = FIRST_DAY + timedelta(days=DAYS)
CAPITAL_USD = 100_000.0


def order(
    order_id: str,
    side: OrderSide,
    quantity: str,
    decision_price: str,
    created: datetime,
    status: OrderStatus = OrderStatus.FILLED,
    pod_id: str = "pod-a",
) -> Order:
    request = OrderRequest(
        client_order_id=f"client-{order_id}",
        symbol=BTC,
        side=side,
        type=OrderType.MARKET,
        quantity=D(quantity),
        limit_price=None,
        time_in_force=TimeInForce.IOC,
        post_only=False,
        reduce_only=False,
        decision_price=D(decision_price),
        decision_time=created - timedelta(seconds=1),
    )
    return Order(pod_id, order_id, "paper", request, status, "", D(0), None, D(0), None, "", None, created, created)


def fill(
    fill_id: str,
    order_id: str,
    quantity: str,
    price: str,
    fee: str,
    at: datetime,
    liquidity: Liquidity = Liquidity.TAKER,
    pod_id: str = "pod-a",
) -> Fill:
    client_order_id = f"client-{order_id}"
    return Fill(
        pod_id,
        fill_id,
        order_id,
        client_order_id,
        fill_id,
        BTC,
        OrderSide.BUY,
        D(quantity),
        D(price),
        D(fee),
        liquidity,
        at,
    )


def market(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    btc = rng.normal(0.002, 0.03, DAYS)
    eth = 0.9 * btc + rng.normal(0.0, 0.02, DAYS)
    return pd.DataFrame({"BTC/USD": btc, "ETH/USD": eth}, index=pd.date_range(FIRST_DAY, periods=DAYS, freq="D"))


class World:
    """What the sources read: registered pods, their gateway records, prices, daily returns, the market."""

    def __init__(self) -> None:
        self.intents: dict[str, ExecutionIntent] = {"pod-a": ExecutionIntent.TAKER}
        self.orders: dict[str, list[Order]] = {}
        self.fills: dict[str, list[Fill]] = {}
        self.prices: dict[str, Decimal] = {BTC: D(102)}
        self.returns: dict[str, np.ndarray] = {}
        self.factors = market()

    def snapshots(self, pod_ids: Sequence[str]) -> pd.DataFrame:
        # A constant allocation, a snapshot an hour before each day ends; NAV moves by return x capital.
        rows = []
        for pod_id in pod_ids:
            returns = self.returns.get(pod_id)
            if returns is None:
                continue
            navs = CAPITAL_USD * (1.0 + np.concatenate([[0.0], np.cumsum(returns)]))
            first = DAYS - len(navs)
            for day, nav in enumerate(navs, start=first):
                rows.append((pod_id, FIRST_DAY + timedelta(days=day, hours=23), nav, CAPITAL_USD))
        return pd.DataFrame(rows, columns=["pod_id", "observe_time", "nav_usd", "capital_allocation_usd"])

    def factor_returns(self, as_of: datetime) -> pd.DataFrame:
        return self.factors

    def sources(self) -> AnalyticsSources:
        return AnalyticsSources(
            intents=lambda: dict(self.intents),
            orders=lambda pod_id: list(self.orders.get(pod_id, [])),
            fills=lambda pod_id: list(self.fills.get(pod_id, [])),
            end_prices=lambda pod_id: dict(self.prices),
            pod_snapshots=self.snapshots,
            factor_returns=self.factor_returns,
        )


def service(world: World, data_dir: Path, clock: ManualClock | None = None) -> AnalyticsService:
    return AnalyticsService(world.sources(), LifecycleStore(data_dir), clock or ManualClock(NOW))


def world_with_orders() -> World:
    """Two orders in the window worked out by hand, plus a rejected one and one created before the window."""
    world = World()
    later = T0 + timedelta(minutes=5)
    world.orders["pod-a"] = [
        order("o1", OrderSide.BUY, "1.0", "100", T0, OrderStatus.CANCELED),
        order("o2", OrderSide.SELL, "2.0", "100", T0 + timedelta(minutes=1)),
        order("o3", OrderSide.BUY, "5.0", "100", T0, OrderStatus.REJECTED),
        order("o4", OrderSide.BUY, "1.0", "100", T0 - timedelta(days=2)),
    ]
    replayed = fill("f2", "o2", "2.0", "99.5", "0.2", later)
    world.fills["pod-a"] = [
        fill("f1", "o1", "0.5", "101", "0.1", later),
        replayed,
        replayed,
        fill("f4", "o4", "1.0", "90", "0.1", T0 - timedelta(days=2)),
    ]
    return world


WINDOW = (T0 - timedelta(hours=1), T0 + timedelta(hours=1))


def test_shortfall_totals_groups_and_grades_are_the_hand_computed_ones(tmp_path: Path) -> None:
    analytics = service(world_with_orders(), tmp_path)

    report = analytics.shortfall_report("pod-a", *WINDOW)

    # o1: buy 1 at 100, 0.5 filled at 101 (fee 0.1), 0.5 left valued at the current 102:
    #     execution 0.5, opportunity 1.0, total 1.6 on 100 of paper = 160 bps.
    # o2: sell 2 at 100 filled at 99.5 (fee 0.2): execution 1.0, total 1.2 on 200 = 60 bps.
    # o3 was rejected and o4 created before the window: neither counts; the replayed fill counts once.
    total = report.total
    assert total.order_count == 2
    assert total.paper_notional_usd == pytest.approx(300.0)
    assert total.executed_notional_usd == pytest.approx(250.0)
    assert total.execution_cost_usd == pytest.approx(1.5)
    assert total.opportunity_cost_usd == pytest.approx(1.0)
    assert total.fees_usd == pytest.approx(0.3)
    assert total.total_cost_usd == pytest.approx(2.8)
    assert total.execution_cost_bps == pytest.approx(60.0)
    assert total.total_cost_bps == pytest.approx(2.8 / 300 * 1e4)
    (group,) = report.groups
    assert group.symbol == BTC and group.period_start == datetime(2026, 3, 2, tzinfo=timezone.utc)
    assert group.figures == total
    assert dict(report.qualities) == {
        ExecutionQuality.EXCELLENT: 0,
        ExecutionQuality.GOOD: 0,
        ExecutionQuality.FAIR: 0,
        ExecutionQuality.POOR: 0,
        ExecutionQuality.VERY_POOR: 2,
    }
    assert not report.rewrite_execution and "too little to judge" in report.review_reason
    assert report.review_threshold_bps == 15.0


def test_the_costliest_orders_come_first_with_their_own_figures(tmp_path: Path) -> None:
    analytics = service(world_with_orders(), tmp_path)

    costliest = analytics.high_shortfall_orders("pod-a", *WINDOW)

    assert [c.order_id for c in costliest] == ["o1", "o2"]
    first = costliest[0]
    assert first.client_order_id == "client-o1" and first.side is OrderSide.BUY
    assert first.average_fill_price == pytest.approx(101.0) and first.filled_quantity == pytest.approx(0.5)
    assert first.figures.total_cost_bps == pytest.approx(160.0) and first.quality is ExecutionQuality.VERY_POOR
    assert [c.order_id for c in analytics.high_shortfall_orders("pod-a", *WINDOW, min_cost_bps=100)] == ["o1"]
    assert [c.order_id for c in analytics.high_shortfall_orders("pod-a", *WINDOW, max_count=1)] == ["o1"]


def test_rerunning_a_report_changes_nothing_and_records_nothing(tmp_path: Path) -> None:
    analytics = service(world_with_orders(), tmp_path)

    first = analytics.shortfall_report("pod-a", *WINDOW)
    second = analytics.shortfall_report("pod-a", *WINDOW)

    assert first == second
    assert analytics.store.records() == {} and analytics.store.history("pod-a") == []


def test_an_empty_window_is_a_report_of_nothing(tmp_path: Path) -> None:
    analytics = service(world_with_orders(), tmp_path)

    report = analytics.shortfall_report("pod-a", T0 + timedelta(days=1), T0 + timedelta(days=2))
    mix = analytics.fill_ratio_report("pod-a", T0 + timedelta(days=1), T0 + timedelta(days=2))

    assert report.total.order_count == 0 and report.groups == () and report.review_reason == "no orders in the window"
    assert mix.total.fill_count == 0 and mix.groups == () and mix.reason == "no fills in the window"


def test_an_unfilled_order_without_a_current_price_is_refused_not_guessed(tmp_path: Path) -> None:
    world = world_with_orders()
    world.prices = {}

    with pytest.raises(FailedPrecondition, match="end_price"):
        service(world, tmp_path).shortfall_report("pod-a", *WINDOW)


def test_a_passive_pod_taking_most_of_its_volume_is_a_process_failure(tmp_path: Path) -> None:
    world = World()
    world.intents["maker"] = ExecutionIntent.MAKER
    world.fills["maker"] = [
        fill(f"f{i}", "o1", "1", "1000", "0", T0, Liquidity.TAKER if i < 20 else Liquidity.MAKER, "maker")
        for i in range(25)
    ]

    report = service(world, tmp_path).fill_ratio_report("maker", None, None)

    assert report.declared_intent is ExecutionIntent.MAKER
    assert report.total.fill_count == 25 and report.total.taker_share == pytest.approx(0.8)
    assert report.total.taker_notional_usd == pytest.approx(20_000.0)
    assert report.total.maker_notional_usd == pytest.approx(5_000.0)
    by_symbol, by_day = report.groups
    assert by_symbol.symbol == BTC and by_symbol.period_start is None
    assert by_day.period_start == datetime(2026, 3, 2, tzinfo=timezone.utc)
    assert report.process_failure and "contradicts intent" in report.reason


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: s.shortfall_report("pod-a", T0, T0), "window.end_time"),
        (lambda s: s.shortfall_report("pod-a", NOW + timedelta(days=1), None), "window.start_time"),
        (lambda s: s.fill_ratio_report("", None, None), "pod_id"),
        (lambda s: s.high_shortfall_orders("pod-a", None, None, max_count=1001), "max_count"),
        (lambda s: s.high_shortfall_orders("pod-a", None, None, min_cost_bps=math.nan), "min_cost_bps"),
        (lambda s: s.residual_report("pod-a", None, None, rolling_window_days=3), "rolling_window_days"),
        (lambda s: s.evaluate_lifecycles(" "), "requested_by"),
        (lambda s: s.override("pod-a", Stage.GROWTH, "alice", "", None), "reason"),
        (lambda s: s.override("pod-a", Stage.GROWTH, "alice", "why", NOW), "expire_time"),
    ],
)
def test_bad_input_is_refused_naming_the_field(tmp_path: Path, call: object, field: str) -> None:
    analytics = service(World(), tmp_path)

    with pytest.raises(InvalidArgument) as refused:
        call(analytics)  # type: ignore[operator]

    assert refused.value.field == field


def test_an_unknown_pod_is_not_found_everywhere(tmp_path: Path) -> None:
    analytics = service(World(), tmp_path)

    for call in (
        lambda: analytics.shortfall_report("ghost", None, None),
        lambda: analytics.fill_ratio_report("ghost", None, None),
        lambda: analytics.residual_report("ghost", None, None),
        lambda: analytics.list_lifecycles("ghost"),
        lambda: analytics.history("ghost"),
        lambda: analytics.override("ghost", Stage.GROWTH, "alice", "why"),
    ):
        with pytest.raises(NotFound):
            call()


def levered_and_skilled(world: World) -> None:
    """`levered` is two times BTC plus noise (fake alpha); `skilled` earns 40 bps a day with no beta."""
    rng = np.random.default_rng(4)
    btc = world.factors["BTC/USD"].to_numpy()
    world.returns["levered"] = 2 * btc[1:] + rng.normal(0.0, 0.005, DAYS - 1)
    world.returns["skilled"] = 0.004 + rng.normal(0.0, 0.01, DAYS - 1)
    world.intents.update({"levered": ExecutionIntent.TAKER, "skilled": ExecutionIntent.TAKER})


def test_the_residual_report_finds_the_beta_and_calls_it_fake_alpha(tmp_path: Path) -> None:
    world = World()
    levered_and_skilled(world)

    report = service(world, tmp_path).residual_report("levered", None, None, rolling_window_days=30)

    assert report.observation_count == DAYS - 1 and report.hac_lag_count == 4
    alpha, btc, eth = report.loadings
    assert (alpha.name, btc.name, eth.name) == ("alpha", "BTC/USD", "ETH/USD")
    assert btc.coefficient == pytest.approx(2.0, abs=0.05) and btc.t_statistic > 10
    assert btc.standard_error == pytest.approx(btc.coefficient / btc.t_statistic)
    assert report.alpha_annualized == pytest.approx(alpha.coefficient * 365)
    assert report.total_pnl_usd == pytest.approx(CAPITAL_USD * world.returns["levered"].sum())
    assert report.beta_pnl_usd + report.alpha_pnl_usd == pytest.approx(report.total_pnl_usd)
    assert abs(report.beta_pnl_usd) > abs(report.alpha_pnl_usd)
    assert len(report.rolling_betas) == DAYS - 1 - 30 + 1
    assert report.rolling_betas[-1].end_time == FIRST_DAY + timedelta(days=DAYS - 1)
    assert report.rolling_betas[-1].btc_beta == pytest.approx(2.0, abs=0.2)
    assert report.fake_alpha and "leveraged index fund" in report.fake_alpha_reason


def test_a_window_selects_days_and_too_short_a_history_is_a_failed_precondition(tmp_path: Path) -> None:
    world = World()
    levered_and_skilled(world)
    analytics = service(world, tmp_path)

    windowed = analytics.residual_report("levered", FIRST_DAY + timedelta(days=60), None)

    assert windowed.observation_count == DAYS - 60
    with pytest.raises(FailedPrecondition, match="too short"):
        analytics.residual_report("levered", FIRST_DAY + timedelta(days=100), None)
    with pytest.raises(FailedPrecondition, match="no daily returns yet"):
        analytics.residual_report("pod-a", None, None)
    world.factors = pd.DataFrame()
    with pytest.raises(FailedPrecondition, match="data lake"):
        analytics.residual_report("levered", None, None)


def test_new_pods_start_incubating_with_the_incubation_cap(tmp_path: Path) -> None:
    world = World()
    analytics = service(world, tmp_path)

    (pod,) = analytics.list_lifecycles()
    world.intents["a-newcomer"] = ExecutionIntent.MAKER
    later = analytics.list_lifecycles()

    assert pod.pod_id == "pod-a" and pod.stage is Stage.INCUBATION and pod.stage_since == NOW
    assert pod.cap.max_fraction == 0.005 and pod.cap.max_usd == 25_000.0
    assert pod.override is None and pod.metrics is None
    assert analytics.history("pod-a") == []
    assert [p.pod_id for p in later] == ["a-newcomer", "pod-a"]


def test_the_lifecycle_is_persisted_and_restored_after_reopening_the_store(tmp_path: Path) -> None:
    world = World()
    levered_and_skilled(world)
    clock = ManualClock(NOW)
    analytics = service(world, tmp_path, clock)
    analytics.evaluate_lifecycles("schedule")  # admits every pod: incubation, cooling down
    clock.advance(timedelta(days=8))

    evaluation = analytics.evaluate_lifecycles("schedule")
    analytics.store.close()
    restarted = service(world, tmp_path, clock)

    (promotion,) = [t for t in evaluation.transitions if t.pod_id == "skilled"]
    assert promotion.kind is TransitionKind.PROMOTION and promotion.to_stage is Stage.EVALUATION
    assert promotion.metrics is not None and promotion.metrics.trial_count == 2
    (skilled,) = restarted.list_lifecycles("skilled")
    assert skilled.stage is Stage.EVALUATION and skilled.stage_since == clock.now()
    assert skilled.metrics == promotion.metrics and "significant alpha" in skilled.last_reason
    assert restarted.history("skilled") == [promotion]
    assert dict(promotion.thresholds) == {"min_observations": 30.0, "min_psr": 0.9}


def test_a_retired_pod_retires_once_across_evaluations(tmp_path: Path) -> None:
    world = World()
    levered_and_skilled(world)
    clock = ManualClock(NOW)
    analytics = service(world, tmp_path, clock)

    first = analytics.evaluate_lifecycles("schedule")
    later = []
    for _ in range(3):
        clock.advance(timedelta(days=8))
        later.append(analytics.evaluate_lifecycles("schedule"))

    (retired,) = [t for t in first.transitions if t.pod_id == "levered"]
    assert retired.kind is TransitionKind.RETIREMENT and "fake alpha" in retired.reason
    assert all(t.pod_id != "levered" for evaluation in later for t in evaluation.transitions)
    assert analytics.history("levered") == [retired]
    (levered,) = analytics.list_lifecycles("levered")
    assert levered.stage is Stage.RETIREMENT and levered.cap.max_fraction == 0.0
    with pytest.raises(FailedPrecondition, match="retired"):
        analytics.override("levered", Stage.GROWTH, "alice", "second chance")


def test_an_override_holds_against_evaluation_is_audited_and_expires(tmp_path: Path) -> None:
    world = World()
    levered_and_skilled(world)
    clock = ManualClock(NOW)
    analytics = service(world, tmp_path, clock)

    forced = analytics.override("skilled", Stage.GROWTH, "alice", "seeding a new book", NOW + timedelta(days=10))
    clock.advance(timedelta(days=8))
    held = analytics.evaluate_lifecycles("schedule")
    (during,) = analytics.list_lifecycles("skilled")
    clock.advance(timedelta(days=3))
    resumed = analytics.evaluate_lifecycles("schedule")

    assert forced.kind is TransitionKind.OVERRIDE and forced.actor == "alice"
    assert (forced.from_stage, forced.to_stage) == (Stage.INCUBATION, Stage.GROWTH)
    assert all(t.pod_id != "skilled" for t in held.transitions)
    assert during.stage is Stage.GROWTH and during.override is not None and "held at growth" in during.last_reason
    (expired,) = [t for t in resumed.transitions if t.pod_id == "skilled"]
    assert expired.kind is TransitionKind.OVERRIDE_EXPIRED and expired.to_stage is Stage.GROWTH
    assert [t.kind for t in analytics.history("skilled")] == [TransitionKind.OVERRIDE, TransitionKind.OVERRIDE_EXPIRED]
    with pytest.raises(FailedPrecondition, match="no override"):
        analytics.lift("skilled", "alice", "done")


def test_an_override_without_expiry_holds_until_lifted_and_survives_a_restart(tmp_path: Path) -> None:
    world = World()
    clock = ManualClock(NOW)
    analytics = service(world, tmp_path, clock)
    analytics.override("pod-a", Stage.EVALUATION, "alice", "proven elsewhere")
    analytics.store.close()
    restarted = service(world, tmp_path, clock)
    clock.advance(timedelta(days=30))

    (held,) = restarted.list_lifecycles("pod-a")
    lifted = restarted.lift("pod-a", "bob", "evidence from here now")

    assert held.override is not None and held.override.requested_by == "alice" and held.override.expires_at is None
    assert lifted.kind is TransitionKind.OVERRIDE_LIFTED and lifted.actor == "bob"
    (after,) = restarted.list_lifecycles("pod-a")
    assert after.stage is Stage.EVALUATION and after.override is None


def test_evaluating_twice_at_once_records_each_change_once(tmp_path: Path) -> None:
    world = World()
    levered_and_skilled(world)
    analytics = service(world, tmp_path)

    first = analytics.evaluate_lifecycles("schedule")
    second = analytics.evaluate_lifecycles("schedule")

    assert len(first.transitions) == 1 and second.transitions == ()
    assert sum(len(analytics.history(p)) for p in ("pod-a", "levered", "skilled")) == 1


def test_without_factor_returns_the_lifecycle_judges_raw_returns_and_says_so(tmp_path: Path) -> None:
    world = World()
    levered_and_skilled(world)
    world.factors = pd.DataFrame()
    clock = ManualClock(NOW)
    analytics = service(world, tmp_path, clock)
    analytics.evaluate_lifecycles("schedule")
    clock.advance(timedelta(days=8))

    evaluation = analytics.evaluate_lifecycles("schedule")

    # Without the fit nothing can be called fake alpha: the levered pod is not retired.
    lifecycles = {p.pod_id: p for p in evaluation.lifecycles}
    assert lifecycles["levered"].stage is Stage.INCUBATION
    assert "raw returns" in lifecycles["skilled"].last_reason and "data lake" in lifecycles["skilled"].last_reason
    assert evaluation.transitions and all("raw returns" in t.reason for t in evaluation.transitions)
    assert lifecycles["pod-a"].metrics is None and "raw returns" not in lifecycles["pod-a"].last_reason


def test_daily_returns_leave_no_return_across_a_missing_day() -> None:
    day_ms = 86_400_000
    opens = np.array([0, 1, 2, 4, 5]) * day_ms
    closes = np.array([100.0, 110.0, 99.0, 120.0, 126.0])

    returns = daily_returns(opens, closes)

    assert list(returns.index) == list(pd.date_range("1970-01-01", periods=6, freq="D", tz="UTC"))
    expected = [math.nan, 0.1, -0.1, math.nan, math.nan, 0.05]
    assert np.allclose(returns.to_numpy(), expected, equal_nan=True)


def test_the_store_round_trips_metrics_with_infinities(tmp_path: Path) -> None:
    world = World()
    world.returns["pod-a"] = np.random.default_rng(1).normal(-0.005, 0.01, 40)
    analytics = service(world, tmp_path)

    (evaluated,) = analytics.evaluate_lifecycles("schedule").lifecycles
    analytics.store.close()

    restored = LifecycleStore(tmp_path).record("pod-a")
    assert evaluated.metrics is not None and restored is not None
    assert evaluated.metrics.min_trl == math.inf and evaluated.metrics.recent_psr is None
    assert restored.metrics == evaluated.metrics and restored.last_reason == evaluated.last_reason
