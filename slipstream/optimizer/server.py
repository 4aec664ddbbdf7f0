"""Run the meta-optimizer as its own service: it reads the federation (pods, limits, snapshots),
the data lake (daily bars, trades, the central volatility forecast) and, when configured, the
analytics service (lifecycle stages and their capital caps); it writes only through the
federation's PushPodConfig, which the gateway then enforces."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from slipstream_api.v1 import (
    analytics_pb2,
    analytics_pb2_grpc,
    datalake_pb2,
    optimizer_pb2,
    optimizer_pb2_grpc,
)

from slipstream.analytics.servicer import stage_from_pb
from slipstream.core.clock import Clock, SystemClock
from slipstream.core.model import PodLimits
from slipstream.datalake.client import LakeClient
from slipstream.federation.client import FederationClient
from slipstream.optimizer.service import MarketView, Optimizer, OptimizerPolicy, OptimizerSources, PodView
from slipstream.optimizer.servicer import OptimizerServicer
from slipstream.optimizer.store import OptimizerStore
from slipstream.transport import addresses, auth, convert
from slipstream.transport.auth import resolve_admin_token
from slipstream.transport.server import RunningServer, Service, serve_until_signalled, start_server
from slipstream.transport.tls import ClientTls, ServerTls, open_channel

DEFAULT_LISTEN = addresses.OPTIMIZER
VOLUME_DAYS = 30
DAY_MS = 86_400_000


@dataclass(frozen=True)
class OptimizerSettings:
    data_dir: Path
    federation: str
    lake: str
    listen: str = DEFAULT_LISTEN
    analytics: str | None = None
    admin_token: str | None = None
    auditor_tokens: dict[str, str] = field(default_factory=dict)  # independent risk: reads, runs audits
    viewer_tokens: dict[str, str] = field(default_factory=dict)  # dashboards: reads
    policy: OptimizerPolicy = field(default_factory=OptimizerPolicy)
    # What each pod trades when its limits name no symbol.
    pod_symbols: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tls: ServerTls | None = None  # serve TLS ([tls]); mutual TLS when it names a client CA
    client_tls: ClientTls | None = None  # dial the other services over TLS ([client_tls])


@dataclass
class RunningOptimizer:
    optimizer: Optimizer
    server: RunningServer
    store: OptimizerStore
    _clients: list[object]

    @property
    def address(self) -> str:
        return self.server.address

    async def stop(self) -> None:
        await self.server.stop(1.0)
        for client in self._clients:
            client.close()  # type: ignore[attr-defined]
        self.store.close()


def _as_of_ns(clock: Clock) -> int:
    return int(clock.now().timestamp() * 1e9)


def build_sources(
    settings: OptimizerSettings,
    federation: FederationClient,
    lake: LakeClient,
    analytics: analytics_pb2_grpc.AnalyticsServiceStub | None,
    token: str,
    clock: Clock,
) -> OptimizerSources:
    """Wire the optimizer to the federation, the lake and analytics, reading the lake as of the clock."""

    def pods() -> list[PodView]:
        stages: dict[str, analytics_pb2.PodLifecycle] = {}
        if analytics is not None:
            answer = analytics.ListLifecycles(
                analytics_pb2.ListLifecyclesRequest(), metadata=auth.bearer_metadata(token), timeout=30
            )
            stages = {state.pod_id: state for state in answer.lifecycles}
        views = []
        total = settings.policy.total_capital_usd
        for pod in federation.list_pods():
            limits = convert.stored_config_from_pb(pod.desired_config).limits
            symbols = tuple(limit.symbol for limit in limits.symbol_limits) or settings.pod_symbols.get(
                pod.pod_id, tuple(p.symbol for p in pod.last_status.positions)
            )
            state = stages.get(pod.pod_id)
            cap = math.inf
            stage = ""
            if state is not None:
                stage = stage_from_pb(state.stage, "stage").value
                cap = state.max_capital_fraction * total
                if state.max_capital_usd > 0:
                    cap = min(cap, state.max_capital_usd)
            held = {p.symbol: float(p.notional_usd or 0) for p in pod.last_status.positions}
            views.append(PodView(pod.pod_id, limits, symbols, stage, cap, held))
        return views

    def snapshots() -> pd.DataFrame:
        rows = []
        for pod in federation.list_pods():
            for snapshot in federation.snapshots(pod.pod_id):
                rows.append(
                    (
                        pod.pod_id,
                        convert.timestamp_from_pb(snapshot.observe_time),
                        float(snapshot.nav_usd or 0),
                        float(snapshot.capital_allocation_usd or 0),
                    )
                )
        return pd.DataFrame(rows, columns=["pod_id", "observe_time", "nav_usd", "capital_allocation_usd"])

    def markets(symbols: Sequence[str]) -> MarketView:
        as_of = _as_of_ns(clock)
        series = lake.list_series()
        daily = {s.symbol for s in series if s.timeframe == "1d"}
        traded = {s.symbol for s in series if s.kind == datalake_pb2.SERIES_KIND_TRADES}
        closes: dict[str, pd.Series] = {}
        volume: dict[str, float] = {}
        trades = {}
        for symbol in symbols:
            if symbol not in daily:
                continue
            bars = lake.query_bars(symbol, "1d", as_of_ns=as_of)
            if len(bars) < 2:
                continue
            index = pd.to_datetime(bars.open_time_ms, unit="ms", utc=True)
            closes[symbol] = pd.Series(bars.close, index=index)
            recent = slice(-VOLUME_DAYS, None)
            volume[symbol] = float(np.mean(bars.volume[recent] * bars.close[recent]))
            if symbol not in traded:
                continue
            last_day = int(bars.open_time_ms[-1])
            tape = lake.query_trades(symbol, start_ms=last_day - 30 * DAY_MS, as_of_ns=as_of)
            if len(tape):
                trades[symbol] = (tape.trade_time_ms, tape.price, tape.quantity, tape.side)
        frame = pd.DataFrame(closes).sort_index()
        forecasts = {f.symbol: f.annualized_volatility for f in lake.forecasts(list(closes), as_of_ns=as_of)}
        return MarketView(
            returns=frame.pct_change(fill_method=None).iloc[1:],
            prices={s: float(series.dropna().iloc[-1]) for s, series in closes.items()},
            forecasts=forecasts,
            daily_volume_usd=volume,
            trades=trades,
        )

    def push(pod_id: str, limits: PodLimits, actor: str) -> tuple[bool, str]:
        current = federation.get_pod(pod_id).desired_config
        answer = federation.push_config(pod_id, limits, dict(current.parameters), actor)
        return answer.delivered, answer.error_message

    return OptimizerSources(pods, snapshots, markets, push)


async def start_optimizer(settings: OptimizerSettings, clock: Clock | None = None) -> RunningOptimizer:
    clock = clock or SystemClock()
    token = resolve_admin_token(settings.admin_token, settings.data_dir)
    federation = FederationClient(settings.federation, token, tls=settings.client_tls)
    lake = LakeClient(settings.lake, token, tls=settings.client_tls)
    clients: list[object] = [federation, lake]
    analytics = None
    if settings.analytics:
        channel = open_channel(settings.analytics, settings.client_tls)
        clients.append(channel)
        analytics = analytics_pb2_grpc.AnalyticsServiceStub(channel)
    store = OptimizerStore(settings.data_dir)
    sources = build_sources(settings, federation, lake, analytics, token, clock)
    optimizer = Optimizer(sources, settings.policy, store, clock)
    service = Service(
        OptimizerServicer(optimizer, store),
        optimizer_pb2_grpc.add_OptimizerServiceServicer_to_server,
        optimizer_pb2.DESCRIPTOR.services_by_name["OptimizerService"].full_name,
    )
    tokens = auth.Tokens(token, auditors=settings.auditor_tokens, viewers=settings.viewer_tokens)
    server = await start_server([service], settings.listen, tls=settings.tls, tokens=tokens)
    return RunningOptimizer(optimizer, server, store, clients)


async def serve(settings: OptimizerSettings) -> None:
    """Serve until SIGINT or SIGTERM."""
    running = await start_optimizer(settings)
    host = settings.listen.rpartition(":")[0]
    banner = f"optimizer listening on {host}:{running.server.port} (data in {settings.data_dir})"
    await serve_until_signalled(running, banner)
