"""Run post-trade analytics as its own process, with its own configuration and lifecycle store.

It only reads: the gateway's orders, fills and prices (with the admin token), the federation's
pods and snapshots, and the lake's daily bars; it writes nothing but its own lifecycle record.
It never trades and never halts: a lifecycle stage is a record and a capital cap for the
allocator to read. Stopping it changes nothing for pods, the gateway or the federation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import grpc
import pandas as pd
from slipstream_api.v1 import (
    analytics_pb2,
    analytics_pb2_grpc,
    federation_pb2,
    federation_pb2_grpc,
    gateway_pb2,
    gateway_pb2_grpc,
)

from slipstream.analytics.service import AnalyticsPolicy, AnalyticsService, AnalyticsSources, daily_returns
from slipstream.analytics.servicer import AnalyticsServicer
from slipstream.analytics.store import LifecycleStore
from slipstream.core.clock import Clock, SystemClock
from slipstream.core.model import ExecutionIntent
from slipstream.datalake.client import LakeClient
from slipstream.federation.client import FederationClient
from slipstream.gateway import convert as gateway_convert
from slipstream.gateway.model import Fill, Order
from slipstream.optimizer.performance import REQUIRED_COLUMNS
from slipstream.transport import addresses, auth, convert
from slipstream.transport.auth import resolve_admin_token
from slipstream.transport.server import RunningServer, Service, serve_until_signalled, start_server
from slipstream.transport.tls import ClientTls, ServerTls, open_channel

DEFAULT_LISTEN = addresses.ANALYTICS
# The most the gateway returns in one answer: reports cover a pod's newest orders and fills up to these.
MAX_ORDERS = 10_000
MAX_FILLS = 100_000
_DAY = timedelta(days=1)
# A day is final in the federation's record once it ended this long ago (allowing for clock skew).
_SETTLED_AFTER = timedelta(hours=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class AnalyticsSettings:
    data_dir: Path
    federation: str
    gateway: str
    listen: str = DEFAULT_LISTEN
    # The data lake with BTC's and ETH's daily bars; none: no residual reports, the lifecycle judges raw returns.
    lake: str | None = None
    admin_token: str | None = None
    auditor_tokens: dict[str, str] = field(default_factory=dict)  # independent risk: reads, runs audits
    viewer_tokens: dict[str, str] = field(default_factory=dict)  # dashboards: reads
    policy: AnalyticsPolicy = field(default_factory=AnalyticsPolicy)
    tls: ServerTls | None = None  # serve TLS ([tls]); mutual TLS when it names a client CA
    client_tls: ClientTls | None = None  # dial the other services over TLS ([client_tls])


@dataclass
class RunningAnalytics:
    service: AnalyticsService
    server: RunningServer
    _clients: list[FederationClient | LakeClient | grpc.Channel]

    @property
    def address(self) -> str:
        return self.server.address

    async def stop(self) -> None:
        await self.server.stop(1.0)
        for client in self._clients:
            client.close()
        self.service.store.close()


class DailySnapshots:
    """Each pod's last snapshot of every UTC day: all that daily returns read (`collect_returns` takes
    each day's last), one ListPodSnapshots call a day rather than every poll of the pod's history.

    A day that has ended is final in the federation's record, so it is fetched once.
    """

    def __init__(self, stub: federation_pb2_grpc.FederationServiceStub, token: str, clock: Clock) -> None:
        self._stub = stub
        self._metadata = auth.bearer_metadata(token)
        self._clock = clock
        self._settled: dict[tuple[str, datetime], tuple[str, datetime, float, float] | None] = {}

    def _last(self, pod_id: str, day: datetime) -> tuple[str, datetime, float, float] | None:
        request = federation_pb2.ListPodSnapshotsRequest(
            pod_id=pod_id,
            start_time=convert.timestamp_to_pb(day),
            end_time=convert.timestamp_to_pb(day + _DAY),
            max_count=1,
        )
        found = self._stub.ListPodSnapshots(request, metadata=self._metadata, timeout=10).snapshots
        if not found:
            return None
        last = found[-1]
        observed = convert.timestamp_from_pb(last.observe_time)
        return pod_id, observed, float(Decimal(last.nav_usd)), float(Decimal(last.capital_allocation_usd))

    def frame(self, registered: Mapping[str, datetime]) -> pd.DataFrame:
        """Return the last snapshot of each day since each pod (by pod_id) registered."""
        now = self._clock.now()
        rows = []
        for pod_id, since in registered.items():
            day = datetime(since.year, since.month, since.day, tzinfo=timezone.utc)
            while day <= now:
                key = (pod_id, day)
                if key in self._settled:
                    row = self._settled[key]
                else:
                    row = self._last(pod_id, day)
                    if day + _DAY <= now - _SETTLED_AFTER:
                        self._settled[key] = row
                if row is not None:
                    rows.append(row)
                day += _DAY
        return pd.DataFrame(rows, columns=list(REQUIRED_COLUMNS))


async def start_analytics(settings: AnalyticsSettings, clock: Clock | None = None) -> RunningAnalytics:
    """Wire the sources to the federation, the gateway and the lake, and start serving."""
    clock = clock or SystemClock()
    admin_token = resolve_admin_token(settings.admin_token, settings.data_dir)
    metadata = auth.bearer_metadata(admin_token)
    federation = FederationClient(settings.federation, admin_token, tls=settings.client_tls)
    # FederationClient reads snapshots without a time window; daily sampling needs one.
    federation_channel = open_channel(settings.federation, settings.client_tls)
    daily = DailySnapshots(federation_pb2_grpc.FederationServiceStub(federation_channel), admin_token, clock)
    gateway_channel = open_channel(settings.gateway, settings.client_tls)
    gateway = gateway_pb2_grpc.GatewayServiceStub(gateway_channel)
    lake = LakeClient(settings.lake, admin_token, tls=settings.client_tls) if settings.lake else None

    def intents() -> dict[str, ExecutionIntent]:
        return {
            pod.pod_id: convert.intent_from_pb(pod.execution_intent, "execution_intent")
            for pod in federation.list_pods()
        }

    def orders(pod_id: str) -> list[Order]:
        request = gateway_pb2.ListOrdersRequest(pod_id=pod_id, max_count=MAX_ORDERS)
        answer = gateway.ListOrders(request, metadata=metadata, timeout=30)
        return [gateway_convert.order_from_pb(order) for order in answer.orders]

    def fills(pod_id: str) -> list[Fill]:
        request = gateway_pb2.ListFillsRequest(pod_id=pod_id, max_count=MAX_FILLS)
        answer = gateway.ListFills(request, metadata=metadata, timeout=30)
        return [gateway_convert.fill_from_pb(fill) for fill in answer.fills]

    def end_prices(pod_id: str) -> dict[str, Decimal]:
        try:
            answer = gateway.ListPrices(gateway_pb2.ListPricesRequest(pod_id=pod_id), metadata=metadata, timeout=10)
        except grpc.RpcError as error:
            # A pod without an account at the gateway has no prices, as it has no orders.
            if error.code() is grpc.StatusCode.NOT_FOUND:
                return {}
            raise
        return {price.symbol: Decimal(price.price) for price in answer.prices}

    def pod_snapshots(pod_ids: Sequence[str]) -> pd.DataFrame:
        wanted = set(pod_ids)
        registered = {
            pod.pod_id: convert.timestamp_from_pb(pod.register_time)
            for pod in federation.list_pods()
            if pod.pod_id in wanted
        }
        return daily.frame(registered)

    def factor_returns(as_of: datetime) -> pd.DataFrame:
        if lake is None:
            return pd.DataFrame()
        as_of_ns = (as_of - _EPOCH) // timedelta(microseconds=1) * 1000
        columns = {}
        for symbol in settings.policy.factor_symbols:
            try:
                bars = lake.query_bars(symbol, "1d", as_of_ns=as_of_ns)
            except grpc.RpcError as error:
                if error.code() is grpc.StatusCode.NOT_FOUND:
                    continue
                raise
            columns[symbol] = daily_returns(bars.open_time_ms, bars.close)
        return pd.DataFrame(columns)

    service = AnalyticsService(
        AnalyticsSources(intents, orders, fills, end_prices, pod_snapshots, factor_returns),
        LifecycleStore(settings.data_dir),
        clock,
        settings.policy,
    )
    server = await start_server(
        [
            Service(
                AnalyticsServicer(service),
                analytics_pb2_grpc.add_AnalyticsServiceServicer_to_server,
                analytics_pb2.DESCRIPTOR.services_by_name["AnalyticsService"].full_name,
            )
        ],
        settings.listen,
        tls=settings.tls,
        tokens=auth.Tokens(admin_token, auditors=settings.auditor_tokens, viewers=settings.viewer_tokens),
    )
    clients: list[FederationClient | LakeClient | grpc.Channel] = [federation, federation_channel, gateway_channel]
    return RunningAnalytics(service, server, [*clients, *([lake] if lake else [])])


async def serve(settings: AnalyticsSettings) -> None:
    """Serve until SIGINT or SIGTERM."""
    running = await start_analytics(settings)
    host = settings.listen.rpartition(":")[0]
    banner = f"analytics listening on {host}:{running.server.port} (data in {settings.data_dir})"
    await serve_until_signalled(running, banner)
