"""Run the gateway: accounts and their venues, pod identities, risk settings, the server."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import ccxt
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
from slipstream.gateway.venues.ccxt_urls import point_at
from slipstream.gateway.venues.ccxt_venue import CcxtVenue
from slipstream.gateway.venues.paper import PaperVenue
from slipstream.transport.auth import resolve_admin_token
from slipstream.transport.server import RunningServer, Service, serve_until_signalled, start_server

DEFAULT_LISTEN = "127.0.0.1:50053"


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
            federation_controls = FederationControls(settings.federation, admin_token)
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
    for name, account in settings.ccxt_accounts.items():
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
        limiter = RateLimiter(account.rate_limit_ms or float(exchange.rateLimit), account.burst, clock.monotonic)
        limiter.start()
        limiters.append(limiter)
        ccxt_venue = CcxtVenue(name, exchange, nonces, limiter, account.symbols)
        await ccxt_venue.start()
        venues[name] = ccxt_venue
    gateway = Gateway(
        GatewayStore(settings.data_dir),
        venues,
        {pod_id: access.account for pod_id, access in settings.pods.items()},
        settings.risk,
        controls,
        clock,
    )
    servicer = GatewayServicer(gateway, admin_token, {pod_id: a.token for pod_id, a in settings.pods.items()})
    server = await start_server(
        [
            Service(
                servicer,
                gateway_pb2_grpc.add_GatewayServiceServicer_to_server,
                gateway_pb2.DESCRIPTOR.services_by_name["GatewayService"].full_name,
            )
        ],
        settings.listen,
    )
    return RunningGateway(gateway, server, venues, controls, limiters, nonces)


async def serve(settings: GatewaySettings) -> None:
    """Serve until SIGINT or SIGTERM."""
    running = await start_gateway(settings)
    host = settings.listen.rpartition(":")[0]
    banner = f"gateway listening on {host}:{running.server.port} (data in {settings.data_dir})"
    await serve_until_signalled(running, banner)
