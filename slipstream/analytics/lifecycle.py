"""A pod's life, Incubation -> Evaluation -> Growth -> Maturity and Retirement, as pure policy over immutable state.

A pod climbs one stage at a time as statistical evidence of skill accumulates, and each stage
caps the capital the optimiser may give it. The evidence is the pod's residual (alpha) daily
returns, what is left after BTC/ETH beta (see `residual`), judged by the PSR against a benchmark
Sharpe ratio (default 0). When `trial_count` > 1 pods or variants were tried, the benchmark is
raised by the Sharpe ratio the best of that many skill-less trials would show (SR0 of the
deflated Sharpe ratio), so the luckiest of many tries is not promoted: the PSR becomes the DSR.

Default promotion rules (all configurable, see `LifecyclePolicy`):
- Incubation -> Evaluation: >= 30 daily observations and PSR >= 0.90;
- Evaluation -> Growth: >= 90 observations and PSR >= 0.95;
- Growth -> Maturity: >= 180 observations and PSR >= 0.99.
A PSR >= c is the same test as n >= MinTRL at confidence c (MinTRL is PSR solved for n), so
each record also states MinTRL: how long the track record must be at its current Sharpe ratio.

Demotion by one stage: the PSR over the last 90 observations below 0.10 (recent alpha has
probably turned negative), or the execution review says "rewrite the execution, not the alpha"
(a flagged pod is also never promoted). Retirement: fake alpha (profit that is only beta), a PSR
below 0.05 over at least 180 observations, or more than 180 days in Incubation without
promotion. Retirement is terminal: evaluating a retired pod is always "no change".

Automatic moves other than retirement wait 7 days after the last stage change, so one bad week
cannot cascade a pod from Maturity to Incubation. An admin override forces a stage, recorded
with who and why; evaluation holds it until it is lifted or expires, then resumes from it.
Every change is a `Transition` carrying its metrics, thresholds, reason and time.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from slipstream.analytics import sharpe
from slipstream.analytics.residual import FakeAlphaVerdict
from slipstream.analytics.shortfall import ExecutionReview
from slipstream.core.errors import FailedPrecondition, InvalidArgument

LIFECYCLE_ACTOR = "lifecycle"


class Stage(enum.Enum):
    INCUBATION = "incubation"
    EVALUATION = "evaluation"
    GROWTH = "growth"
    MATURITY = "maturity"
    RETIREMENT = "retirement"


_LADDER = (Stage.INCUBATION, Stage.EVALUATION, Stage.GROWTH, Stage.MATURITY)


class TransitionKind(enum.Enum):
    PROMOTION = "promotion"
    DEMOTION = "demotion"
    RETIREMENT = "retirement"
    OVERRIDE = "override"
    OVERRIDE_LIFTED = "override_lifted"
    OVERRIDE_EXPIRED = "override_expired"


@dataclass(frozen=True)
class PromotionRule:
    """Promote when the track record has `min_observations` days and its (deflated) PSR reaches `min_psr`."""

    min_observations: int
    min_psr: float

    def validate(self, path: str) -> None:
        """Raise InvalidArgument naming the first bad field below `path`."""
        if self.min_observations < 2:
            raise InvalidArgument(f"{path}.min_observations", f"must be >= 2, got {self.min_observations}")
        if not 0.0 < self.min_psr < 1.0:
            raise InvalidArgument(f"{path}.min_psr", f"must be in (0, 1), got {self.min_psr}")


@dataclass(frozen=True)
class StageCap:
    """The most capital a stage may hold: a fraction of the total and, optionally, an absolute USD cap."""

    max_fraction: float
    max_usd: float | None = None

    def cap_usd(self, total_capital_usd: float) -> float:
        """Return the cap in USD for a book of `total_capital_usd`."""
        by_fraction = self.max_fraction * total_capital_usd
        return by_fraction if self.max_usd is None else min(by_fraction, self.max_usd)


@dataclass(frozen=True)
class CapitalCaps:
    """Caps per stage. Defaults: Incubation gets learning capital (0.5%, at most USD 25,000), Evaluation 2%
    (USD 250,000), Growth 10% (USD 2.5M), Maturity 25% (no USD cap), Retirement nothing."""

    incubation: StageCap = StageCap(0.005, 25_000.0)
    evaluation: StageCap = StageCap(0.02, 250_000.0)
    growth: StageCap = StageCap(0.10, 2_500_000.0)
    maturity: StageCap = StageCap(0.25)
    retirement: StageCap = StageCap(0.0, 0.0)

    def for_stage(self, stage: Stage) -> StageCap:
        """Return the cap of one stage."""
        cap: StageCap = getattr(self, stage.value)
        return cap

    def validate(self, path: str) -> None:
        """Raise InvalidArgument naming the first bad field below `path`."""
        for stage in Stage:
            cap = self.for_stage(stage)
            if not 0.0 <= cap.max_fraction <= 1.0:
                raise InvalidArgument(
                    f"{path}.{stage.value}.max_fraction", f"must be in [0, 1], got {cap.max_fraction}"
                )
            if cap.max_usd is not None and not (math.isfinite(cap.max_usd) and cap.max_usd >= 0):
                raise InvalidArgument(f"{path}.{stage.value}.max_usd", f"must be finite and >= 0, got {cap.max_usd}")


@dataclass(frozen=True)
class LifecyclePolicy:
    """Thresholds of the lifecycle; the module docstring explains each default."""

    to_evaluation: PromotionRule = PromotionRule(30, 0.90)
    to_growth: PromotionRule = PromotionRule(90, 0.95)
    to_maturity: PromotionRule = PromotionRule(180, 0.99)
    benchmark_sharpe_annualized: float = 0.0
    periods_per_year: int = sharpe.DAYS_PER_YEAR
    decay_window: int = 90
    decay_min_psr: float = 0.10
    retire_min_observations: int = 180
    retire_max_psr: float = 0.05
    incubation_max_days: int = 180
    cooldown_days: int = 7
    caps: CapitalCaps = CapitalCaps()

    def __post_init__(self) -> None:
        for name in ("to_evaluation", "to_growth", "to_maturity"):
            rule: PromotionRule = getattr(self, name)
            rule.validate(f"policy.{name}")
        if not math.isfinite(self.benchmark_sharpe_annualized):
            raise InvalidArgument("policy.benchmark_sharpe_annualized", "must be finite")
        for name in ("periods_per_year", "decay_window", "retire_min_observations", "incubation_max_days"):
            if getattr(self, name) < 2:
                raise InvalidArgument(f"policy.{name}", f"must be >= 2, got {getattr(self, name)}")
        if self.cooldown_days < 0:
            raise InvalidArgument("policy.cooldown_days", f"must be >= 0, got {self.cooldown_days}")
        for name in ("decay_min_psr", "retire_max_psr"):
            if not 0.0 <= getattr(self, name) < 1.0:
                raise InvalidArgument(f"policy.{name}", f"must be in [0, 1), got {getattr(self, name)}")
        self.caps.validate("policy.caps")

    @property
    def benchmark_sharpe(self) -> float:
        """The benchmark as a per-period Sharpe ratio."""
        return sharpe.per_period(self.benchmark_sharpe_annualized, self.periods_per_year)

    def rule_into(self, stage: Stage) -> PromotionRule | None:
        """Return the rule for promotion out of `stage`, or None at the top of the ladder or once retired."""
        return {
            Stage.INCUBATION: self.to_evaluation,
            Stage.EVALUATION: self.to_growth,
            Stage.GROWTH: self.to_maturity,
        }.get(stage)


def capital_cap_usd(stage: Stage, total_capital_usd: float, policy: LifecyclePolicy | None = None) -> float:
    """Return the most capital, in USD, the optimiser may allocate to a pod in `stage`."""
    if not (math.isfinite(total_capital_usd) and total_capital_usd >= 0):
        raise InvalidArgument("total_capital_usd", f"must be finite and >= 0, got {total_capital_usd}")
    return (policy or LifecyclePolicy()).caps.for_stage(stage).cap_usd(total_capital_usd)


@dataclass(frozen=True, eq=False)
class PodEvidence:
    """What one evaluation judges: residual daily returns (oldest first, missing days dropped) and flags.

    `trial_sharpe_variance` is V[SR_n], the variance of the per-period Sharpe ratios of the
    `trial_count` pods or variants tried; it matters only when `trial_count` > 1.
    """

    residual_returns: npt.ArrayLike
    trial_count: int = 1
    trial_sharpe_variance: float = 0.0
    fake_alpha: FakeAlphaVerdict | None = None
    execution: ExecutionReview | None = None


@dataclass(frozen=True)
class Metrics:
    """The numbers a decision rests on; Sharpe ratios are per period unless named annualised."""

    observation_count: int
    sharpe: float
    sharpe_annualized: float
    skewness: float
    kurtosis: float
    benchmark_sharpe: float
    trial_count: int
    psr: float
    plain_psr: float
    recent_psr: float | None
    min_trl: float | None
    fake_alpha: bool
    execution_flagged: bool

    @property
    def deflated(self) -> bool:
        """True when `psr` is the deflated Sharpe ratio (more than one trial)."""
        return self.trial_count > 1


@dataclass(frozen=True)
class Override:
    stage: Stage
    requested_by: str
    reason: str
    time: datetime
    expires_at: datetime | None

    def active(self, now: datetime) -> bool:
        """Return whether the override still holds at `now`."""
        return self.expires_at is None or now < self.expires_at


@dataclass(frozen=True)
class Transition:
    """One recorded event of a pod's life; `actor` is "lifecycle" for automatic moves, else the admin."""

    pod_id: str
    time: datetime
    kind: TransitionKind
    from_stage: Stage
    to_stage: Stage
    actor: str
    reason: str
    metrics: Metrics | None = None
    thresholds: tuple[tuple[str, float], ...] = ()
    expires_at: datetime | None = None


