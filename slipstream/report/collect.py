"""Gather a `ReportData` from the running services over gRPC, with the admin token.

The federation is required: it names the pods and holds their equity. The optimizer, analytics and
the auditor are optional. One not given, or failing, leaves its charts empty with a note saying why
(`ReportData.missing`) and the rest of the report is still written: a report is most wanted when
something is wrong. Expected gaps are notes too: too short a history for a covariance or a residual
fit (FAILED_PRECONDITION), a symbol the lake has no history of (NOT_FOUND).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TypeVar

import grpc
import numpy as np
import pandas as pd
from slipstream_api.v1 import (
    analytics_pb2,
    analytics_pb2_grpc,
    auditor_pb2,
    auditor_pb2_grpc,
    common_pb2,
    federation_pb2,
    optimizer_pb2,
    optimizer_pb2_grpc,
)

from slipstream.federation.client import FederationClient
from slipstream.report import model
from slipstream.transport import auth, convert
from slipstream.transport.errors import describe_rpc_error
from slipstream.transport.tls import ClientTls, open_channel

T = TypeVar("T")
Metadata = tuple[tuple[str, str], ...]

OPTIMIZER_CHARTS = ("allocation", "correlation", "slippage")
ANALYTICS_CHARTS = ("attribution", "shortfall", "grades", "fills", "lifecycle")


@dataclass(frozen=True)
class Sources:
    """Where the services listen ("host:port"); None leaves a service out."""

    federation: str
    token: str
    optimizer: str | None = None
    analytics: str | None = None
    auditor: str | None = None
    timeout_s: float = 30.0
    # Newest snapshots per pod for its equity curve (the federation answers at most 100,000).
    snapshot_count: int = 10_000
    # Newest allocation cycles for the allocation chart (the optimizer answers at most 10,000).
    cycle_count: int = 1_000
    tls: ClientTls | None = None  # how every service is dialled; None: plaintext


@dataclass(frozen=True)
class _OptimizerPart:
    allocations: pd.DataFrame = field(default_factory=pd.DataFrame)
    correlation: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    correlation_labels: tuple[str, ...] = ()
    slippage: tuple[model.SlippageCurve, ...] = ()


@dataclass(frozen=True)
class _AnalyticsPart:
    attribution: tuple[model.PodAttribution, ...] = ()
    shortfall: tuple[model.PodShortfall, ...] = ()
    shortfall_review_bps: float | None = None
    fill_mix: tuple[model.PodFillMix, ...] = ()
    lifecycle: tuple[model.LifecycleSpan, ...] = ()


def collect(
    sources: Sources,
    title: str = "Slipstream federation report",
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> model.ReportData:
    """Read every service once and return what the report shows; raise grpc.RpcError only when the
    federation cannot be read."""
    missing: dict[str, str] = {}
    with FederationClient(sources.federation, sources.token, sources.timeout_s, sources.tls) as federation:
        pods = federation.list_pods()
        equity = {pod.pod_id: nav_series(federation.snapshots(pod.pod_id, sources.snapshot_count)) for pod in pods}
    equity = {pod_id: series for pod_id, series in equity.items() if len(series)}
    if not equity:
        missing["equity"] = "no pod has reported a status to the federation yet"
    metadata = auth.bearer_metadata(sources.token)

    optimizer = _optional(
        "optimizer",
        sources.optimizer,
        sources.tls,
        OPTIMIZER_CHARTS,
        missing,
        _OptimizerPart(),
        lambda channel: _from_optimizer(channel, metadata, pods, sources, missing),
    )
    analytics = _optional(
        "analytics",
        sources.analytics,
        sources.tls,
        ANALYTICS_CHARTS,
        missing,
        _AnalyticsPart(),
        lambda channel: _from_analytics(channel, metadata, pods, sources.timeout_s, missing),
    )
    alerts = pod_alerts(pods)
    if sources.auditor is not None:
        try:
            with open_channel(sources.auditor, sources.tls) as channel:
                stub = auditor_pb2_grpc.AuditorServiceStub(channel)
                request = auditor_pb2.ListDiscrepanciesRequest()
                found = stub.ListDiscrepancies(request, metadata=metadata, timeout=sources.timeout_s).discrepancies
            alerts += [discrepancy_alert(d) for d in found]
        except grpc.RpcError as error:
            # No chart depends on the auditor; its silence is itself worth a row.
            text = f"auditor at {sources.auditor} not read: {describe_rpc_error(error)}"
            alerts.append(model.AlertRow(None, "report", "", "warning", text))
    addresses = {
        "federation": sources.federation,
        "optimizer": sources.optimizer,
        "analytics": sources.analytics,
        "auditor": sources.auditor,
    }
    given = [f"{name} {address}" for name, address in addresses.items() if address]
    return model.ReportData(
        title=title,
        subtitle="from " + ", ".join(given),
        generated_at=clock(),
        equity=equity,
        allocations=optimizer.allocations,
        correlation=optimizer.correlation,
        correlation_labels=optimizer.correlation_labels,
        attribution=analytics.attribution,
        shortfall=analytics.shortfall,
        shortfall_review_bps=analytics.shortfall_review_bps,
        fill_mix=analytics.fill_mix,
        slippage=optimizer.slippage,
        lifecycle=analytics.lifecycle,
        alerts=tuple(sorted(alerts, key=_newest_first)),
        missing=missing,
    )


def _optional(
    name: str,
    address: str | None,
    tls: ClientTls | None,
    charts: Sequence[str],
    missing: dict[str, str],
    empty: T,
    read: Callable[[grpc.Channel], T],
) -> T:
    """Read one optional service; not given or failing, return `empty` and say why for each chart."""
    if address is None:
        missing.update(dict.fromkeys(charts, f"no {name} address given"))
        return empty
    try:
        with open_channel(address, tls) as channel:
            return read(channel)
    except grpc.RpcError as error:
        missing.update(dict.fromkeys(charts, f"{name} at {address} not read: {describe_rpc_error(error)}"))
        return empty


def _expected(error: grpc.RpcError, *codes: grpc.StatusCode) -> bool:
    return error.code() in codes  # type: ignore[attr-defined, no-any-return]


# ------------------------------------------------------------------------------------------------ federation


def nav_series(snapshots: Sequence[federation_pb2.PodSnapshot]) -> pd.Series:
    """NAV USD by observation time from the federation's snapshots (oldest first)."""
    times = pd.DatetimeIndex([convert.timestamp_from_pb(s.observe_time) for s in snapshots], tz="UTC")
    values = [float(s.nav_usd) if s.nav_usd else np.nan for s in snapshots]
    return pd.Series(values, index=times, dtype=float).dropna()


