"""AuditorService over the Auditor core."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from decimal import Decimal

import grpc
from slipstream_api.v1 import auditor_pb2 as pb
from slipstream_api.v1 import auditor_pb2_grpc as pb_grpc

from slipstream.auditor.core import Auditor, AuditReport, Exposure
from slipstream.auditor.reconcile import Kind, Severity
from slipstream.auditor.tracker import Discrepancy
from slipstream.core.decimals import format_decimal
from slipstream.core.errors import FailedPrecondition, InvalidArgument, NotFound
from slipstream.transport import convert
from slipstream.transport.errors import rpc_method, rpc_stream

_KIND = {kind: getattr(pb, f"DISCREPANCY_KIND_{kind.name}") for kind in Kind}
_SEVERITY = {
    Severity.INFO: pb.SEVERITY_INFO,
    Severity.WARNING: pb.SEVERITY_WARNING,
    Severity.CRITICAL: pb.SEVERITY_CRITICAL,
}
_ALERT = {
    "opened": pb.ALERT_KIND_OPENED,
    "escalated": pb.ALERT_KIND_ESCALATED,
    "resolved": pb.ALERT_KIND_RESOLVED,
    "audit_stale": pb.ALERT_KIND_AUDIT_STALE,
}


def report_to_pb(report: AuditReport) -> pb.AuditReport:
    return pb.AuditReport(
        audit_time=convert.timestamp_to_pb(report.audit_time),
        stale=report.stale,
        stale_reason=report.stale_reason,
        open_discrepancy_count=report.open_count,
        halted_pod_ids=list(report.halted),
        duration_seconds=report.duration_s,
    )


def discrepancy_to_pb(discrepancy: Discrepancy) -> pb.Discrepancy:
    finding = discrepancy.finding
    return pb.Discrepancy(
        discrepancy_id=finding.key,
        kind=_KIND[finding.kind],
        account=finding.account,
        pod_id=finding.pod_id,
        symbol=finding.symbol,
        expected_quantity=format_decimal(finding.expected),
        observed_quantity=format_decimal(finding.observed),
        difference_usd=format_decimal(finding.difference_usd),
        severity=_SEVERITY[discrepancy.severity],
        consecutive_audit_count=discrepancy.consecutive,
        first_seen_time=convert.timestamp_to_pb(discrepancy.first_seen),
        last_seen_time=convert.timestamp_to_pb(discrepancy.last_seen),
        resolved=discrepancy.resolved,
        halt_requested=discrepancy.halt_requested,
    )


def _exposures(positions: Mapping[str, Decimal], exposure: Exposure) -> list[pb.SymbolExposure]:
    result = []
    for symbol, quantity in sorted(positions.items()):
        notional = quantity * exposure.prices.get(symbol, Decimal(0))
        result.append(
            pb.SymbolExposure(
                symbol=symbol,
                quantity=format_decimal(quantity),
                net_notional_usd=format_decimal(notional),
                gross_notional_usd=format_decimal(abs(notional)),
                beta_to_btc=exposure.betas.get(symbol, 1.0),
            )
        )
    return result


class AuditorServicer(pb_grpc.AuditorServiceServicer):
    def __init__(self, auditor: Auditor) -> None:
        self._auditor = auditor

    def _exposure(self) -> Exposure:
        if self._auditor.exposure is None:
            raise FailedPrecondition("no audit has run yet")
        return self._auditor.exposure

    def _pod_exposure(self, exposure: Exposure, pod_id: str) -> pb.PodExposure:
        pod = next((p for p in exposure.pods if p.pod_id == pod_id), None)
        if pod is None:
            raise NotFound(f"the auditor does not know pod {pod_id!r}")
        return pb.PodExposure(
            pod_id=pod.pod_id,
            account=pod.account,
            reported=_exposures(pod.positions, exposure),
            booked=_exposures(pod.booked, exposure),
            report_time=convert.timestamp_to_pb(pod.report_time),
        )

    @rpc_method
    async def GetExposure(
        self, request: pb.GetExposureRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetExposureResponse:
        exposure = self._exposure()
        return pb.GetExposureResponse(
            assets=_exposures(exposure.assets(), exposure),
            accounts=[
                pb.AccountExposure(
                    account=account,
                    positions=_exposures(positions, exposure),
                    fresh=exposure.fresh.get(account, False),
                    read_time=convert.timestamp_to_pb(exposure.report.audit_time),
                )
                for account, positions in sorted(exposure.accounts.items())
            ],
            pods=[self._pod_exposure(exposure, pod.pod_id) for pod in exposure.pods],
            btc_beta_adjusted_usd=format_decimal(exposure.btc_beta_adjusted_usd()),
            report=report_to_pb(exposure.report),
        )

    @rpc_method
    async def GetPodExposure(
        self, request: pb.GetPodExposureRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetPodExposureResponse:
        exposure = self._pod_exposure(self._exposure(), request.pod_id)
        return pb.GetPodExposureResponse(
            exposure=exposure,
            discrepancies=[
                discrepancy_to_pb(d) for d in self._auditor.open_discrepancies() if d.finding.pod_id == request.pod_id
            ],
        )

    @rpc_method
    async def ListDiscrepancies(
        self, request: pb.ListDiscrepanciesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListDiscrepanciesResponse:
        if not 0 <= request.max_count <= 100_000:
            raise InvalidArgument("max_count", "must be between 0 and 100000")
        limit = request.max_count or 1000
        found = self._auditor.open_discrepancies()
        if request.include_resolved:
            found += [d for change, d in self._auditor.store.history(limit) if change == "resolved"]
        return pb.ListDiscrepanciesResponse(discrepancies=[discrepancy_to_pb(d) for d in found[:limit]])

    @rpc_stream
    async def StreamAlerts(
        self, request: pb.StreamAlertsRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[pb.StreamAlertsResponse]:
        async for kind, discrepancy, report in self._auditor.alerts():
            message = pb.StreamAlertsResponse(kind=_ALERT[kind], report=report_to_pb(report))
            if discrepancy is not None:
                message.discrepancy.CopyFrom(discrepancy_to_pb(discrepancy))
            yield message

    @rpc_method
    async def RunAudit(self, request: pb.RunAuditRequest, context: grpc.aio.ServicerContext) -> pb.RunAuditResponse:
        return pb.RunAuditResponse(report=report_to_pb(await self._auditor.run_audit()))
