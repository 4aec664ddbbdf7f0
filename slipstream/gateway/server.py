"""Run the gateway: accounts and their venues, pod identities, risk settings, the server."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grpc_health.v1 import health, health_pb2
from slipstream_api.v1 import gateway_pb2, gateway_pb2_grpc

from slipstream.core.clock import Clock, SystemClock
from slipstream.gateway.controls import FederationControls, StaticControls
from slipstream.gateway.core import ControlSource, Gateway
from slipstream.gateway.nonces import NonceSource
from slipstream.gateway.ratelimit import RateLimiter
from slipstream.gateway.risk import PodControl, RiskSettings
from slipstream.gateway.servicer import GatewayServicer
from slipstream.gateway.store import GatewayStore
from slipstream.gateway.venues.base import Venue
from slipstream.gateway.venues.paper import PaperVenue
from slipstream.transport import addresses, auth
from slipstream.transport.auth import resolve_admin_token
from slipstream.transport.server import RunningServer, Service, serve_until_signalled, start_server
from slipstream.transport.tls import ClientTls, ServerTls

# ccxt takes about half a second to import: it is loaded only when an exchange account is configured, so a
# paper-only gateway (and `slipstream serve gateway` restarts) start without it.
if TYPE_CHECKING:
    from slipstream.gateway.venues.ccxt_venue import CcxtVenue

DEFAULT_LISTEN = addresses.GATEWAY


@dataclass(frozen=True)
class PodAccess:
    """A pod allowed to trade: its token and the account it trades on."""

    token: str
    account: str


@dataclass(frozen=True)
class PaperAccountSettings:
    prices: dict[str, Decimal]
    seed: int = 7
    walk_interval_s: float | None = 0.5
    max_fill_quantity: Decimal | None = None


@dataclass(frozen=True)
class CcxtAccountSettings:
    """An exchange account reached through ccxt. The credentials never appear in logs or errors."""

    exchange_id: str
    symbols: tuple[str, ...]
    api_key: str = field(repr=False)
    secret: str = field(repr=False)
    api_url: str | None = None
    timeout_ms: int = 10_000
    burst: float = 10.0
    options: dict[str, object] = field(default_factory=dict)
    rate_limit_ms: float | None = None  # ms per unit of request weight; default: ccxt's for the exchange
    poll_interval_s: float = 0.5  # how often working orders and prices are polled
    max_backoff_s: float = 5.0  # the longest wait between probes of an exchange that does not answer


@dataclass(frozen=True)
class GatewaySettings:
    data_dir: Path
    pods: dict[str, PodAccess]
    paper_accounts: dict[str, PaperAccountSettings]
    listen: str = DEFAULT_LISTEN
    ccxt_accounts: dict[str, CcxtAccountSettings] = field(default_factory=dict)
    admin_token: str | None = None
    federation: str | None = None
    risk: RiskSettings = field(default_factory=RiskSettings)
    # Pods' states and limits when no federation is configured (a standalone gateway).
    static_controls: dict[str, PodControl] = field(default_factory=dict)
    tls: ServerTls | None = None  # serve TLS ([tls]); mutual TLS when it names a client CA
    client_tls: ClientTls | None = None  # dial the other services over TLS ([client_tls])
    auditor_tokens: dict[str, str] = field(default_factory=dict)  # read every pod's orders and the ledgers
    viewer_tokens: dict[str, str] = field(default_factory=dict)  # known, but may call nothing here


@dataclass
class RunningGateway:
    gateway: Gateway
    server: RunningServer
    venues: dict[str, Venue]
    controls: ControlSource
    limiters: list[RateLimiter] = field(default_factory=list)
    nonces: NonceSource | None = None

    @property
    def address(self) -> str:
        return self.server.address

    async def stop(self) -> None:
        await self.server.stop(1.0)
        if isinstance(self.controls, FederationControls):
            await self.controls.stop()
        for venue in self.venues.values():
            await venue.close()
        for limiter in self.limiters:
            await limiter.stop()
        if self.nonces is not None:
            self.nonces.close()
        self.gateway.flush()
        self.gateway.store.close()


async def start_gateway(
    settings: GatewaySettings, controls: ControlSource | None = None, clock: Clock | None = None
) -> RunningGateway:
    """Open the store, build venues, start serving; controls default to the federation's."""
    clock = clock or SystemClock()
    admin_token = resolve_admin_token(settings.admin_token, settings.data_dir)
    if controls is None:
        if settings.federation:
            federation_controls = FederationControls(
                settings.federation, admin_token, clock=clock, tls=settings.client_tls
            )
            federation_controls.start()
            controls = federation_controls
        else:
            controls = StaticControls(settings.static_controls)
    venues: dict[str, Venue] = {}
    for name, paper in settings.paper_accounts.items():
        venue = PaperVenue(name, paper.prices, max_fill_quantity=paper.max_fill_quantity, clock=clock)
        if paper.walk_interval_s:
            venue.start_random_walk(paper.seed, paper.walk_interval_s)
        venues[name] = venue
    limiters: list[RateLimiter] = []
    nonces = NonceSource(settings.data_dir / "nonces.sqlite", lambda: int(clock.now().timestamp() * 1000))
    ccxt_venues: dict[str, CcxtVenue] = {}
    for name, account in settings.ccxt_accounts.items():
        exchange = _ccxt_exchange(account)
        limiter = RateLimiter(account.rate_limit_ms or float(exchange.rateLimit), account.burst, clock.monotonic)
        limiter.start()
        limiters.append(limiter)
        ccxt_venue = _ccxt_venue(name, exchange, nonces, limiter, account)
        await ccxt_venue.start()
        venues[name] = ccxt_venues[name] = ccxt_venue
    gateway = Gateway(
        GatewayStore(settings.data_dir),
        venues,
        {pod_id: access.account for pod_id, access in settings.pods.items()},
        settings.risk,
        controls,
        clock,
    )
    servicer = GatewayServicer(gateway)
    tokens = auth.Tokens(
        admin_token,
        {pod_id: a.token for pod_id, a in settings.pods.items()},
        settings.auditor_tokens,
        settings.viewer_tokens,
    )
    server = await start_server(
        [
            Service(
                servicer,
                gateway_pb2_grpc.add_GatewayServiceServicer_to_server,
                gateway_pb2.DESCRIPTOR.services_by_name["GatewayService"].full_name,
            )
        ],
        settings.listen,
        tls=settings.tls,
        tokens=tokens,
    )
    for name, ccxt_venue in ccxt_venues.items():
        await _report_health(server.health, name, ccxt_venue)
    return RunningGateway(gateway, server, venues, controls, limiters, nonces)