def pod_alerts(pods: Iterable[federation_pb2.Pod]) -> list[model.AlertRow]:
    """Halted and unreachable pods, as the federation sees them."""
    rows = []
    for pod in pods:
        if pod.desired_trading_state == common_pb2.TRADING_STATE_HALTED:
            halt = pod.last_status.halt if pod.last_status.HasField("halt") else None
            if halt is None:
                rows.append(model.AlertRow(None, "federation", pod.pod_id, "critical", "halt requested, not confirmed"))
            else:
                reason = _label(common_pb2.HaltReason, halt.reason, "HALT_REASON_")
                note = f": {halt.note}" if halt.note else ""
                text = f"halted ({reason}) by {halt.requested_by}{note}"
                when = convert.timestamp_from_pb(halt.halt_time) if halt.HasField("halt_time") else None
                rows.append(model.AlertRow(when, "federation", pod.pod_id, "critical", text))
        if pod.connectivity == federation_pb2.CONNECTIVITY_UNREACHABLE:
            text = f"unreachable: {pod.missed_poll_count} polls missed in a row"
            rows.append(model.AlertRow(None, "federation", pod.pod_id, "warning", text))
    return rows


def discrepancy_alert(d: auditor_pb2.Discrepancy) -> model.AlertRow:
    kind = _label(auditor_pb2.DiscrepancyKind, d.kind, "DISCREPANCY_KIND_").replace("_", " ")
    what = f"{kind} {d.symbol}".strip()
    text = (
        f"{what} on {d.account}: expected {d.expected_quantity}, observed {d.observed_quantity} "
        f"({d.difference_usd} USD), {d.consecutive_audit_count} audits"
        + (", halt requested" if d.halt_requested else "")
    )
    when = convert.timestamp_from_pb(d.last_seen_time) if d.HasField("last_seen_time") else None
    severity = _label(auditor_pb2.Severity, d.severity, "SEVERITY_")
    return model.AlertRow(when, "auditor", d.pod_id, severity, text)


def _newest_first(row: model.AlertRow) -> tuple[bool, float]:
    # Rows without a time (states rather than events) lead: they are current.
    return (row.time is not None, -row.time.timestamp() if row.time else 0.0)


def _label(enum_type: object, value: int, prefix: str) -> str:
    return str(enum_type.Name(value)).removeprefix(prefix).lower()  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------------- optimizer


