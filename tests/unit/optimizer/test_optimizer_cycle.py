"""The optimizer's cycle over fake sources: wiring of allocation, sizing, stage caps, stress and push."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from slipstream.core.clock import ManualClock
from slipstream.core.errors import FailedPrecondition, InvalidArgument
from slipstream.core.model import PodLimits
from slipstream.optimizer.allocation import AllocationMethod
from slipstream.optimizer.covariance import estimate_covariance
from slipstream.optimizer.hrp import hrp_weights
from slipstream.optimizer.performance import collect_returns
from slipstream.optimizer.service import (
    CycleMode,
    CycleRecord,
    MarketView,
    Optimizer,
    OptimizerPolicy,
    OptimizerSources,
    PodView,
)
from slipstream.optimizer.stress import CorrelationStressPolicy

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
DAYS = 200
SYMBOLS = ("BTC/USD", "ETH/USD", "XMR/USD")


class MemoryStore:
    def __init__(self) -> None:
        self.records: list[CycleRecord] = []

    def next_cycle_id(self) -> int:
        return len(self.records) + 1

    def add(self, record: CycleRecord) -> None:
        self.records.append(record)


def snapshots(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for pod, drift, vol in (("trend", 0.001, 0.01), ("carry", 0.0005, 0.02), ("arb", 0.0003, 0.005)):
        nav = 100_000.0
        for day in range(DAYS):
            nav += 100_000.0 * rng.normal(drift, vol)
            rows.append((pod, START + timedelta(days=day, hours=23), nav, 100_000.0))
    return pd.DataFrame(rows, columns=["pod_id", "observe_time", "nav_usd", "capital_allocation_usd"])


def market(rng: np.random.Generator) -> MarketView:
    btc = rng.normal(0, 0.03, DAYS)
    eth = 0.9 * btc + rng.normal(0, 0.015, DAYS)
    xmr = rng.normal(0, 0.04, DAYS)
    index = pd.date_range(START, periods=DAYS, freq="D", tz="UTC")
    return MarketView(
        returns=pd.DataFrame({"BTC/USD": btc, "ETH/USD": eth, "XMR/USD": xmr}, index=index),
        prices={"BTC/USD": 60_000.0, "ETH/USD": 3_000.0, "XMR/USD": 150.0},
        forecasts={"BTC/USD": 0.5, "ETH/USD": 0.7, "XMR/USD": 0.8},
        daily_volume_usd={s: 5e10 for s in SYMBOLS},
    )


def optimizer(pods: list[PodView], pushed: list[tuple[str, PodLimits]], **policy: object) -> Optimizer:
    rng = np.random.default_rng(11)
    frame, view = snapshots(rng), market(rng)

    def push(pod_id: str, limits: PodLimits, actor: str) -> tuple[bool, str]:
        pushed.append((pod_id, limits))
        return True, ""

    sources = OptimizerSources(lambda: pods, lambda: frame, lambda symbols: view, push)
    settings = OptimizerPolicy(total_capital_usd=300_000.0, max_turnover_fraction=None, **policy)  # type: ignore[arg-type]
    return Optimizer(sources, settings, MemoryStore(), ManualClock(START + timedelta(days=DAYS)))


def views(stage_cap: float = math.inf) -> list[PodView]:
    current = PodLimits(capital_allocation_usd=Decimal(100_000))
    return [
        PodView("trend", current, ("BTC/USD",)),
        PodView("carry", current, ("ETH/USD",)),
        PodView("arb", current, ("XMR/USD",), "incubation", stage_cap),
    ]


def test_a_cycle_allocates_by_hrp_sizes_on_the_forecast_and_pushes_only_in_apply_mode() -> None:
    pushed: list[tuple[str, PodLimits]] = []
    opt = optimizer(views(), pushed, stress=CorrelationStressPolicy(threshold=0.999))

    observed = opt.run_cycle(CycleMode.OBSERVE, "test")
    assert pushed == [] and not any(p.delivered for p in observed.pods)

    history = collect_returns(snapshots(np.random.default_rng(11)))
    estimate = estimate_covariance(history.returns[["arb", "carry", "trend"]])
    expected = dict(zip(["arb", "carry", "trend"], hrp_weights(estimate.covariance.to_numpy()), strict=True))
    by_pod = {p.pod_id: p for p in observed.pods}
    for pod_id, weight in expected.items():
        assert by_pod[pod_id].target_weight == pytest.approx(weight, rel=1e-12)
        assert by_pod[pod_id].weight == pytest.approx(weight, rel=1e-9)  # no cap binds: capital follows HRP
    # Vol standardisation by hand: 25% a year of the pod's capital is its daily USD risk budget; the cap
    # is that budget over the symbol's daily forecast volatility.
    trend = by_pod["trend"]
    (cap,) = trend.limits.symbol_limits
    budget = trend.capital_usd * 0.25 / math.sqrt(365)
    assert float(cap.max_position_notional_usd) == pytest.approx(budget / (0.5 / math.sqrt(365)), abs=0.01)
    assert float(cap.max_position_quantity) == pytest.approx(budget / (0.5 / math.sqrt(365)) / 60_000, rel=1e-6)

    applied = opt.run_cycle(CycleMode.APPLY, "test", method=AllocationMethod.INVERSE_VOLATILITY)
    assert [pod for pod, _ in pushed] == ["arb", "carry", "trend"]
    assert dict(pushed) == {p.pod_id: p.limits for p in applied.pods}
    assert all(p.delivered for p in applied.pods) and applied.method is AllocationMethod.INVERSE_VOLATILITY
    assert applied.inputs["covariance"] is not None and applied.cycle_id == 2


def test_stage_caps_bind_and_a_btc_heavy_mix_is_cut_by_the_stress_test() -> None:
    pushed: list[tuple[str, PodLimits]] = []
    record = optimizer(views(stage_cap=5_000.0), pushed).run_cycle(CycleMode.APPLY, "test")
    arb = next(p for p in record.pods if p.pod_id == "arb")
    assert arb.capital_usd <= 5_000.0 + 1e-6 and any("stage" in reason for reason in arb.reasons)

    stress = record.stress.correlation
    assert stress.breached and stress.resolved and stress.correlation_after == pytest.approx(0.8, abs=1e-6)
    cut = stress.scale_by_pod()
    assert set(cut) <= {"trend", "carry"} and "trend" in cut
    trend = next(p for p in record.pods if p.pod_id == "trend")
    unscaled = trend.capital_usd * 0.25 / 0.5  # the vol-standardised cap before the cut
    (cap,) = trend.limits.symbol_limits
    assert float(cap.max_position_notional_usd) == pytest.approx(
        unscaled * cut["trend"] * record.stress.overlay.scale, rel=1e-6
    )


def test_no_pods_is_a_failed_precondition() -> None:
    with pytest.raises(FailedPrecondition):
        optimizer([], []).run_cycle(CycleMode.OBSERVE, "test")


def test_a_pin_wins_over_the_allocation_and_the_others_share_the_rest() -> None:
    record = optimizer(views(stage_cap=5_000.0), []).run_cycle(
        CycleMode.OBSERVE, "test", pins={"arb": (50_000.0, "seed capital")}
    )
    by_pod = {p.pod_id: p for p in record.pods}
    # The pin beats arb's 5,000 USD stage cap: an operator's explicit, recorded decision.
    assert by_pod["arb"].capital_usd == pytest.approx(50_000.0)
    assert by_pod["arb"].reasons[0] == "pinned at 50,000 USD by the operator: seed capital"
    assert sum(p.capital_usd for p in record.pods) <= 300_000.0 + 0.01
    with pytest.raises(InvalidArgument, match="not registered"):
        optimizer(views(), []).run_cycle(CycleMode.OBSERVE, "test", pins={"ghost": (1.0, "")})