def _ccxt_exchange(account: CcxtAccountSettings) -> Any:
    import ccxt

    from slipstream.gateway.venues.ccxt_urls import point_at

    exchange = getattr(ccxt, account.exchange_id)(
        {
            "apiKey": account.api_key,
            "secret": account.secret,
            "enableRateLimit": False,  # the gateway's own limiter owns the budget
            "timeout": account.timeout_ms,
            "options": dict(account.options),
        }
    )
    if account.api_url:
        point_at(exchange, account.api_url)
    return exchange


def _ccxt_venue(
    name: str, exchange: Any, nonces: NonceSource, limiter: RateLimiter, account: CcxtAccountSettings
) -> CcxtVenue:
    from slipstream.gateway.venues.ccxt_venue import CcxtVenue

    return CcxtVenue(
        name,
        exchange,
        nonces,
        limiter,
        account.symbols,
        poll_interval_s=account.poll_interval_s,
        max_backoff_s=account.max_backoff_s,
    )


def venue_health_service(account: str) -> str:
    """The name under which the standard health service reports an exchange account's state."""
    return f"{gateway_pb2.DESCRIPTOR.services_by_name['GatewayService'].full_name}/accounts/{account}"


async def _report_health(servicer: health.aio.HealthServicer, account: str, venue: CcxtVenue) -> None:
    """Mirror the venue's availability into the health service: NOT_SERVING while the exchange
    does not answer, so operators and probes see the outage without reading logs."""
    service = venue_health_service(account)
    loop = asyncio.get_running_loop()
    updates: set[asyncio.Task[None]] = set()

    def changed(problem: str | None) -> None:
        status = health_pb2.HealthCheckResponse.NOT_SERVING if problem else health_pb2.HealthCheckResponse.SERVING
        task = loop.create_task(servicer.set(service, status))
        updates.add(task)
        task.add_done_callback(updates.discard)

    venue.add_state_listener(changed)
    await servicer.set(
        service,
        health_pb2.HealthCheckResponse.NOT_SERVING if venue.unavailable() else health_pb2.HealthCheckResponse.SERVING,
    )


async def serve(settings: GatewaySettings) -> None:
    """Serve until SIGINT or SIGTERM."""
    running = await start_gateway(settings)
    host = settings.listen.rpartition(":")[0]
    banner = f"gateway listening on {host}:{running.server.port} (data in {settings.data_dir})"
    await serve_until_signalled(running, banner)