def _from_optimizer(
    channel: grpc.Channel,
    metadata: Metadata,
    pods: Sequence[federation_pb2.Pod],
    sources: Sources,
    missing: dict[str, str],
) -> _OptimizerPart:
    stub = optimizer_pb2_grpc.OptimizerServiceStub(channel)
    timeout = sources.timeout_s
    cycles = stub.ListAllocations(
        optimizer_pb2.ListAllocationsRequest(max_count=sources.cycle_count), metadata=metadata, timeout=timeout
    ).allocations
    allocations = allocation_table(cycles)
    if allocations.empty:
        missing["allocation"] = f"the optimizer has recorded no applied cycle ({len(cycles)} observe-only)"

    labels: tuple[str, ...] = ()
    correlation = np.zeros((0, 0))
    try:
        covariance = stub.GetCovariance(optimizer_pb2.GetCovarianceRequest(), metadata=metadata, timeout=timeout)
        labels = tuple(covariance.pod_ids)
        correlation = np.asarray(covariance.correlation, dtype=float).reshape(len(labels), len(labels))
    except grpc.RpcError as error:
        if not _expected(error, grpc.StatusCode.FAILED_PRECONDITION):
            raise
        missing["correlation"] = f"too little history for a covariance ({describe_rpc_error(error)})"

    curves = []
    symbols = traded_symbols(pods, cycles[0] if cycles else None)
    for symbol in symbols:
        try:
            answer = stub.GetCapacity(
                optimizer_pb2.GetCapacityRequest(symbol=symbol), metadata=metadata, timeout=timeout
            )
        except grpc.RpcError as error:
            if not _expected(error, grpc.StatusCode.NOT_FOUND):
                raise
            continue
        points = tuple((p.order_notional_usd, p.expected_slippage_bps) for p in answer.surface)
        curves.append(model.SlippageCurve(symbol, points, answer.capacity_usd, answer.impact_budget_bps))
    if not curves:
        known = ", ".join(symbols) or "none"
        missing["slippage"] = f"the data lake has no daily history of the symbols the pods trade ({known})"
    return _OptimizerPart(allocations, correlation, labels, tuple(curves))


def allocation_table(cycles: Sequence[optimizer_pb2.Allocation]) -> pd.DataFrame:
    """Capital per pod by cycle time, from applied cycles only: an observed cycle granted nothing."""
    applied = sorted(
        (c for c in cycles if c.mode == optimizer_pb2.CYCLE_MODE_APPLY), key=lambda c: c.cycle_time.ToNanoseconds()
    )
    if not applied:
        return pd.DataFrame()
    index = pd.DatetimeIndex([convert.timestamp_from_pb(c.cycle_time) for c in applied], tz="UTC", name="cycle_time")
    rows = [{pod.pod_id: float(pod.capital_usd or 0) for pod in c.pods} for c in applied]
    return pd.DataFrame(rows, index=index).fillna(0.0)


def traded_symbols(pods: Iterable[federation_pb2.Pod], latest: optimizer_pb2.Allocation | None) -> list[str]:
    """The symbols the pods trade: in their limits, their positions, and the optimizer's latest caps."""
    symbols = set()
    for pod in pods:
        symbols |= {limit.symbol for limit in pod.desired_config.limits.symbol_limits}
        symbols |= {position.symbol for position in pod.last_status.positions}
    if latest is not None:
        symbols |= {limit.symbol for pod in latest.pods for limit in pod.limits.symbol_limits}
    return sorted(symbols)


# ------------------------------------------------------------------------------------------------- analytics


