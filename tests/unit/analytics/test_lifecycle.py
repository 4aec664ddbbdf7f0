"""The lifecycle: promotion on significance, demotion and retirement on decay, caps and admin overrides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from slipstream.analytics.lifecycle import (
    LIFECYCLE_ACTOR,
    CapitalCaps,
    LifecyclePolicy,
    PodEvidence,
    PodState,
    PromotionRule,
    Stage,
    StageCap,
    TransitionKind,
    capital_cap_usd,
    evaluate,
    force_stage,
    lift_override,
)
from slipstream.analytics.residual import fake_alpha, fit_residuals
from slipstream.analytics.sharpe import per_period
from slipstream.analytics.shortfall import ExecutionReview
from slipstream.core.errors import FailedPrecondition, InvalidArgument

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def returns_with_sharpe(days: int, annualized_sharpe: float, seed: int = 1, volatility: float = 0.01) -> np.ndarray:
    """Daily returns whose realised (population) Sharpe ratio is exactly the one asked for."""
    noise = np.random.default_rng(seed).normal(size=days)
    standardised = (noise - noise.mean()) / noise.std()
    return volatility * (standardised + per_period(annualized_sharpe))


def pod_in(stage: Stage, since: datetime) -> PodState:
    return PodState(pod_id="pod", stage=stage, stage_since=since)


def flagged_execution() -> ExecutionReview:
    return ExecutionReview(
        pod_id="pod",
        order_count=200,
        paper_notional_usd=2e6,
        total_cost_usd=8_000.0,
        total_cost_bps=40.0,
        sufficient_sample=True,
        rewrite_execution=True,
        reason="shortfall 40.0 bps over 200 orders exceeds 15 bps: rewrite the execution, not the alpha",
    )


def test_sharpe_three_over_ninety_days_is_promoted_out_of_incubation() -> None:
    now = T0 + timedelta(days=90)

    decision = evaluate(PodState.incubating("pod", T0), PodEvidence(returns_with_sharpe(90, 3.0)), now)

    (transition,) = decision.transitions
    assert transition.kind is TransitionKind.PROMOTION
    assert (transition.from_stage, transition.to_stage) == (Stage.INCUBATION, Stage.EVALUATION)
    assert transition.actor == LIFECYCLE_ACTOR
    assert transition.time == now
    assert transition.metrics is not None
    assert transition.metrics.sharpe_annualized == pytest.approx(3.0)
    assert transition.metrics.psr >= 0.90
    assert transition.metrics.min_trl is not None and transition.metrics.min_trl <= 90
    assert transition.thresholds == (("min_observations", 30), ("min_psr", 0.9))
    assert "significant alpha" in transition.reason
    assert decision.state.stage is Stage.EVALUATION
    assert decision.state.stage_since == now
    assert decision.state.history == (transition,)


def test_one_stage_at_a_time_then_a_cooldown() -> None:
    strong = PodEvidence(returns_with_sharpe(400, 5.0))

    first = evaluate(PodState.incubating("pod", T0), strong, T0 + timedelta(days=400))
    second = evaluate(first.state, strong, T0 + timedelta(days=401))
    third = evaluate(second.state, strong, T0 + timedelta(days=408))

    assert first.state.stage is Stage.EVALUATION
    assert not second.changed and "cooling down" in second.reason
    assert third.state.stage is Stage.GROWTH


def test_not_yet_significant_is_no_change_with_the_progress_in_the_reason() -> None:
    decision = evaluate(PodState.incubating("pod", T0), PodEvidence(returns_with_sharpe(40, 1.0)), T0 + timedelta(40))

    assert not decision.changed
    assert decision.state.stage is Stage.INCUBATION
    assert decision.reason.startswith("not yet: PSR")


def test_many_trials_deflate_the_evidence() -> None:
    evidence = PodEvidence(returns_with_sharpe(90, 3.0), trial_count=50, trial_sharpe_variance=1.0 / 365)

    decision = evaluate(PodState.incubating("pod", T0), evidence, T0 + timedelta(days=90))

    assert not decision.changed
    assert decision.metrics is not None
    assert decision.metrics.deflated
    assert decision.metrics.benchmark_sharpe > 0.1
    assert decision.metrics.psr < 0.9 < decision.metrics.plain_psr
    assert "DSR" in decision.reason


def test_a_genuine_alpha_pod_with_zero_beta_is_never_flagged_and_climbs_to_maturity() -> None:
    rng = np.random.default_rng(21)
    days = pd.date_range("2024-01-01", periods=730, freq="D", tz="UTC")
    btc = rng.normal(0.001, 0.03, 730)
    factors = pd.DataFrame({"BTC": btc, "ETH": 0.9 * btc + rng.normal(0.0, 0.02, 730)}, index=days)
    returns = pd.DataFrame({"pod": 0.002 + rng.normal(0.0, 0.01, 730)}, index=days)
    state = PodState.incubating("pod", days[0].to_pydatetime())
    stages = []

    for day in range(30, 730, 7):
        report = fit_residuals(returns.iloc[:day], factors.iloc[:day])
        verdict = fake_alpha(report.fits["pod"])
        assert not verdict.flagged
        evidence = PodEvidence(report.alpha_returns["pod"].dropna().to_numpy(), fake_alpha=verdict)
        state = evaluate(state, evidence, days[day].to_pydatetime()).state
        stages.append(state.stage)

    assert Stage.RETIREMENT not in stages
    assert stages[-1] is Stage.MATURITY
    assert [t.kind for t in state.history] == [TransitionKind.PROMOTION] * 3


def test_a_retired_pod_is_retired_once() -> None:
    rng = np.random.default_rng(5)
    days = pd.date_range("2024-01-01", periods=365, freq="D")
    btc = rng.normal(0.002, 0.03, 365)
    factors = pd.DataFrame({"BTC": btc, "ETH": 0.9 * btc + rng.normal(0.0, 0.02, 365)}, index=days)
    levered = pd.DataFrame({"pod": 2 * btc + rng.normal(0.0, 0.005, 365)}, index=days)
    report = fit_residuals(levered, factors)
    evidence = PodEvidence(report.alpha_returns["pod"].to_numpy(), fake_alpha=fake_alpha(report.fits["pod"]))

    first = evaluate(pod_in(Stage.GROWTH, T0), evidence, T0 + timedelta(days=365))
    again = [evaluate(first.state, evidence, T0 + timedelta(days=365 + day)) for day in (1, 30, 400)]

    (retirement,) = first.transitions
    assert retirement.kind is TransitionKind.RETIREMENT
    assert retirement.to_stage is Stage.RETIREMENT
    assert retirement.reason.startswith("fake alpha: profitable, but alpha t")
    assert all(not decision.changed and decision.state == first.state for decision in again)
    assert all(decision.reason == "retired: retirement is terminal" for decision in again)
    assert [t.kind for t in again[-1].state.history] == [TransitionKind.RETIREMENT]
    with pytest.raises(FailedPrecondition):
        force_stage(first.state, Stage.GROWTH, "alice", "second chance", T0 + timedelta(days=400))


def test_significantly_negative_alpha_over_long_enough_retires() -> None:
    decision = evaluate(
        pod_in(Stage.EVALUATION, T0), PodEvidence(returns_with_sharpe(200, -3.0)), T0 + timedelta(days=200)
    )

    assert decision.state.stage is Stage.RETIREMENT
    assert decision.transitions[0].thresholds == (("retire_min_observations", 180), ("retire_max_psr", 0.05))


def test_incubation_without_promotion_for_too_long_retires() -> None:
    decision = evaluate(
        PodState.incubating("pod", T0), PodEvidence(returns_with_sharpe(181, 0.0)), T0 + timedelta(days=181)
    )

    assert decision.state.stage is Stage.RETIREMENT
    assert "181 days in incubation" in decision.reason


def test_decayed_alpha_demotes_one_stage() -> None:
    history = np.r_[returns_with_sharpe(200, 3.0, seed=2), returns_with_sharpe(90, -3.0, seed=3)]

    decision = evaluate(pod_in(Stage.GROWTH, T0), PodEvidence(history), T0 + timedelta(days=30))

    (demotion,) = decision.transitions
    assert demotion.kind is TransitionKind.DEMOTION
    assert (demotion.from_stage, demotion.to_stage) == (Stage.GROWTH, Stage.EVALUATION)
    assert demotion.metrics is not None and demotion.metrics.recent_psr is not None
    assert demotion.metrics.recent_psr < 0.10
    assert demotion.thresholds == (("decay_window", 90), ("decay_min_psr", 0.1))


def test_bad_execution_demotes_and_blocks_promotion() -> None:
    strong = returns_with_sharpe(200, 4.0)
    evidence = PodEvidence(strong, execution=flagged_execution())

    demoted = evaluate(pod_in(Stage.MATURITY, T0), evidence, T0 + timedelta(days=30))
    held_back = evaluate(PodState.incubating("pod", T0), evidence, T0 + timedelta(days=30))

    assert demoted.state.stage is Stage.GROWTH
    assert "rewrite the execution, not the alpha" in demoted.reason
    assert not held_back.changed
    assert "execution review" in held_back.reason


def test_maturity_is_the_top() -> None:
    decision = evaluate(pod_in(Stage.MATURITY, T0), PodEvidence(returns_with_sharpe(400, 4.0)), T0 + timedelta(30))

    assert not decision.changed
    assert decision.reason == "maturity is the top stage"


def test_an_override_holds_until_it_expires_then_evaluation_resumes() -> None:
    decaying = PodEvidence(np.r_[returns_with_sharpe(30, 2.0, seed=4), returns_with_sharpe(90, -3.0, seed=5)])
    forced = force_stage(
        PodState.incubating("pod", T0),
        Stage.GROWTH,
        "alice",
        "proven team, seeded",
        T0 + timedelta(days=1),
        expires_at=T0 + timedelta(days=11),
    )

    held = evaluate(forced.state, decaying, T0 + timedelta(days=5))
    resumed = evaluate(held.state, decaying, T0 + timedelta(days=12))

    (override,) = forced.transitions
    assert (override.kind, override.actor, override.reason) == (TransitionKind.OVERRIDE, "alice", "proven team, seeded")
    assert override.expires_at == T0 + timedelta(days=11)
    assert not held.changed
    assert held.state.stage is Stage.GROWTH
    assert "alice" in held.reason
    assert [t.kind for t in resumed.transitions] == [TransitionKind.OVERRIDE_EXPIRED, TransitionKind.DEMOTION]
    assert resumed.state.stage is Stage.EVALUATION
    assert resumed.state.override is None
    assert [t.kind for t in resumed.state.history] == [
        TransitionKind.OVERRIDE,
        TransitionKind.OVERRIDE_EXPIRED,
        TransitionKind.DEMOTION,
    ]


def test_an_override_without_expiry_holds_until_lifted() -> None:
    decaying = PodEvidence(returns_with_sharpe(120, -3.0))
    forced = force_stage(pod_in(Stage.EVALUATION, T0), Stage.MATURITY, "bob", "benchmark book", T0)

    much_later = evaluate(forced.state, decaying, T0 + timedelta(days=1000))
    lifted = lift_override(much_later.state, "bob", "benchmark retired", T0 + timedelta(days=1001))
    after = evaluate(lifted.state, decaying, T0 + timedelta(days=1002))

    assert not much_later.changed
    assert lifted.transitions[0].kind is TransitionKind.OVERRIDE_LIFTED
    assert lifted.state.stage is Stage.MATURITY and lifted.state.override is None
    assert after.state.stage is Stage.GROWTH
    with pytest.raises(FailedPrecondition):
        lift_override(after.state, "bob", "again", T0 + timedelta(days=1003))


def test_an_admin_can_retire_a_pod_for_good() -> None:
    retired = force_stage(pod_in(Stage.GROWTH, T0), Stage.RETIREMENT, "carol", "strategy withdrawn", T0)

    assert retired.transitions[0].kind is TransitionKind.RETIREMENT
    assert retired.state.override is None
    assert not evaluate(retired.state, PodEvidence(returns_with_sharpe(400, 5.0)), T0 + timedelta(days=30)).changed


def test_default_capital_caps_per_stage() -> None:
    book = 10_000_000.0

    caps = {stage: capital_cap_usd(stage, book) for stage in Stage}

    assert caps == {
        Stage.INCUBATION: 25_000.0,  # 0.5% would be 50,000: the USD cap binds
        Stage.EVALUATION: 200_000.0,
        Stage.GROWTH: 1_000_000.0,
        Stage.MATURITY: 2_500_000.0,
        Stage.RETIREMENT: 0.0,
    }


def test_caps_and_thresholds_are_configurable() -> None:
    policy = LifecyclePolicy(
        to_evaluation=PromotionRule(min_observations=20, min_psr=0.8),
        caps=CapitalCaps(incubation=StageCap(0.01)),
    )

    assert capital_cap_usd(Stage.INCUBATION, 1e7, policy) == pytest.approx(100_000.0)
    decision = evaluate(PodState.incubating("pod", T0), PodEvidence(returns_with_sharpe(40, 3.0)), T0 + timedelta(40))
    relaxed = evaluate(
        PodState.incubating("pod", T0), PodEvidence(returns_with_sharpe(40, 3.0)), T0 + timedelta(40), policy
    )
    assert not decision.changed
    assert relaxed.state.stage is Stage.EVALUATION


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: LifecyclePolicy(to_growth=PromotionRule(90, 1.5)), "policy.to_growth.min_psr"),
        (lambda: LifecyclePolicy(caps=CapitalCaps(growth=StageCap(2.0))), "policy.caps.growth.max_fraction"),
        (lambda: capital_cap_usd(Stage.GROWTH, float("nan")), "total_capital_usd"),
        (lambda: PodState.incubating("pod", datetime(2026, 1, 1)), "now"),
        (lambda: evaluate(pod_in(Stage.GROWTH, T0), PodEvidence([0.01, float("nan")]), T0), "residual_returns"),
        (lambda: evaluate(pod_in(Stage.GROWTH, T0), PodEvidence([0.01, 0.02], trial_count=0), T0), "trial_count"),
        (lambda: force_stage(pod_in(Stage.GROWTH, T0), Stage.MATURITY, " ", "why", T0), "requested_by"),
        (lambda: force_stage(pod_in(Stage.GROWTH, T0), Stage.MATURITY, "alice", "", T0), "reason"),
        (
            lambda: force_stage(pod_in(Stage.GROWTH, T0), Stage.MATURITY, "alice", "why", T0, T0 - timedelta(1)),
            "expires_at",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(make: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        make()
    assert raised.value.field == field


def test_too_little_evidence_is_no_change() -> None:
    decision = evaluate(PodState.incubating("pod", T0), PodEvidence([0.01]), T0 + timedelta(days=10))

    assert not decision.changed
    assert decision.metrics is None
    assert decision.reason == "too few or constant residual returns to judge"
