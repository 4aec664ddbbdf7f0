"""Run the orchestrator as its own service, driving the others over gRPC with the admin token."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import grpc
from slipstream_api.v1 import (
    analytics_pb2,
    analytics_pb2_grpc,
    auditor_pb2,
    auditor_pb2_grpc,
    federation_pb2,
    optimizer_pb2,
    optimizer_pb2_grpc,
    orchestrator_pb2,
    orchestrator_pb2_grpc,
)

from slipstream.analytics.lifecycle import Stage
from slipstream.analytics.servicer import stage_from_pb, stage_to_pb
from slipstream.core.clock import Clock, SystemClock
from slipstream.core.errors import FailedPrecondition
from slipstream.core.model import HaltReason
from slipstream.federation.client import FederationClient
from slipstream.orchestrator.core import Orchestrator
from slipstream.orchestrator.servicer import OrchestratorServicer
from slipstream.orchestrator.store import OrchestratorStore
from slipstream.transport import addresses, auth, convert
from slipstream.transport.auth import resolve_admin_token
from slipstream.transport.server import RunningServer, Service, serve_until_signalled, start_server
from slipstream.transport.tls import ClientTls, ServerTls, open_channel

DEFAULT_LISTEN = addresses.ORCHESTRATOR
_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class OrchestratorSettings:
    data_dir: Path
    federation: str
    optimizer: str
    analytics: str | None = None
    auditor: str | None = None
    listen: str = DEFAULT_LISTEN
    admin_token: str | None = None
    auditor_tokens: dict[str, str] = field(default_factory=dict)  # independent risk: reads, runs audits
    viewer_tokens: dict[str, str] = field(default_factory=dict)  # dashboards: reads
    # Seconds between scheduled cycles; 0 runs cycles only on request.
    interval_s: float = 0.0
    tls: ServerTls | None = None  # serve TLS ([tls]); mutual TLS when it names a client CA
    client_tls: ClientTls | None = None  # dial the other services over TLS ([client_tls])


class GrpcDrivers:
    """The services a cycle drives, reached over gRPC; each answer becomes a line for the record."""

    def __init__(self, settings: OrchestratorSettings, token: str) -> None:
        self._metadata = auth.bearer_metadata(token)
        self._tls = settings.client_tls
        self.federation = FederationClient(settings.federation, token, tls=settings.client_tls)
        self._channels: list[grpc.Channel] = []
        self.optimizer = optimizer_pb2_grpc.OptimizerServiceStub(self._channel(settings.optimizer))
        self.analytics = (
            analytics_pb2_grpc.AnalyticsServiceStub(self._channel(settings.analytics)) if settings.analytics else None
        )
        self.auditor = (
            auditor_pb2_grpc.AuditorServiceStub(self._channel(settings.auditor)) if settings.auditor else None
        )

    def _channel(self, address: str) -> grpc.Channel:
        channel = open_channel(address, self._tls)
        self._channels.append(channel)
        return channel

    def close(self) -> None:
        self.federation.close()
        for channel in self._channels:
            channel.close()

    def registered_pods(self) -> list[str]:
        return [pod.pod_id for pod in self.federation.list_pods()]

    def poll(self) -> str:
        pods = self.federation.list_pods()
        reachable = sum(1 for p in pods if p.connectivity == federation_pb2.CONNECTIVITY_REACHABLE)
        return f"{len(pods)} pods registered, {reachable} reachable"

    def audit(self) -> str:
        if self.auditor is None:
            return "no auditor configured"
        report = self.auditor.RunAudit(
            auditor_pb2.RunAuditRequest(), metadata=self._metadata, timeout=_TIMEOUT_S
        ).report
        halted = f"; halt requested for {', '.join(report.halted_pod_ids)}" if report.halted_pod_ids else ""
        stale = f"; STALE: {report.stale_reason}" if report.stale else ""
        return f"{report.open_discrepancy_count} open discrepancies{halted}{stale}"

    def evaluate_lifecycles(self, requested_by: str) -> str:
        if self.analytics is None:
            return "no analytics configured"
        answer = self.analytics.EvaluateLifecycles(
            analytics_pb2.EvaluateLifecyclesRequest(requested_by=requested_by),
            metadata=self._metadata,
            timeout=_TIMEOUT_S,
        )
        moves = [
            f"{t.pod_id} {stage_from_pb(t.from_stage, 'from_stage').value}"
            f" -> {stage_from_pb(t.to_stage, 'to_stage').value}"
            for t in answer.transitions
        ]
        return f"{len(answer.lifecycles)} pods evaluated" + (f": {'; '.join(moves)}" if moves else ", no change")

    def allocate(self, apply: bool, pins: dict[str, tuple[float, str]], requested_by: str) -> tuple[int, str]:
        request = optimizer_pb2.RunCycleRequest(
            mode=optimizer_pb2.CYCLE_MODE_APPLY if apply else optimizer_pb2.CYCLE_MODE_OBSERVE,
            requested_by=requested_by,
            pins=[
                optimizer_pb2.CapitalPin(pod_id=pod, capital_usd=f"{usd:.2f}", reason=reason)
                for pod, (usd, reason) in sorted(pins.items())
            ],
        )
        allocation = self.optimizer.RunCycle(request, metadata=self._metadata, timeout=_TIMEOUT_S).allocation
        capital = ", ".join(f"{p.pod_id} {float(p.capital_usd):,.0f}" for p in allocation.pods)
        return allocation.cycle_id, f"optimizer cycle {allocation.cycle_id}: {capital} USD"

    def force_stage(self, pod_id: str, stage: str, requested_by: str, reason: str, expire: datetime | None) -> None:
        if self.analytics is None:
            raise _unconfigured("analytics")
        request = analytics_pb2.OverrideLifecycleStageRequest(
            pod_id=pod_id,
            stage=stage_to_pb(Stage(stage)),
            requested_by=requested_by,
            reason=reason,
        )
        if expire is not None:
            request.expire_time.CopyFrom(convert.timestamp_to_pb(expire))
        self.analytics.OverrideLifecycleStage(request, metadata=self._metadata, timeout=_TIMEOUT_S)

    def lift_stage(self, pod_id: str, requested_by: str, reason: str) -> None:
        if self.analytics is None:
            raise _unconfigured("analytics")
        request = analytics_pb2.LiftLifecycleOverrideRequest(pod_id=pod_id, requested_by=requested_by, reason=reason)
        self.analytics.LiftLifecycleOverride(request, metadata=self._metadata, timeout=_TIMEOUT_S)

    def halt(self, pod_id: str, halt_reason: HaltReason, requested_by: str, reason: str) -> None:
        self.federation.halt(pod_id, halt_reason, requested_by, note=reason)

    def resume(self, pod_id: str, requested_by: str, reason: str) -> None:
        self.federation.resume(pod_id, requested_by, note=reason)


def _unconfigured(service: str) -> FailedPrecondition:
    return FailedPrecondition(f"no {service} service is configured for the orchestrator")


@dataclass
class RunningOrchestrator:
    orchestrator: Orchestrator
    server: RunningServer
    drivers: GrpcDrivers
    _stop: asyncio.Event
    _schedule: asyncio.Task[None] | None

    @property
    def address(self) -> str:
        return self.server.address

    async def stop(self) -> None:
        self._stop.set()
        if self._schedule is not None:
            with contextlib.suppress(Exception):
                await self._schedule
        await self.server.stop(1.0)
        self.drivers.close()
        self.orchestrator.store.close()


async def start_orchestrator(settings: OrchestratorSettings, clock: Clock | None = None) -> RunningOrchestrator:
    token = resolve_admin_token(settings.admin_token, settings.data_dir)
    drivers = GrpcDrivers(settings, token)
    orchestrator = Orchestrator(drivers, OrchestratorStore(settings.data_dir), clock or SystemClock())
    service = Service(
        OrchestratorServicer(orchestrator),
        orchestrator_pb2_grpc.add_OrchestratorServiceServicer_to_server,
        orchestrator_pb2.DESCRIPTOR.services_by_name["OrchestratorService"].full_name,
    )
    tokens = auth.Tokens(token, auditors=settings.auditor_tokens, viewers=settings.viewer_tokens)
    server = await start_server([service], settings.listen, tls=settings.tls, tokens=tokens)
    stop = asyncio.Event()
    schedule = asyncio.create_task(orchestrator.run_every(settings.interval_s, stop)) if settings.interval_s else None
    return RunningOrchestrator(orchestrator, server, drivers, stop, schedule)


async def serve(settings: OrchestratorSettings) -> None:
    """Serve until SIGINT or SIGTERM."""
    running = await start_orchestrator(settings)
    host = settings.listen.rpartition(":")[0]
    banner = f"orchestrator listening on {host}:{running.server.port} (data in {settings.data_dir})"
    await serve_until_signalled(running, banner)
