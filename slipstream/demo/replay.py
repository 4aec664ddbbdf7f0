"""A year of the federation in simulated time: every service real, one clock for all of them.

The lake, federation, gateway (paper venue), auditor, optimizer and analytics run as real gRPC
servers on 127.0.0.1 in this process, on one asyncio loop in its own thread, all reading the same
`ManualClock`. The pods are real pod servers too, but nothing ticks them on a timer: each
simulated day the replay moves the clock past the day's close, sets the paper venue's marks to
the day's closes from the lake, ticks every pod once (they trade through the gateway), has the
federation poll them (their daily snapshot) and the auditor audit; every `cycle_days` it runs a
federation cycle through the orchestrator's own code: audit, lifecycle, allocation, push. The lake
is queried as of the clock, so nothing is known before its time.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from slipstream.analytics.lifecycle import CapitalCaps, LifecyclePolicy, StageCap
from slipstream.analytics.server import AnalyticsSettings, RunningAnalytics, start_analytics
from slipstream.analytics.service import AnalyticsPolicy
from slipstream.auditor.reconcile import Action, AuditPolicy
from slipstream.auditor.server import AuditorSettings, RunningAuditor, start_auditor
from slipstream.core.clock import ManualClock
from slipstream.core.model import PodLimits
from slipstream.datalake.client import LakeClient
from slipstream.datalake.files import BarSeries, read_bars
from slipstream.datalake.frames import MS, timeframe_ms
from slipstream.datalake.server import LakeSettings, RunningLake, start_lake
from slipstream.demo.pods import Cast, Foresight, cast
from slipstream.examples.under_reporter import HalfReportingRuntime
from slipstream.federation.server import RunningFederation, start_federation
from slipstream.federation.settings import FederationSettings, PodDeclaration
from slipstream.gateway.risk import RiskSettings
from slipstream.gateway.server import GatewaySettings, PaperAccountSettings, PodAccess, RunningGateway, start_gateway
from slipstream.gateway.venues.paper import PaperVenue
from slipstream.optimizer.server import OptimizerSettings, RunningOptimizer, start_optimizer
from slipstream.optimizer.service import OptimizerPolicy, PodBounds
from slipstream.orchestrator.core import FederationCycle, Orchestrator
from slipstream.orchestrator.server import GrpcDrivers, OrchestratorSettings
from slipstream.orchestrator.store import OrchestratorStore
from slipstream.pod.gateway_book import GatewayBook, GatewayMarket
from slipstream.pod.runner import ServingPod, register, start_pod
from slipstream.pod.runtime import PodRuntime
from slipstream.transport.auth import new_token

SAMPLES = Path(__file__).resolve().parent.parent / "datalake" / "samples"
DAILY = SAMPLES / "bitstamp_BTC_ETH_LTC_USD_daily.csv"
SYMBOLS = ("BTC/USD", "ETH/USD", "LTC/USD")
ACCOUNT = "paper"
# The market maker's resting quotes would block the other pods' orders on a shared account
# (self-trade prevention): it gets an account of its own, as a desk's market maker would.
MAKER_ACCOUNT = "paper-mm"
T = TypeVar("T")
# A federation of six pods: stage caps sized so that incubating pods still trade visibly.
DEMO_ANALYTICS = AnalyticsPolicy(
    lifecycle=LifecyclePolicy(
        caps=CapitalCaps(
            incubation=StageCap(0.08),
            evaluation=StageCap(0.15),
            growth=StageCap(0.25),
            maturity=StageCap(0.35),
        )
    )
)


class LoopThread:
    """The services' asyncio loop on its own thread, so the replay can drive them with blocking calls."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="replay-services", daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout_s: float = 60.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout_s)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


@dataclass(frozen=True)
class ReplaySettings:
    data_dir: Path
    start: datetime = datetime(2019, 1, 1, tzinfo=timezone.utc)
    days: int = 365
    cycle_days: int = 7
    seed: int = 7
    total_capital_usd: float = 1_000_000.0
    pod_capital_usd: Decimal = Decimal(100_000)
    cast: Callable[[Foresight, int], list[Cast]] = field(default=cast)
    # Pods that run elsewhere (the Node.js pod, in real time) and register themselves: id -> token.
    outside_pods: dict[str, str] = field(default_factory=dict)


@dataclass
class Services:
    lake: RunningLake
    federation: RunningFederation
    gateway: RunningGateway
    auditor: RunningAuditor
    optimizer: RunningOptimizer
    analytics: RunningAnalytics
    pods: list[ServingPod]


