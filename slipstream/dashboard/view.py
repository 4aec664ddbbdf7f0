"""Read every service once and lay the federation out on one screen (rich).

Only the federation is required; each other service adds its panel when its address is given
and it answers, and says why when it does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import grpc
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from slipstream_api.v1 import (
    analytics_pb2,
    analytics_pb2_grpc,
    auditor_pb2,
    auditor_pb2_grpc,
    common_pb2,
    federation_pb2,
    optimizer_pb2,
    optimizer_pb2_grpc,
    orchestrator_pb2,
    orchestrator_pb2_grpc,
)

from slipstream.cli.render import enum_label, usd
from slipstream.federation.client import FederationClient
from slipstream.transport import auth
from slipstream.transport.errors import describe_rpc_error
from slipstream.transport.tls import ClientTls, open_channel

T = TypeVar("T")


@dataclass(frozen=True)
class DashboardSources:
    federation: str
    token: str
    optimizer: str | None = None
    analytics: str | None = None
    auditor: str | None = None
    orchestrator: str | None = None
    tls: ClientTls | None = None  # how every service is dialled; None: plaintext


@dataclass(frozen=True)
class DashboardData:
    pods: list[federation_pb2.Pod]
    lifecycles: dict[str, analytics_pb2.PodLifecycle]
    allocation: optimizer_pb2.Allocation | None
    exposure: auditor_pb2.GetExposureResponse | None
    discrepancies: list[auditor_pb2.Discrepancy]
    cycle: orchestrator_pb2.FederationCycle | None
    notes: list[str]


def collect(sources: DashboardSources) -> DashboardData:
    metadata = auth.bearer_metadata(sources.token)
    notes: list[str] = []
    channels: dict[str, grpc.Channel] = {}

    def read(name: str, address: str | None, call: Callable[[grpc.Channel], T]) -> T | None:
        if not address:
            return None
        channel = channels.get(address)
        if channel is None:
            channel = channels[address] = open_channel(address, sources.tls)
        try:
            return call(channel)
        except grpc.RpcError as error:
            notes.append(f"{name} at {address}: {describe_rpc_error(error)}")
            return None

    with FederationClient(sources.federation, sources.token, tls=sources.tls) as federation:
        pods = federation.list_pods()
    lifecycles = read(
        "analytics",
        sources.analytics,
        lambda c: (
            analytics_pb2_grpc.AnalyticsServiceStub(c)
            .ListLifecycles(analytics_pb2.ListLifecyclesRequest(), metadata=metadata, timeout=10)
            .lifecycles
        ),
    )
    allocation = read(
        "optimizer",
        sources.optimizer,
        lambda c: (
            optimizer_pb2_grpc.OptimizerServiceStub(c)
            .GetAllocation(optimizer_pb2.GetAllocationRequest(), metadata=metadata, timeout=10)
            .allocation
        ),
    )
    exposure = read(
        "auditor",
        sources.auditor,
        lambda c: auditor_pb2_grpc.AuditorServiceStub(c).GetExposure(
            auditor_pb2.GetExposureRequest(), metadata=metadata, timeout=10
        ),
    )
    discrepancies = read(
        "auditor discrepancies",
        sources.auditor,
        lambda c: (
            auditor_pb2_grpc.AuditorServiceStub(c)
            .ListDiscrepancies(auditor_pb2.ListDiscrepanciesRequest(), metadata=metadata, timeout=10)
            .discrepancies
        ),
    )
    cycles = read(
        "orchestrator",
        sources.orchestrator,
        lambda c: (
            orchestrator_pb2_grpc.OrchestratorServiceStub(c)
            .ListFederationCycles(
                orchestrator_pb2.ListFederationCyclesRequest(max_count=1), metadata=metadata, timeout=10
            )
            .cycles
        ),
    )
    for channel in channels.values():
        channel.close()
    return DashboardData(
        pods=pods,
        lifecycles={state.pod_id: state for state in lifecycles or []},
        allocation=allocation,
        exposure=exposure,
        discrepancies=list(discrepancies or []),
        cycle=cycles[0] if cycles else None,
        notes=notes,
    )


def _stage(stage: int) -> str:
    return enum_label(common_pb2.LifecycleStage, stage, "LIFECYCLE_STAGE_").lower()


def render(data: DashboardData, title: str = "Slipstream federation") -> RenderableType:
    allocated = {p.pod_id: p for p in data.allocation.pods} if data.allocation else {}
    pods = Table(title="Pods", title_justify="left", expand=True)
    for column in ("pod", "state", "health", "stage", "capital USD", "weight", "NAV USD", "gross USD", "why"):
        pods.add_column(column, justify="right" if "USD" in column or column == "weight" else "left")
    for pod in data.pods:
        status = pod.last_status
        state = enum_label(common_pb2.TradingState, status.trading_state, "TRADING_STATE_").lower()
        if status.trading_state == common_pb2.TRADING_STATE_HALTED:
            state = f"[bold red]halted[/]: {status.halt.note[:40]}"
        lifecycle = data.lifecycles.get(pod.pod_id)
        stage = _stage(lifecycle.stage) if lifecycle else "-"
        if stage == "retirement":
            stage = "[bold red]retired[/]"
        allocation = allocated.get(pod.pod_id)
        # What bound the pod last: its halt or lifecycle verdict when it is out, else the allocation's
        # last binding rule (the first one only names the method's weight).
        if status.trading_state == common_pb2.TRADING_STATE_HALTED or stage.endswith("retired[/]"):
            why = lifecycle.last_reason if lifecycle else status.halt.note
        else:
            why = allocation.reasons[-1] if allocation and allocation.reasons else ""
        pods.add_row(
            pod.pod_id,
            state,
            enum_label(common_pb2.Health, pod.health, "HEALTH_").lower(),
            stage,
            usd(allocation.capital_usd) if allocation else usd(status.config.limits.capital_allocation_usd),
            f"{allocation.weight:.1%}" if allocation else "-",
            usd(status.nav_usd),
            usd(status.gross_exposure_usd),
            why[:90],
        )
    parts: list[RenderableType] = [pods]
    if data.allocation is not None:
        a, s = data.allocation, data.allocation.stress
        parts.append(
            f"allocation: cycle {a.cycle_id} at {a.cycle_time.ToDatetime():%Y-%m-%d}, {usd(a.total_capital_usd)} USD,"
            f" effective bets {a.effective_number_of_bets:.2f}, BTC correlation at caps {s.btc_correlation:.2f}"
            f" (limit {s.btc_correlation_limit:.2f}), risk overlay x{s.overlay_multiplier:.2f}"
        )
    if data.exposure is not None:
        assets = ", ".join(f"{x.symbol} {usd(x.net_notional_usd)}" for x in data.exposure.assets) or "none"
        parts.append(
            f"exposure (exchange truth): {assets}; BTC-beta-adjusted {usd(data.exposure.btc_beta_adjusted_usd)} USD"
        )
    alerts = Table(title="Alerts: open discrepancies", title_justify="left", expand=True)
    for column in ("pod", "kind", "symbol", "USD", "audits", "halt"):
        alerts.add_column(column)
    for d in data.discrepancies:
        alerts.add_row(
            d.pod_id or d.account,
            enum_label(auditor_pb2.DiscrepancyKind, d.kind, "DISCREPANCY_KIND_").lower(),
            d.symbol,
            usd(d.difference_usd),
            str(d.consecutive_audit_count),
            "requested" if d.halt_requested else "",
        )
    if data.discrepancies:
        parts.append(alerts)
    if data.cycle is not None:
        c = data.cycle
        steps = "; ".join(f"{s.name} {'ok' if s.ok else 'FAILED'}" for s in c.steps)
        parts.append(f"last federation cycle {c.cycle_id} at {c.cycle_time.ToDatetime():%Y-%m-%d %H:%M}: {steps}")
    parts += [f"[yellow]{note}[/]" for note in data.notes]
    return Panel(Group(*parts), title=title)
