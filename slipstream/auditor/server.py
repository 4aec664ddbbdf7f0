"""Run the auditor as its own process, with its own configuration and read-only credentials.

It refuses to start with a key that can trade. It only reads: the exchange (through
`ReadOnlyAccount`), the federation's pod registry, and the gateway's books; its one action is
asking the federation to halt a pod, by policy. Stopping or crashing it changes nothing for
pods, the gateway or the federation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import ccxt
from slipstream_api.v1 import auditor_pb2, auditor_pb2_grpc, gateway_pb2, gateway_pb2_grpc

from slipstream.auditor.betas import beta
from slipstream.auditor.core import Auditor, AuditorSources
from slipstream.auditor.exchange import ReadOnlyAccount
from slipstream.auditor.reconcile import AuditPolicy, PodReport
from slipstream.auditor.servicer import AuditorServicer
from slipstream.auditor.store import AuditStore
from slipstream.core.clock import Clock, SystemClock
from slipstream.core.model import HaltReason
from slipstream.datalake.client import LakeClient
from slipstream.federation.client import FederationClient
from slipstream.gateway.venues.ccxt_urls import point_at
from slipstream.transport import addresses, auth, convert
from slipstream.transport.auth import resolve_admin_token
from slipstream.transport.server import RunningServer, Service, serve_until_signalled, start_server
from slipstream.transport.tls import ClientTls, ServerTls, open_channel

DEFAULT_LISTEN = addresses.AUDITOR
_NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class AuditAccountSettings:
    """An exchange account the auditor reads with its own read-only key (never logged)."""

    exchange_id: str
    symbols: tuple[str, ...]
    api_key: str = field(repr=False)
    secret: str = field(repr=False)
    api_url: str | None = None
    options: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditorSettings:
    data_dir: Path
    federation: str
    gateway: str
    accounts: dict[str, AuditAccountSettings]
    pod_accounts: dict[str, str]
    listen: str = DEFAULT_LISTEN
    # Accounts on the gateway's in-process paper venue: read from the venue's own ledger.
    paper_accounts: tuple[str, ...] = ()
    admin_token: str | None = None
    # The auditor token this service reads the federation, gateway and lake with; None: the admin's.
    # Halts (the policy's "halt" action) always go with the admin token: an auditor token never halts.
    auditor_token: str | None = field(default=None, repr=False)
    auditor_tokens: dict[str, str] = field(default_factory=dict)  # independent risk: reads, runs audits
    viewer_tokens: dict[str, str] = field(default_factory=dict)  # dashboards: reads
    policy: AuditPolicy = field(default_factory=AuditPolicy)
    interval_s: float = 5.0
    # The data lake to compute betas to BTC from (daily bars of the same symbols); none: betas are 1.
    lake: str | None = None
    beta_reference: str = "BTC/USD"
    tls: ServerTls | None = None  # serve TLS ([tls]); mutual TLS when it names a client CA
    client_tls: ClientTls | None = None  # dial the other services over TLS ([client_tls])


@dataclass
class RunningAuditor:
    auditor: Auditor
    server: RunningServer
    _stop: asyncio.Event
    _loop_task: asyncio.Task[None]
    _clients: list[object]

    @property
    def address(self) -> str:
        return self.server.address

    async def stop(self) -> None:
        self._stop.set()
        await self._loop_task
        await self.server.stop(1.0)
        for client in self._clients:
            client.close()  # type: ignore[attr-defined]
        self.auditor.store.close()


def _read_only(name: str, account: AuditAccountSettings) -> ReadOnlyAccount:
    exchange = getattr(ccxt, account.exchange_id)(
        {"apiKey": account.api_key, "secret": account.secret, "enableRateLimit": True, "options": dict(account.options)}
    )
    if account.api_url:
        point_at(exchange, account.api_url)
    reader = ReadOnlyAccount(name, exchange)
    reader.ensure_read_only()
    return reader


async def start_auditor(settings: AuditorSettings, clock: Clock | None = None) -> RunningAuditor:
    """Check the keys, wire the sources, start serving and auditing every interval."""
    clock = clock or SystemClock()
    admin_token = resolve_admin_token(settings.admin_token, settings.data_dir)
    readers = {name: await asyncio.to_thread(_read_only, name, a) for name, a in settings.accounts.items()}
    read_token = settings.auditor_token or admin_token
    federation = FederationClient(settings.federation, read_token, tls=settings.client_tls)
    halter = FederationClient(settings.federation, admin_token, tls=settings.client_tls)
    gateway_channel = open_channel(settings.gateway, settings.client_tls)
    gateway = gateway_pb2_grpc.GatewayServiceStub(gateway_channel)
    metadata = auth.bearer_metadata(read_token)

    reported_marks: dict[str, Decimal] = {}

    def pod_reports() -> list[PodReport]:
        pods = {pod.pod_id: pod for pod in federation.list_pods()}
        for listed in pods.values():
            for position in listed.last_status.positions:
                if position.mark_price:
                    reported_marks[position.symbol] = Decimal(position.mark_price)
        reports = []
        for pod_id, account in sorted(settings.pod_accounts.items()):
            booked = gateway.ListPositions(
                gateway_pb2.ListPositionsRequest(pod_id=pod_id), metadata=metadata, timeout=5
            )
            pod = pods.get(pod_id)
            status = pod.last_status if pod is not None and pod.HasField("last_status") else None
            reports.append(
                PodReport(
                    pod_id=pod_id,
                    account=account,
                    report_time=convert.timestamp_from_pb(status.report_time) if status else _NEVER,
                    positions={p.symbol: Decimal(p.quantity) for p in status.positions} if status else {},
                    booked={p.symbol: Decimal(p.quantity) for p in booked.positions if Decimal(p.quantity) != 0},
                    last_fill_times={
                        p.symbol: convert.timestamp_from_pb(p.last_fill_time)
                        for p in booked.positions
                        if p.HasField("last_fill_time")
                    },
                )
            )
        return reports

    def prices() -> dict[str, Decimal]:
        # Exchange marks where the auditor reads an exchange; pods' marks for paper accounts.
        marks: dict[str, Decimal] = dict(reported_marks)
        for name, reader in readers.items():
            marks.update(reader.marks(settings.accounts[name].symbols))
        return marks

    def halt(pod_id: str, note: str) -> None:
        halter.halt(pod_id, HaltReason.RISK_VIOLATION, "auditor", note=note)

    def paper_ledger(account: str) -> Callable[[], dict[str, Decimal]]:
        def read() -> dict[str, Decimal]:
            request = gateway_pb2.ListVenuePositionsRequest(account=account)
            answer = gateway.ListVenuePositions(request, metadata=metadata, timeout=5)
            return {p.symbol: Decimal(p.quantity) for p in answer.positions}

        return read

    exchanges: dict[str, Callable[[], dict[str, Decimal]]] = {name: r.positions for name, r in readers.items()}
    exchanges.update({account: paper_ledger(account) for account in settings.paper_accounts})
    lake = LakeClient(settings.lake, read_token, tls=settings.client_tls) if settings.lake else None

    def betas(symbols: list[str]) -> dict[str, float]:
        if lake is None:
            return {}
        series = lake.list_series()
        daily = {s.symbol for s in series if s.timeframe == "1d"}
        if settings.beta_reference not in daily:
            return {}

        def closes(symbol: str) -> dict[int, float]:
            bars = lake.query_bars(symbol, "1d")
            return dict(zip(bars.open_time_ms.tolist(), bars.close.tolist(), strict=True))

        reference = closes(settings.beta_reference)
        return {symbol: beta(closes(symbol), reference) for symbol in symbols if symbol in daily}

    auditor = Auditor(
        AuditorSources(exchanges, pod_reports, prices, betas),
        settings.policy,
        halt,
        AuditStore(settings.data_dir),
        clock,
    )
    service = Service(
        AuditorServicer(auditor),
        auditor_pb2_grpc.add_AuditorServiceServicer_to_server,
        auditor_pb2.DESCRIPTOR.services_by_name["AuditorService"].full_name,
    )
    tokens = auth.Tokens(admin_token, auditors=settings.auditor_tokens, viewers=settings.viewer_tokens)
    server = await start_server([service], settings.listen, tls=settings.tls, tokens=tokens)
    stop = asyncio.Event()
    task = asyncio.create_task(auditor.run_forever(settings.interval_s, stop))
    return RunningAuditor(auditor, server, stop, task, [federation, halter, gateway_channel, *([lake] if lake else [])])


async def serve(settings: AuditorSettings) -> None:
    """Serve until SIGINT or SIGTERM."""
    running = await start_auditor(settings)
    host = settings.listen.rpartition(":")[0]
    banner = f"auditor listening on {host}:{running.server.port} (data in {settings.data_dir})"
    await serve_until_signalled(running, banner)