class Replay:
    def __init__(self, settings: ReplaySettings) -> None:
        self.settings = settings
        self.clock = ManualClock(settings.start)
        self.loop = LoopThread()
        self.admin_token = new_token()
        self.tokens: dict[str, str] = {}
        self._daily = read_bars(DAILY)
        self.closes = _daily_closes(self._daily)
        self.foresight = Foresight(self.closes)
        self.cast = settings.cast(self.foresight, settings.seed)
        self.services: Services | None = None
        self.orchestrator: Orchestrator | None = None
        self._drivers: GrpcDrivers | None = None
        self.cycles: list[FederationCycle] = []

    def _days(self) -> list[pd.Timestamp]:
        start = pd.Timestamp(self.settings.start)
        index = self.closes.index
        return list(index[(index >= start)][: self.settings.days])

    def start(self) -> None:
        """Start every service and pod, the clock at the first day's close."""
        data = self.settings.data_dir
        first = self._days()[0]
        self.clock = ManualClock((first + pd.Timedelta(days=1)).to_pydatetime())
        run = self.loop.run
        # The lake keeps real time: it holds the whole history, each bar known at its close, and every
        # reader asks for it as of the simulated clock, so no day is seen before it ended.
        lake = run(start_lake(LakeSettings(data / "lake", "127.0.0.1:0", self.admin_token)))
        _seed_lake(lake.address, self.admin_token, self._daily)
        self.tokens = {c.pod_id: new_token() for c in self.cast}
        limits = PodLimits(
            capital_allocation_usd=self.settings.pod_capital_usd,
            max_gross_notional_usd=self.settings.pod_capital_usd * 3,
            volatility_target_annualized=0.25,
        )
        federation = run(
            start_federation(
                FederationSettings(
                    data_dir=data / "federation",
                    listen="127.0.0.1:0",
                    admin_token=self.admin_token,
                    poll_interval_s=10**6,
                    poll_timeout_s=5.0,
                    default_limits=limits,
                    pods=tuple(
                        PodDeclaration(pod, token)
                        for pod, token in {**self.tokens, **self.settings.outside_pods}.items()
                    ),
                ),
                self.clock,
            )
        )
        marks = self._marks(first)
        gateway = run(
            start_gateway(
                GatewaySettings(
                    data_dir=data / "gateway",
                    pods={pod: PodAccess(token, self._account(pod)) for pod, token in self.tokens.items()},
                    paper_accounts={
                        name: PaperAccountSettings(marks, walk_interval_s=None) for name in (ACCOUNT, MAKER_ACCOUNT)
                    },
                    listen="127.0.0.1:0",
                    admin_token=self.admin_token,
                    federation=federation.address,
                    risk=RiskSettings(max_order_notional_usd=Decimal(10_000_000), price_collar_bps=Decimal(2_000)),
                ),
                clock=self.clock,
            )
        )
        auditor = run(
            start_auditor(
                AuditorSettings(
                    data_dir=data / "auditor",
                    federation=federation.address,
                    gateway=gateway.address,
                    accounts={},
                    pod_accounts={pod: self._account(pod) for pod in self.tokens},
                    listen="127.0.0.1:0",
                    paper_accounts=(ACCOUNT, MAKER_ACCOUNT),
                    admin_token=self.admin_token,
                    policy=AuditPolicy(
                        critical_usd=Decimal(20_000),
                        stale_after=timedelta(days=2),
                        halt_after_audits=3,
                        default_action=Action.HALT,
                    ),
                    interval_s=10**6,
                    lake=lake.address,
                ),
                self.clock,
            )
        )
        analytics = run(
            start_analytics(
                AnalyticsSettings(
                    data_dir=data / "analytics",
                    federation=federation.address,
                    gateway=gateway.address,
                    listen="127.0.0.1:0",
                    lake=lake.address,
                    admin_token=self.admin_token,
                    policy=DEMO_ANALYTICS,
                ),
                self.clock,
            )
        )
        optimizer = run(
            start_optimizer(
                OptimizerSettings(
                    data_dir=data / "optimizer",
                    federation=federation.address,
                    lake=lake.address,
                    listen="127.0.0.1:0",
                    analytics=analytics.address,
                    admin_token=self.admin_token,
                    policy=OptimizerPolicy(
                        total_capital_usd=self.settings.total_capital_usd,
                        btc_symbol="BTC/USD",
                        min_observations=20,
                        default_bounds=PodBounds(max_fraction=0.4),
                    ),
                    pod_symbols={c.pod_id: tuple(c.strategy.symbols) for c in self.cast},
                ),
                self.clock,
            )
        )
        pods = [self._start_pod(c, federation.address, gateway.address) for c in self.cast]
        self.services = Services(lake, federation, gateway, auditor, optimizer, analytics, pods)
        self._drivers = GrpcDrivers(
            OrchestratorSettings(
                data_dir=data / "orchestrator",
                federation=federation.address,
                optimizer=optimizer.address,
                analytics=analytics.address,
                auditor=auditor.address,
            ),
            self.admin_token,
        )
        self.orchestrator = Orchestrator(self._drivers, OrchestratorStore(data / "orchestrator"), self.clock)

    def _account(self, pod_id: str) -> str:
        maker = next((c for c in self.cast if c.pod_id == pod_id), None)
        return MAKER_ACCOUNT if maker is not None and maker.own_account else ACCOUNT

    def _start_pod(self, member: Cast, federation: str, gateway: str) -> ServingPod:
        token = self.tokens[member.pod_id]
        runtime_class = HalfReportingRuntime if member.lies else PodRuntime
        runtime = runtime_class(
            member.pod_id,
            member.strategy,
            GatewayMarket(gateway, token, member.strategy.symbols),
            clock=self.clock,
            account=GatewayBook(gateway, token, self.clock),
        )
        pod = self.loop.run(start_pod(runtime, token, ticking=False))
        self.loop.run(register(runtime, token, federation, pod.server.address, 30.0))
        member.strategy.on_start(runtime.context)
        return pod

    def _marks(self, day: pd.Timestamp) -> dict[str, Decimal]:
        row = self.closes.loc[day]
        return {symbol: Decimal(str(row[symbol])) for symbol in SYMBOLS}

    def run(self, progress: Callable[[int, int, pd.Timestamp], None] | None = None) -> None:
        """Replay every day; `progress(done, total, day)` after each."""
        assert self.services is not None and self.orchestrator is not None
        days = self._days()
        venues = [self.services.gateway.venues[name] for name in (ACCOUNT, MAKER_ACCOUNT)]
        for number, day in enumerate(days, start=1):
            self.clock.advance((day + pd.Timedelta(days=1)).to_pydatetime() - self.clock.now())
            self.foresight.today = day
            marks = self._marks(day)
            for venue in venues:
                assert isinstance(venue, PaperVenue)
                self.loop.run(_set_marks(venue, marks))
            for pod in self.services.pods:
                pod.runtime.step()
            self.loop.run(self.services.federation.federation.poll_once())
            if number % self.settings.cycle_days == 0:
                self.cycles.append(self.orchestrator.run_cycle("replay"))
            else:
                assert self._drivers is not None
                self._drivers.audit()
            if progress is not None:
                progress(number, len(days), day)

    def stop(self) -> None:
        if self.services is not None:
            s = self.services
            for pod in s.pods:
                self.loop.run(pod.stop())
            for service in (s.optimizer, s.analytics, s.auditor, s.gateway, s.federation, s.lake):
                self.loop.run(service.stop())
        if self._drivers is not None:
            self._drivers.close()
        if self.orchestrator is not None:
            self.orchestrator.store.close()
        self.loop.close()


async def _set_marks(venue: PaperVenue, marks: dict[str, Decimal]) -> None:
    # On the services' loop: a crossed resting order fills and is booked there.
    for symbol, price in marks.items():
        venue.set_price(symbol, price)


def _daily_closes(daily: list[BarSeries]) -> pd.DataFrame:
    frames = {}
    for series in daily:
        index = pd.to_datetime(series.bars.open_time_ms, unit="ms", utc=True)
        frames[series.symbol] = pd.Series(series.bars.close, index=index)
    return pd.DataFrame(frames)[list(SYMBOLS)].dropna()


def _seed_lake(address: str, token: str, daily: list[BarSeries]) -> None:
    """The bundled Bitstamp daily bars, each known when its day closed."""
    with LakeClient(address, token) as client:
        for series in daily:
            known = (series.bars.open_time_ms + timeframe_ms(series.timeframe)) * MS
            client.write_bars(series.symbol, series.timeframe, replace(series.bars, knowledge_time_ns=known))
