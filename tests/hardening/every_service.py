"""Every service of the contract served for real on 127.0.0.1, wired as in production, with one
pod (alpha) serving the constitution; shared by the tests that walk every RPC."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import ADMIN_TOKEN, POD_TOKENS, make_settings
from support import LoopThread

from slipstream.analytics.server import AnalyticsSettings, start_analytics
from slipstream.auditor.reconcile import Action, AuditPolicy
from slipstream.auditor.server import AuditorSettings, start_auditor
from slipstream.datalake.server import LakeSettings, start_lake
from slipstream.federation.server import start_federation
from slipstream.gateway.server import GatewaySettings, PaperAccountSettings, PodAccess, start_gateway
from slipstream.optimizer.server import OptimizerSettings, start_optimizer
from slipstream.optimizer.service import OptimizerPolicy
from slipstream.orchestrator.server import OrchestratorSettings, start_orchestrator
from slipstream.pod import PodContext, Strategy
from slipstream.pod.market import RandomWalkMarket
from slipstream.pod.runner import register, start_pod
from slipstream.pod.runtime import PodRuntime

AUDITOR_TOKEN = "auditor-token-for-tests"
VIEWER_TOKEN = "viewer-token-for-tests"
AUDITORS = {"risk": AUDITOR_TOKEN}
VIEWERS = {"dashboard": VIEWER_TOKEN}
# Both pods trade at the gateway on one paper account; only alpha serves and is registered.
PODS = {pod_id: POD_TOKENS[pod_id] for pod_id in ("alpha", "beta")}


class IdleStrategy(Strategy):
    """Trades nothing, so the pod's state moves only when the centre changes it."""

    symbols = ("BTC/USDT",)
    tick_interval_seconds = 0.05

    def on_tick(self, ctx: PodContext) -> None:
        pass


@dataclass(frozen=True)
class Served:
    """Where each service of the contract listens (by full service name)."""

    addresses: dict[str, str]
    pod_address: str


@contextmanager
def every_service(data: Path, loop: LoopThread) -> Iterator[Served]:
    """Start the federation, pod alpha, lake (with volatility), gateway, auditor, optimizer,
    analytics and orchestrator; stop them all, last first, on exit."""
    stoppers: list[Callable[[], Any]] = []
    try:
        federation = loop.run(
            start_federation(make_settings(data / "federation", auditor_tokens=AUDITORS, viewer_tokens=VIEWERS))
        )
        stoppers.append(federation.stop)
        runtime = PodRuntime("alpha", IdleStrategy(), RandomWalkMarket({"BTC/USDT": 50_000.0}, seed=7))
        pod = loop.run(start_pod(runtime, POD_TOKENS["alpha"]))
        stoppers.append(pod.stop)
        loop.run(register(runtime, POD_TOKENS["alpha"], federation.address, pod.server.address, 10.0))
        lake = loop.run(
            start_lake(
                LakeSettings(
                    data / "lake", "127.0.0.1:0", ADMIN_TOKEN, VIEWERS, pod_tokens=PODS, auditor_tokens=AUDITORS
                )
            )
        )
        stoppers.append(lake.stop)
        gateway = loop.run(
            start_gateway(
                GatewaySettings(
                    data_dir=data / "gateway",
                    pods={pod_id: PodAccess(token, "main") for pod_id, token in PODS.items()},
                    paper_accounts={"main": PaperAccountSettings({"BTC/USDT": Decimal(50_000)}, walk_interval_s=None)},
                    listen="127.0.0.1:0",
                    admin_token=ADMIN_TOKEN,
                    federation=federation.address,
                    auditor_tokens=AUDITORS,
                    viewer_tokens=VIEWERS,
                )
            )
        )
        stoppers.append(gateway.stop)
        auditor = loop.run(
            start_auditor(
                AuditorSettings(
                    data_dir=data / "auditor",
                    federation=federation.address,
                    gateway=gateway.address,
                    accounts={},
                    pod_accounts={pod_id: "main" for pod_id in PODS},
                    listen="127.0.0.1:0",
                    admin_token=ADMIN_TOKEN,
                    auditor_token=AUDITOR_TOKEN,  # it reads the others as an auditor
                    auditor_tokens=AUDITORS,
                    viewer_tokens=VIEWERS,
                    policy=AuditPolicy(default_action=Action.OBSERVE),
                    interval_s=3600.0,
                    paper_accounts=("main",),
                    lake=lake.address,
                )
            )
        )
        stoppers.append(auditor.stop)
        optimizer = loop.run(
            start_optimizer(
                OptimizerSettings(
                    data_dir=data / "optimizer",
                    federation=federation.address,
                    lake=lake.address,
                    listen="127.0.0.1:0",
                    admin_token=ADMIN_TOKEN,
                    auditor_tokens=AUDITORS,
                    viewer_tokens=VIEWERS,
                    policy=OptimizerPolicy(total_capital_usd=200_000.0, btc_symbol="BTC/USD"),
                    pod_symbols={"alpha": ("BTC/USD",), "beta": ("ETH/USD",)},
                )
            )
        )
        stoppers.append(optimizer.stop)
        analytics = loop.run(
            start_analytics(
                AnalyticsSettings(
                    data_dir=data / "analytics",
                    federation=federation.address,
                    gateway=gateway.address,
                    listen="127.0.0.1:0",
                    lake=lake.address,
                    admin_token=ADMIN_TOKEN,
                    auditor_tokens=AUDITORS,
                    viewer_tokens=VIEWERS,
                )
            )
        )
        stoppers.append(analytics.stop)
        orchestrator = loop.run(
            start_orchestrator(
                OrchestratorSettings(
                    data_dir=data / "orchestrator",
                    federation=federation.address,
                    optimizer=optimizer.address,
                    analytics=analytics.address,
                    auditor=auditor.address,
                    listen="127.0.0.1:0",
                    admin_token=ADMIN_TOKEN,
                    auditor_tokens=AUDITORS,
                    viewer_tokens=VIEWERS,
                )
            )
        )
        stoppers.append(orchestrator.stop)
        yield Served(
            {
                "slipstream.v1.FederationService": federation.address,
                "slipstream.v1.ConstitutionService": pod.server.address,
                "slipstream.v1.DataLakeService": lake.address,
                "slipstream.v1.VolatilityService": lake.address,
                "slipstream.v1.GatewayService": gateway.address,
                "slipstream.v1.AuditorService": auditor.address,
                "slipstream.v1.OptimizerService": optimizer.address,
                "slipstream.v1.AnalyticsService": analytics.address,
                "slipstream.v1.OrchestratorService": orchestrator.address,
            },
            pod.server.address,
        )
    finally:
        for stop in reversed(stoppers):
            loop.run(stop())
