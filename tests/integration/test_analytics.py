"""Post-trade analytics end to end: a pod trading on the gateway's paper venue, its reports through gRPC
and the CLI, the lifecycle's permissions and errors; and the residual report over hand-written sources."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import grpc
import numpy as np
import pandas as pd
import pytest
from conftest import ADMIN_TOKEN, POD_TOKENS, READER_TOKEN, Cluster
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_health.v1 import health_pb2, health_pb2_grpc
from slipstream_api.v1 import analytics_pb2 as pb
from slipstream_api.v1 import analytics_pb2_grpc, common_pb2, gateway_pb2, gateway_pb2_grpc
from support import LoopThread, TargetStrategy, eventually, field_violation

from slipstream.analytics.server import AnalyticsSettings, start_analytics
from slipstream.analytics.service import AnalyticsService, AnalyticsSources
from slipstream.analytics.servicer import AnalyticsServicer
from slipstream.analytics.store import LifecycleStore
from slipstream.core.clock import ManualClock
from slipstream.core.model import ExecutionIntent
from slipstream.demo.processes import ServiceProcess, python_module
from slipstream.gateway.server import GatewaySettings, PaperAccountSettings, PodAccess, RunningGateway, start_gateway
from slipstream.pod.gateway_book import GatewayBook, GatewayMarket
from slipstream.pod.runner import register, start_pod
from slipstream.pod.runtime import PodRuntime
from slipstream.transport import auth
from slipstream.transport.server import RunningServer, Service, start_server

ADMIN = auth.bearer_metadata(ADMIN_TOKEN)
READER = auth.bearer_metadata(READER_TOKEN)


@dataclass
class Trading:
    cluster: Cluster
    gateway: RunningGateway
    fills: list[gateway_pb2.Fill]


@pytest.fixture
def trading(cluster: Cluster, tmp_path: Path) -> Iterator[Trading]:
    """The federation, the gateway on its paper venue, and pod alpha holding BTC bought with market orders."""
    gateway = cluster.loop.run(
        start_gateway(
            GatewaySettings(
                data_dir=tmp_path / "gateway",
                pods={"alpha": PodAccess(POD_TOKENS["alpha"], "paper")},
                paper_accounts={"paper": PaperAccountSettings({"BTC/USDT": Decimal(50_000)}, walk_interval_s=None)},
                listen="127.0.0.1:0",
                admin_token=ADMIN_TOKEN,
                federation=cluster.address,
            )
        )
    )
    try:
        strategy, token = TargetStrategy(), POD_TOKENS["alpha"]
        strategy.tick_interval_seconds = 0.25
        runtime = PodRuntime(
            "alpha",
            strategy,
            GatewayMarket(gateway.address, token, strategy.symbols),
            account=GatewayBook(gateway.address, token),
        )
        pod = cluster.loop.run(start_pod(runtime, token))
        cluster.pods.append(pod)
        cluster.loop.run(register(runtime, token, cluster.address, pod.server.address, 10.0))
        with grpc.insecure_channel(gateway.address) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)

            def settled() -> list[gateway_pb2.Fill]:
                # At a fixed price the pod trades once to its target and then holds: nothing open, fills in.
                working = stub.ListOrders(gateway_pb2.ListOrdersRequest(pod_id="alpha", open_only=True), metadata=ADMIN)
                done = stub.ListFills(gateway_pb2.ListFillsRequest(pod_id="alpha"), metadata=ADMIN).fills
                return [] if working.orders else list(done)

            fills = eventually(settled, timeout_s=20)
        yield Trading(cluster, gateway, fills)
    finally:
        cluster.loop.run(gateway.stop())


def settings(data_dir: Path, trading: Trading) -> AnalyticsSettings:
    return AnalyticsSettings(
        data_dir=data_dir,
        federation=trading.cluster.address,
        gateway=trading.gateway.address,
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,
        viewer_tokens={"research": READER_TOKEN},
    )


def code_of(call: Callable[[], object]) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as failed:
        call()
    return failed.value.code()  # type: ignore[no-any-return]


def test_a_pod_trading_on_paper_gets_its_reports_and_a_lifecycle_through_grpc(trading: Trading, tmp_path: Path) -> None:
    analytics = trading.cluster.loop.run(start_analytics(settings(tmp_path / "analytics", trading)))
    channel = grpc.insecure_channel(analytics.address)
    try:
        stub = analytics_pb2_grpc.AnalyticsServiceStub(channel)

        report = stub.GetShortfallReport(pb.GetShortfallReportRequest(pod_id="alpha"), metadata=READER)
        mix = stub.GetFillRatioReport(pb.GetFillRatioReportRequest(pod_id="alpha"), metadata=READER)
        costliest = stub.ListHighShortfallOrders(
            pb.ListHighShortfallOrdersRequest(pod_id="alpha", min_cost_bps=-1e6), metadata=ADMIN
        ).orders

        total = report.total
        assert report.pod_id == "alpha" and total.order_count >= 1
        assert sum(q.order_count for q in report.qualities) == total.order_count
        assert total.total_cost_usd == pytest.approx(
            total.execution_cost_usd + total.opportunity_cost_usd + total.fees_usd
        )
        assert total.fees_usd == pytest.approx(sum(float(f.fee_usd) for f in trading.fills), rel=1e-9)
        assert report.review_threshold_bps == 15.0 and "too little to judge" in report.review_reason
        assert {g.symbol for g in report.groups} == {"BTC/USDT"}
        assert len(costliest) == total.order_count and costliest[0].client_order_id
        assert mix.declared_intent == common_pb2.EXECUTION_INTENT_TAKER
        traded = sum(float(f.quantity) * float(f.price) for f in trading.fills)
        assert mix.total.fill_count == len(trading.fills)
        assert mix.total.taker_notional_usd == pytest.approx(traded) and mix.total.taker_share == 1.0
        assert not mix.process_failure

        bad = pb.ReportWindow(start_time=Timestamp(seconds=1_800_000_000), end_time=Timestamp(seconds=1_700_000_000))
        with pytest.raises(grpc.RpcError) as refused:
            stub.GetShortfallReport(pb.GetShortfallReportRequest(pod_id="alpha", window=bad), metadata=ADMIN)
        assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert field_violation(refused.value)[0] == "window.end_time"
        unknown = pb.GetFillRatioReportRequest(pod_id="ghost")
        assert code_of(lambda: stub.GetFillRatioReport(unknown, metadata=ADMIN)) is grpc.StatusCode.NOT_FOUND
        short = pb.GetResidualReportRequest(pod_id="alpha")
        assert code_of(lambda: stub.GetResidualReport(short, metadata=ADMIN)) is grpc.StatusCode.FAILED_PRECONDITION
        anonymous = pb.ListLifecyclesRequest()
        assert code_of(lambda: stub.ListLifecycles(anonymous)) is grpc.StatusCode.UNAUTHENTICATED

        evaluate = pb.EvaluateLifecyclesRequest(requested_by="test")
        force = pb.OverrideLifecycleStageRequest(
            pod_id="alpha", stage=common_pb2.LIFECYCLE_STAGE_EVALUATION, requested_by="alice", reason="proven"
        )
        lift = pb.LiftLifecycleOverrideRequest(pod_id="alpha", requested_by="alice", reason="done")
        for call in (
            lambda: stub.EvaluateLifecycles(evaluate, metadata=READER),
            lambda: stub.OverrideLifecycleStage(force, metadata=READER),
            lambda: stub.LiftLifecycleOverride(lift, metadata=READER),
        ):
            assert code_of(call) is grpc.StatusCode.PERMISSION_DENIED
        unset = pb.OverrideLifecycleStageRequest(pod_id="alpha", requested_by="alice", reason="proven")
        with pytest.raises(grpc.RpcError) as unspecified:
            stub.OverrideLifecycleStage(unset, metadata=ADMIN)
        assert field_violation(unspecified.value)[0] == "stage"

        evaluated = stub.EvaluateLifecycles(evaluate, metadata=ADMIN)
        forced = stub.OverrideLifecycleStage(force, metadata=ADMIN).transition
        (held,) = stub.ListLifecycles(pb.ListLifecyclesRequest(pod_id="alpha"), metadata=READER).lifecycles
        lifted = stub.LiftLifecycleOverride(lift, metadata=ADMIN).transition
        history = stub.GetLifecycleHistory(pb.GetLifecycleHistoryRequest(pod_id="alpha"), metadata=READER)

        (alpha,) = [p for p in evaluated.lifecycles if p.pod_id == "alpha"]
        assert alpha.stage == common_pb2.LIFECYCLE_STAGE_INCUBATION and evaluated.transitions == []
        assert alpha.max_capital_fraction == 0.005 and alpha.max_capital_usd == 25_000.0
        assert forced.kind == pb.LIFECYCLE_TRANSITION_KIND_OVERRIDE and forced.actor == "alice"
        assert held.overridden and held.stage == common_pb2.LIFECYCLE_STAGE_EVALUATION
        assert lifted.kind == pb.LIFECYCLE_TRANSITION_KIND_OVERRIDE_LIFTED
        assert [t.kind for t in history.transitions] == [forced.kind, lifted.kind]

        health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""))
        assert health.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        channel.close()
        trading.cluster.loop.run(analytics.stop())


def slipstream(*args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "slipstream.cli.main", "--token", ADMIN_TOKEN, *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env={"COLUMNS": "200", "PATH": ""})


def test_the_served_process_and_the_cli(trading: Trading, tmp_path: Path) -> None:
    config = tmp_path / "analytics.toml"
    config.write_text(
        f'federation = "{trading.cluster.address}"\ngateway = "{trading.gateway.address}"\n'
        f'admin_token = "{ADMIN_TOKEN}"\n[review]\nmin_order_count = 1\nmin_paper_notional_usd = 0\n'
    )
    served = ServiceProcess(
        "analytics",
        python_module(
            "slipstream.cli.main",
            "--data-dir",
            str(tmp_path / "analytics"),
            "serve",
            "analytics",
            "--config",
            str(config),
            "--listen",
            "127.0.0.1:0",
        ),
    )
    try:
        address = served.wait_address()

        shortfall = slipstream("analytics", "shortfall", "alpha", "--analytics", address)
        lifecycle = slipstream("lifecycle", "alpha", "--evaluate", "--analytics", address)
        missing = slipstream("analytics", "fills", "ghost", "--analytics", address)

        assert shortfall.returncode == 0, shortfall.stderr
        assert "alpha: " in shortfall.stdout and "BTC/USDT" in shortfall.stdout
        # The file's review policy judges even one order.
        assert "shortfall" in shortfall.stdout and "within 15 bps" in shortfall.stdout
        assert lifecycle.returncode == 0, lifecycle.stderr
        assert "incubation" in lifecycle.stdout and "History of alpha" in lifecycle.stdout
        assert missing.returncode == 1 and "NOT_FOUND" in missing.stderr
        assert served.running
    finally:
        served.stop()
    refused = slipstream("--data-dir", str(tmp_path), "serve", "analytics", "--config", str(tmp_path / "none.toml"))
    assert refused.returncode == 2 and "configuration error" in refused.stderr


FIRST_DAY = datetime(2026, 1, 1, tzinfo=timezone.utc)
DAYS = 120


class LeveredWorld:
    """One pod that is two times BTC plus noise, a daily snapshot each, and the market it rides."""

    def __init__(self) -> None:
        rng = np.random.default_rng(3)
        btc = rng.normal(0.002, 0.03, DAYS)
        self.factors = pd.DataFrame(
            {"BTC/USD": btc, "ETH/USD": 0.9 * btc + rng.normal(0.0, 0.02, DAYS)},
            index=pd.date_range(FIRST_DAY, periods=DAYS, freq="D"),
        )
        navs = 100_000.0 * (1.0 + np.concatenate([[0.0], np.cumsum(2 * btc[1:] + rng.normal(0.0, 0.005, DAYS - 1))]))
        self.snapshots = pd.DataFrame(
            {
                "pod_id": "levered",
                "observe_time": [FIRST_DAY + timedelta(days=day, hours=23) for day in range(DAYS)],
                "nav_usd": navs,
                "capital_allocation_usd": 100_000.0,
            }
        )

    def sources(self) -> AnalyticsSources:
        return AnalyticsSources(
            intents=lambda: {"levered": ExecutionIntent.TAKER},
            orders=lambda pod_id: [],
            fills=lambda pod_id: [],
            end_prices=lambda pod_id: {},
            pod_snapshots=lambda pod_ids: self.snapshots[self.snapshots["pod_id"].isin(list(pod_ids))],
            factor_returns=lambda as_of: self.factors,
        )


def serve_world(loop: LoopThread, data_dir: Path, sources: AnalyticsSources) -> tuple[RunningServer, AnalyticsService]:
    service = AnalyticsService(sources, LifecycleStore(data_dir), ManualClock(FIRST_DAY + timedelta(days=DAYS)))
    servicer = AnalyticsServicer(service)
    register = analytics_pb2_grpc.add_AnalyticsServiceServicer_to_server
    tokens = auth.Tokens(ADMIN_TOKEN, viewers={"research": READER_TOKEN})
    services = [Service(servicer, register, "slipstream.v1.AnalyticsService")]
    server = loop.run(start_server(services, "127.0.0.1:0", tokens=tokens))
    return server, service


def test_the_residual_report_and_the_lifecycle_evidence_over_grpc(loop_thread: LoopThread, tmp_path: Path) -> None:
    server, service = serve_world(loop_thread, tmp_path, LeveredWorld().sources())
    channel = grpc.insecure_channel(server.address)
    try:
        stub = analytics_pb2_grpc.AnalyticsServiceStub(channel)
        window = pb.ReportWindow(start_time=Timestamp(seconds=int(FIRST_DAY.timestamp())))

        report = stub.GetResidualReport(
            pb.GetResidualReportRequest(pod_id="levered", window=window, rolling_window_days=30), metadata=READER
        )
        evaluated = stub.EvaluateLifecycles(pb.EvaluateLifecyclesRequest(requested_by="schedule"), metadata=ADMIN)
        too_small = pb.GetResidualReportRequest(pod_id="levered", rolling_window_days=2)
        with pytest.raises(grpc.RpcError) as refused:
            stub.GetResidualReport(too_small, metadata=READER)

        assert report.observation_count == DAYS - 1 and report.hac_lag_count == 4
        assert [loading.name for loading in report.loadings] == ["alpha", "BTC/USD", "ETH/USD"]
        assert report.loadings[1].coefficient == pytest.approx(2.0, abs=0.1)
        assert len(report.rolling_betas) == DAYS - 30 and report.rolling_betas[-1].btc_beta == pytest.approx(2, abs=0.3)
        assert report.beta_pnl_usd + report.alpha_pnl_usd == pytest.approx(report.total_pnl_usd)
        assert report.fake_alpha and "leveraged index fund" in report.fake_alpha_reason
        (retired,) = evaluated.transitions
        assert retired.kind == pb.LIFECYCLE_TRANSITION_KIND_RETIREMENT
        assert retired.to_stage == common_pb2.LIFECYCLE_STAGE_RETIREMENT and retired.actor == "lifecycle"
        assert retired.metrics.observation_count == DAYS - 1 and 0.0 <= retired.metrics.recent_psr <= 1.0
        assert field_violation(refused.value)[0] == "rolling_window_days"
    finally:
        channel.close()
        loop_thread.run(server.stop())
        service.store.close()