def _from_analytics(
    channel: grpc.Channel,
    metadata: Metadata,
    pods: Sequence[federation_pb2.Pod],
    timeout: float,
    missing: dict[str, str],
) -> _AnalyticsPart:
    stub = analytics_pb2_grpc.AnalyticsServiceStub(channel)

    def per_pod(call: Callable[[str], T], *skip: grpc.StatusCode) -> dict[str, T]:
        """Each pod's answer; a pod the service answers `skip` for (unknown, too short) is left out."""
        answers: dict[str, T] = {}
        for pod in pods:
            try:
                answers[pod.pod_id] = call(pod.pod_id)
            except grpc.RpcError as error:
                if not _expected(error, grpc.StatusCode.NOT_FOUND, *skip):
                    raise
        return answers

    shortfalls = per_pod(
        lambda pod_id: stub.GetShortfallReport(
            analytics_pb2.GetShortfallReportRequest(pod_id=pod_id), metadata=metadata, timeout=timeout
        )
    )
    mixes = per_pod(
        lambda pod_id: stub.GetFillRatioReport(
            analytics_pb2.GetFillRatioReportRequest(pod_id=pod_id), metadata=metadata, timeout=timeout
        )
    )
    residuals = per_pod(
        lambda pod_id: stub.GetResidualReport(
            analytics_pb2.GetResidualReportRequest(pod_id=pod_id), metadata=metadata, timeout=timeout
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    states = stub.ListLifecycles(analytics_pb2.ListLifecyclesRequest(), metadata=metadata, timeout=timeout).lifecycles
    registered = {p.pod_id: convert.timestamp_from_pb(p.register_time) for p in pods if p.HasField("register_time")}
    spans: list[model.LifecycleSpan] = []
    for state in states:
        history = stub.GetLifecycleHistory(
            analytics_pb2.GetLifecycleHistoryRequest(pod_id=state.pod_id), metadata=metadata, timeout=timeout
        ).transitions
        spans += lifecycle_spans(state, history, registered.get(state.pod_id))

    shortfall = tuple(pod_shortfall(r) for r in shortfalls.values() if r.total.order_count)
    fill_mix = tuple(pod_fill_mix(r) for r in mixes.values() if r.total.fill_count)
    attribution = tuple(
        model.PodAttribution(r.pod_id, r.alpha_pnl_usd, r.beta_pnl_usd, r.fake_alpha) for r in residuals.values()
    )
    if not shortfall:
        missing["shortfall"] = missing["grades"] = "no pod has an order at the gateway yet"
    if not fill_mix:
        missing["fills"] = "no pod has a fill at the gateway yet"
    if not attribution:
        missing["attribution"] = "no pod has the daily history a residual-return fit needs"
    if not spans:
        missing["lifecycle"] = "analytics has not seen a pod yet"
    review = next((r.review_threshold_bps for r in shortfalls.values()), None)
    return _AnalyticsPart(attribution, shortfall, review, fill_mix, tuple(spans))


def pod_shortfall(report: analytics_pb2.GetShortfallReportResponse) -> model.PodShortfall:
    grades = {
        _label(analytics_pb2.ExecutionQuality, q.quality, "EXECUTION_QUALITY_"): q.order_count
        for q in report.qualities
        if q.order_count
    }
    total = report.total
    return model.PodShortfall(
        report.pod_id, total.total_cost_bps, total.total_cost_usd, grades, report.rewrite_execution
    )


def pod_fill_mix(report: analytics_pb2.GetFillRatioReportResponse) -> model.PodFillMix:
    total = report.total
    notional = total.maker_notional_usd + total.taker_notional_usd
    return model.PodFillMix(
        pod_id=report.pod_id,
        maker_share=total.maker_notional_usd / notional if notional else 0.0,
        taker_share=total.taker_notional_usd / notional if notional else 0.0,
        declared_intent=_label(common_pb2.ExecutionIntent, report.declared_intent, "EXECUTION_INTENT_"),
        process_failure=report.process_failure,
        fill_count=total.fill_count,
        notional_usd=notional,
    )


def lifecycle_spans(
    state: analytics_pb2.PodLifecycle,
    transitions: Sequence[analytics_pb2.LifecycleTransition],
    registered: datetime | None,
) -> list[model.LifecycleSpan]:
    """A pod's stages as spans: one per transition, until the next; the stage before the first
    transition from the pod's registration (the service records no transition into incubation)."""

    def stage(value: int) -> str:
        return _label(common_pb2.LifecycleStage, value, "LIFECYCLE_STAGE_")

    pod_id = state.pod_id
    if not transitions:
        since = convert.timestamp_from_pb(state.stage_time)
        return [model.LifecycleSpan(pod_id, stage(state.stage), since, None, state.last_reason)]
    times = [convert.timestamp_from_pb(t.transition_time) for t in transitions]
    spans = []
    if registered is not None and registered < times[0]:
        reason = "from registration to the first recorded transition"
        spans.append(model.LifecycleSpan(pod_id, stage(transitions[0].from_stage), registered, times[0], reason))
    for i, transition in enumerate(transitions):
        kind = _label(analytics_pb2.LifecycleTransitionKind, transition.kind, "LIFECYCLE_TRANSITION_KIND_")
        reason = f"{kind.replace('_', ' ')} by {transition.actor}: {transition.reason}"
        end = times[i + 1] if i + 1 < len(times) else None
        spans.append(model.LifecycleSpan(pod_id, stage(transition.to_stage), times[i], end, reason))
    return spans