@dataclass(frozen=True)
class PodState:
    pod_id: str
    stage: Stage
    stage_since: datetime
    override: Override | None = None
    history: tuple[Transition, ...] = ()

    @classmethod
    def incubating(cls, pod_id: str, now: datetime) -> PodState:
        """Return the state of a newly admitted pod."""
        _aware("now", now)
        return cls(pod_id=pod_id, stage=Stage.INCUBATION, stage_since=now)


@dataclass(frozen=True)
class Decision:
    """An evaluation's outcome: the new state, what changed (empty: no change) and why."""

    state: PodState
    transitions: tuple[Transition, ...]
    metrics: Metrics | None
    reason: str

    @property
    def changed(self) -> bool:
        return bool(self.transitions)


def _aware(name: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidArgument(name, "must be timezone-aware")


def measure(evidence: PodEvidence, stage: Stage, policy: LifecyclePolicy | None = None) -> Metrics | None:
    """Return the metrics of the evidence, or None when the returns are too few or constant to judge."""
    policy = policy or LifecyclePolicy()
    returns = np.asarray(evidence.residual_returns, dtype=np.float64)
    if returns.ndim != 1 or not np.isfinite(returns).all():
        raise InvalidArgument("residual_returns", "must be a one-dimensional series of finite returns")
    if evidence.trial_count < 1:
        raise InvalidArgument("trial_count", f"must be >= 1, got {evidence.trial_count}")
    try:
        moments = sharpe.return_moments(returns, "residual_returns")
    except InvalidArgument:
        return None
    plain_benchmark = policy.benchmark_sharpe
    # SR0 assumes skill-less trials; against a non-zero benchmark the luck premium comes on top of it.
    benchmark = plain_benchmark + sharpe.expected_maximum_sharpe(evidence.trial_sharpe_variance, evidence.trial_count)

    def psr(against: float) -> float:
        return sharpe.probabilistic_sharpe_ratio(
            moments.sharpe, moments.observation_count, moments.skewness, moments.kurtosis, against
        )

    recent_psr = None
    if returns.size >= policy.decay_window:
        try:
            recent_psr = sharpe.psr_of_returns(returns[-policy.decay_window :], plain_benchmark)
        except InvalidArgument:
            recent_psr = None
    rule = policy.rule_into(stage)
    min_trl = None
    if rule is not None:
        min_trl = sharpe.minimum_track_record_length(
            moments.sharpe, moments.skewness, moments.kurtosis, benchmark, rule.min_psr
        )
    return Metrics(
        observation_count=moments.observation_count,
        sharpe=moments.sharpe,
        sharpe_annualized=sharpe.annualized(moments.sharpe, policy.periods_per_year),
        skewness=moments.skewness,
        kurtosis=moments.kurtosis,
        benchmark_sharpe=benchmark,
        trial_count=evidence.trial_count,
        psr=psr(benchmark),
        plain_psr=psr(plain_benchmark),
        recent_psr=recent_psr,
        min_trl=min_trl,
        fake_alpha=evidence.fake_alpha is not None and evidence.fake_alpha.flagged,
        execution_flagged=evidence.execution is not None and evidence.execution.rewrite_execution,
    )


@dataclass(frozen=True)
class _Move:
    to_stage: Stage
    kind: TransitionKind
    reason: str
    thresholds: tuple[tuple[str, float], ...]


def _step(stage: Stage, by: int) -> Stage:
    return _LADDER[min(max(_LADDER.index(stage) + by, 0), len(_LADDER) - 1)]


def _retirement(metrics: Metrics | None, evidence: PodEvidence, policy: LifecyclePolicy) -> _Move | None:
    if evidence.fake_alpha is not None and evidence.fake_alpha.flagged:
        return _Move(Stage.RETIREMENT, TransitionKind.RETIREMENT, f"fake alpha: {evidence.fake_alpha.reason}", ())
    if (
        metrics is not None
        and metrics.observation_count >= policy.retire_min_observations
        and metrics.plain_psr < policy.retire_max_psr
    ):
        return _Move(
            Stage.RETIREMENT,
            TransitionKind.RETIREMENT,
            f"alpha PSR {metrics.plain_psr:.3f} < {policy.retire_max_psr:g} over {metrics.observation_count} days: "
            "the residual Sharpe ratio is significantly below the benchmark",
            (("retire_min_observations", policy.retire_min_observations), ("retire_max_psr", policy.retire_max_psr)),
        )
    return None


def _incubation_expired(state: PodState, now: datetime, policy: LifecyclePolicy) -> _Move | None:
    if state.stage is not Stage.INCUBATION or now - state.stage_since < timedelta(days=policy.incubation_max_days):
        return None
    return _Move(
        Stage.RETIREMENT,
        TransitionKind.RETIREMENT,
        f"{(now - state.stage_since).days} days in incubation without earning promotion",
        (("incubation_max_days", policy.incubation_max_days),),
    )


def _demotion(state: PodState, metrics: Metrics | None, policy: LifecyclePolicy) -> _Move | None:
    if state.stage is Stage.INCUBATION or metrics is None:
        return None
    if metrics.execution_flagged:
        return _Move(
            _step(state.stage, -1),
            TransitionKind.DEMOTION,
            "execution review: rewrite the execution, not the alpha",
            (),
        )
    if metrics.recent_psr is not None and metrics.recent_psr < policy.decay_min_psr:
        return _Move(
            _step(state.stage, -1),
            TransitionKind.DEMOTION,
            f"alpha decayed: PSR {metrics.recent_psr:.3f} over the last {policy.decay_window} days "
            f"< {policy.decay_min_psr:g}",
            (("decay_window", policy.decay_window), ("decay_min_psr", policy.decay_min_psr)),
        )
    return None


def _promotion(state: PodState, metrics: Metrics | None, policy: LifecyclePolicy) -> tuple[_Move | None, str]:
    rule = policy.rule_into(state.stage)
    if rule is None:
        return None, f"{state.stage.value} is the top stage"
    if metrics is None:
        return None, "too few or constant residual returns to judge"
    if metrics.execution_flagged:
        return None, "not promoted while the execution review flags the pod"
    name = "DSR" if metrics.deflated else "PSR"
    progress = (
        f"{name} {metrics.psr:.3f} (needs {rule.min_psr:g}) over {metrics.observation_count} days "
        f"(needs {rule.min_observations}; MinTRL {metrics.min_trl:.0f})"
    )
    if metrics.observation_count < rule.min_observations or metrics.psr < rule.min_psr:
        return None, f"not yet: {progress}"
    return (
        _Move(
            _step(state.stage, +1),
            TransitionKind.PROMOTION,
            f"significant alpha: {progress}",
            (("min_observations", rule.min_observations), ("min_psr", rule.min_psr)),
        ),
        "",
    )


def evaluate(state: PodState, evidence: PodEvidence, now: datetime, policy: LifecyclePolicy | None = None) -> Decision:
    """Return the pod's next state from fresh evidence: at most one stage change, or no change with the reason."""
    policy = policy or LifecyclePolicy()
    _aware("now", now)
    if state.stage is Stage.RETIREMENT:
        return Decision(state, (), None, "retired: retirement is terminal")
    metrics = measure(evidence, state.stage, policy)
    events: list[Transition] = []
    if state.override is not None:
        held = state.override
        if held.active(now):
            return Decision(
                state,
                (),
                metrics,
                f"held at {held.stage.value} by {held.requested_by}'s override until "
                f"{held.expires_at.isoformat() if held.expires_at else 'lifted'}: {held.reason}",
            )
        expired = Transition(
            pod_id=state.pod_id,
            time=now,
            kind=TransitionKind.OVERRIDE_EXPIRED,
            from_stage=state.stage,
            to_stage=state.stage,
            actor=LIFECYCLE_ACTOR,
            reason=f"{held.requested_by}'s override expired; automatic evaluation resumes",
            metrics=metrics,
            expires_at=held.expires_at,
        )
        events.append(expired)
        state = replace(state, override=None, history=(*state.history, expired))

    move = _retirement(metrics, evidence, policy)
    reason = ""
    if move is None:
        if now - state.stage_since < timedelta(days=policy.cooldown_days):
            reason = f"cooling down: last stage change {state.stage_since.isoformat()}"
        else:
            move = _demotion(state, metrics, policy)
            if move is None:
                move, reason = _promotion(state, metrics, policy)
            # A pod that earns promotion on the day its incubation runs out has earned it.
            move = move or _incubation_expired(state, now, policy)
    if move is not None:
        transition = Transition(
            pod_id=state.pod_id,
            time=now,
            kind=move.kind,
            from_stage=state.stage,
            to_stage=move.to_stage,
            actor=LIFECYCLE_ACTOR,
            reason=move.reason,
            metrics=metrics,
            thresholds=move.thresholds,
        )
        events.append(transition)
        state = replace(state, stage=move.to_stage, stage_since=now, history=(*state.history, transition))
        reason = move.reason
    return Decision(state, tuple(events), metrics, reason)


def _who_and_why(requested_by: str, reason: str) -> None:
    if not requested_by.strip():
        raise InvalidArgument("requested_by", "must not be empty")
    if not reason.strip():
        raise InvalidArgument("reason", "must not be empty: an override must say why")


def force_stage(
    state: PodState,
    stage: Stage,
    requested_by: str,
    reason: str,
    now: datetime,
    expires_at: datetime | None = None,
) -> Decision:
    """Return the state with `stage` forced by an admin, held against evaluation until lifted or `expires_at`.

    Forcing Retirement retires the pod for good; a retired pod cannot be forced anywhere.
    """
    _aware("now", now)
    _who_and_why(requested_by, reason)
    if expires_at is not None:
        _aware("expires_at", expires_at)
        if expires_at <= now:
            raise InvalidArgument("expires_at", "must be after now")
    if state.stage is Stage.RETIREMENT:
        raise FailedPrecondition(f"pod {state.pod_id!r} is retired: retirement is terminal")
    transition = Transition(
        pod_id=state.pod_id,
        time=now,
        kind=TransitionKind.RETIREMENT if stage is Stage.RETIREMENT else TransitionKind.OVERRIDE,
        from_stage=state.stage,
        to_stage=stage,
        actor=requested_by,
        reason=reason,
        expires_at=expires_at,
    )
    override = None if stage is Stage.RETIREMENT else Override(stage, requested_by, reason, now, expires_at)
    new_state = replace(
        state,
        stage=stage,
        stage_since=now if stage is not state.stage else state.stage_since,
        override=override,
        history=(*state.history, transition),
    )
    return Decision(new_state, (transition,), None, reason)


def lift_override(state: PodState, requested_by: str, reason: str, now: datetime) -> Decision:
    """Return the state with its override lifted; the pod stays where it was forced and evaluation resumes."""
    _aware("now", now)
    _who_and_why(requested_by, reason)
    if state.override is None:
        raise FailedPrecondition(f"pod {state.pod_id!r} has no override to lift")
    transition = Transition(
        pod_id=state.pod_id,
        time=now,
        kind=TransitionKind.OVERRIDE_LIFTED,
        from_stage=state.stage,
        to_stage=state.stage,
        actor=requested_by,
        reason=reason,
        expires_at=state.override.expires_at,
    )
    return Decision(replace(state, override=None, history=(*state.history, transition)), (transition,), None, reason)
