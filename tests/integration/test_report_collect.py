"""`collect` against real in-process services: the federation and its pods alone; services that do not
answer; a pod trading through the gateway with the optimizer over the lake's bundled history and
analytics; and, for what needs months of history (the covariance, the residual fit, lifecycle moves),
the real optimizer and analytics cores over hand-written sources, with a hand-written auditor."""

from __future__ import annotations

import argparse
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import grpc
import numpy as np
import pandas as pd
import pytest
from conftest import ADMIN_TOKEN, POD_TOKENS, Cluster
from google.protobuf.timestamp_pb2 import Timestamp
from slipstream_api.v1 import (
    analytics_pb2,
    analytics_pb2_grpc,
    auditor_pb2,
    auditor_pb2_grpc,
    gateway_pb2,
    gateway_pb2_grpc,
    optimizer_pb2,
    optimizer_pb2_grpc,
)
from support import TargetStrategy, eventually

from slipstream.analytics.server import AnalyticsSettings, RunningAnalytics, start_analytics
from slipstream.analytics.service import AnalyticsService, AnalyticsSources
from slipstream.analytics.servicer import AnalyticsServicer
from slipstream.analytics.store import LifecycleStore
from slipstream.cli import report as report_cli
from slipstream.core.clock import ManualClock
from slipstream.core.model import ExecutionIntent, HaltReason, PodLimits
from slipstream.datalake.client import LakeClient
from slipstream.datalake.files import read_bars
from slipstream.datalake.frames import MS, timeframe_ms
from slipstream.datalake.server import LakeSettings, start_lake
from slipstream.gateway.server import GatewaySettings, PaperAccountSettings, PodAccess, RunningGateway, start_gateway
from slipstream.optimizer.server import OptimizerSettings, start_optimizer
from slipstream.optimizer.service import MarketView, Optimizer, OptimizerPolicy, OptimizerSources, PodView
from slipstream.optimizer.servicer import OptimizerServicer
from slipstream.optimizer.store import OptimizerStore
from slipstream.pod.gateway_book import GatewayBook, GatewayMarket
from slipstream.pod.runner import register, start_pod
from slipstream.pod.runtime import PodRuntime
from slipstream.report import collect, model, render
from slipstream.transport import auth
from slipstream.transport.server import RunningServer, Service, start_server

ADMIN = auth.bearer_metadata(ADMIN_TOKEN)
DAILY = (
    Path(__file__).resolve().parents[2] / "slipstream" / "datalake" / "samples" / "bitstamp_BTC_ETH_LTC_USD_daily.csv"
)


def empty_charts(page: str) -> set[str]:
    return set(re.findall(r'<figure data-chart="(\w+)" id="chart-\w+" data-empty="true">', page))


def wait_for_snapshots(cluster: Cluster, *pods: str) -> None:
    with cluster.admin() as admin:
        eventually(lambda: all(len(admin.snapshots(pod)) >= 2 for pod in pods))


def test_with_only_the_federation_the_report_has_equity_curves_and_says_why_the_rest_is_empty(
    cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for pod in ("alpha", "beta"):
        cluster.start_pod(pod)
    wait_for_snapshots(cluster, "alpha", "beta")
    with cluster.admin() as admin:
        admin.halt("beta", HaltReason.MANUAL, "tester", "checking the report")
        eventually(lambda: admin.get_pod("beta").last_status.HasField("halt"))
        before = {pod: [float(s.nav_usd) for s in admin.snapshots(pod)] for pod in ("alpha", "beta")}

    data = collect.collect(collect.Sources(cluster.address, ADMIN_TOKEN))

    assert sorted(data.equity) == ["alpha", "beta"]
    for pod, navs in before.items():
        series = data.equity[pod]
        assert series.index.tz is not None and series.index.is_monotonic_increasing
        assert series.iloc[: len(navs)].tolist() == navs
    assert data.allocations.empty and data.correlation_labels == () and not data.slippage
    assert not (data.attribution or data.shortfall or data.fill_mix or data.lifecycle)
    assert {chart: data.missing[chart] for chart in collect.OPTIMIZER_CHARTS + collect.ANALYTICS_CHARTS} == {
        **dict.fromkeys(collect.OPTIMIZER_CHARTS, "no optimizer address given"),
        **dict.fromkeys(collect.ANALYTICS_CHARTS, "no analytics address given"),
    }
    (halted,) = data.alerts
    assert (halted.source, halted.pod_id, halted.severity) == ("federation", "beta", "critical")
    assert halted.text == "halted (manual) by tester: checking the report" and halted.time is not None
    assert empty_charts(render.render_html(data)) == set(model.CHARTS) - {"equity"}

    # The command writes the same report and says which charts are empty and why.
    out = tmp_path / "report.html"
    args = argparse.Namespace(
        federation=cluster.address,
        token=ADMIN_TOKEN,
        data_dir=str(tmp_path),
        out=str(out),
        optimizer="",
        analytics="",
        auditor="",
    )
    assert report_cli.cmd_report(args) == 0
    printed = capsys.readouterr()
    assert f"wrote {out}: 1 of {len(model.CHARTS)} charts with data" in printed.out
    assert "  correlation: no data: no optimizer address given" in printed.err
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and empty_charts(page) == set(model.CHARTS) - {"equity"}


def test_the_command_reads_its_addresses_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLIPSTREAM_OPTIMIZER", "10.0.0.1:1")
    monkeypatch.delenv("SLIPSTREAM_ANALYTICS", raising=False)
    parser = argparse.ArgumentParser()
    report_cli.add_commands(parser.add_subparsers(dest="command"))

    args = parser.parse_args(["report", "--auditor", ""])

    assert (args.out, args.optimizer, args.analytics, args.auditor) == (
        "report.html",
        "10.0.0.1:1",
        "127.0.0.1:50056",
        "",
    )
    assert args.func is report_cli.cmd_report


def test_services_that_do_not_answer_become_notes_and_the_report_is_still_written(cluster: Cluster) -> None:
    cluster.start_pod("alpha")
    wait_for_snapshots(cluster, "alpha")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = f"127.0.0.1:{probe.getsockname()[1]}"

    data = collect.collect(collect.Sources(cluster.address, ADMIN_TOKEN, nobody, nobody, nobody, timeout_s=5))

    assert list(data.equity) == ["alpha"]
    for chart in collect.OPTIMIZER_CHARTS:
        assert data.missing[chart].startswith(f"optimizer at {nobody} not read: UNAVAILABLE"), data.missing[chart]
    for chart in collect.ANALYTICS_CHARTS:
        assert data.missing[chart].startswith(f"analytics at {nobody} not read: UNAVAILABLE"), data.missing[chart]
    (silent,) = data.alerts
    assert silent.source == "report" and silent.text.startswith(f"auditor at {nobody} not read: UNAVAILABLE")
    assert empty_charts(render.render_html(data)) == set(model.CHARTS) - {"equity"}


# ------------------------------------------------------------------------------ a pod trading through the gateway


@dataclass
class Desk:
    cluster: Cluster
    gateway: RunningGateway
    fills: list[gateway_pb2.Fill]


@pytest.fixture
def desk(cluster: Cluster, tmp_path: Path) -> Iterator[Desk]:
    """The federation, the gateway's paper venue, and pod alpha holding BTC bought with market orders."""
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
        market = GatewayMarket(gateway.address, token, strategy.symbols)
        runtime = PodRuntime("alpha", strategy, market, account=GatewayBook(gateway.address, token))
        pod = cluster.loop.run(start_pod(runtime, token))
        cluster.pods.append(pod)
        cluster.loop.run(register(runtime, token, cluster.address, pod.server.address, 10.0))
        with grpc.insecure_channel(gateway.address) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)

            def settled() -> list[gateway_pb2.Fill]:
                working = stub.ListOrders(gateway_pb2.ListOrdersRequest(pod_id="alpha", open_only=True), metadata=ADMIN)
                done = stub.ListFills(gateway_pb2.ListFillsRequest(pod_id="alpha"), metadata=ADMIN).fills
                return [] if working.orders else list(done)

            fills = eventually(settled, timeout_s=20)
        yield Desk(cluster, gateway, fills)
    finally:
        cluster.loop.run(gateway.stop())


def test_a_pod_trading_through_the_gateway_fills_the_execution_allocation_and_liquidity_charts(
    desk: Desk, tmp_path: Path
) -> None:
    loop = desk.cluster.loop
    lake = loop.run(start_lake(LakeSettings(tmp_path / "lake", "127.0.0.1:0", ADMIN_TOKEN)))
    with LakeClient(lake.address, ADMIN_TOKEN) as client:
        for series in read_bars(DAILY):
            known = (series.bars.open_time_ms + timeframe_ms(series.timeframe)) * MS
            client.write_bars(series.symbol, series.timeframe, replace(series.bars, knowledge_time_ns=known))
        eventually(lambda: {f.symbol for f in client.forecasts([])} >= {"BTC/USD"}, timeout_s=30)
    optimizer = loop.run(
        start_optimizer(
            OptimizerSettings(
                data_dir=tmp_path / "optimizer",
                federation=desk.cluster.address,
                lake=lake.address,
                listen="127.0.0.1:0",
                admin_token=ADMIN_TOKEN,
                policy=OptimizerPolicy(total_capital_usd=200_000.0, btc_symbol="BTC/USD"),
                pod_symbols={"alpha": ("BTC/USD",)},
            )
        )
    )
    analytics: RunningAnalytics = loop.run(
        start_analytics(
            AnalyticsSettings(
                data_dir=tmp_path / "analytics",
                federation=desk.cluster.address,
                gateway=desk.gateway.address,
                listen="127.0.0.1:0",
                admin_token=ADMIN_TOKEN,
            )
        )
    )
    try:
        with grpc.insecure_channel(optimizer.address) as o, grpc.insecure_channel(analytics.address) as a:
            optimizer_stub = optimizer_pb2_grpc.OptimizerServiceStub(o)
            analytics_stub = analytics_pb2_grpc.AnalyticsServiceStub(a)
            apply = optimizer_pb2.RunCycleRequest(mode=optimizer_pb2.CYCLE_MODE_APPLY, requested_by="test")
            cycle = optimizer_stub.RunCycle(apply, metadata=ADMIN, timeout=60).allocation
            evaluate = analytics_pb2.EvaluateLifecyclesRequest(requested_by="test")
            analytics_stub.EvaluateLifecycles(evaluate, metadata=ADMIN, timeout=30)

            data = collect.collect(
                collect.Sources(desk.cluster.address, ADMIN_TOKEN, optimizer.address, analytics.address)
            )

            capacity = optimizer_stub.GetCapacity(
                optimizer_pb2.GetCapacityRequest(symbol="BTC/USD"), metadata=ADMIN, timeout=30
            )
            shortfall = analytics_stub.GetShortfallReport(
                analytics_pb2.GetShortfallReportRequest(pod_id="alpha"), metadata=ADMIN, timeout=30
            )
    finally:
        loop.run(analytics.stop())
        loop.run(optimizer.stop())
        loop.run(lake.stop())

    (capital,) = [float(p.capital_usd) for p in cycle.pods if p.pod_id == "alpha"]
    assert data.allocations.columns.tolist() == ["alpha"] and data.allocations["alpha"].tolist() == [capital]
    assert data.allocations.index[0] == cycle.cycle_time.ToDatetime(tzinfo=timezone.utc)
    assert data.correlation_labels == () and "FAILED_PRECONDITION" in data.missing["correlation"]
    # BTC/USD from the optimizer's caps; BTC/USDT, which alpha holds, has no daily history in the lake.
    (curve,) = data.slippage
    assert curve.symbol == "BTC/USD" and curve.capacity_usd == capacity.capacity_usd > 0
    assert curve.points == tuple((p.order_notional_usd, p.expected_slippage_bps) for p in capacity.surface)
    (cost,) = data.shortfall
    assert (cost.pod_id, cost.total_cost_bps, cost.total_cost_usd) == (
        "alpha",
        shortfall.total.total_cost_bps,
        shortfall.total.total_cost_usd,
    )
    assert sum(cost.order_count_by_grade.values()) == shortfall.total.order_count >= 1
    assert data.shortfall_review_bps == 15.0
    (mix,) = data.fill_mix
    traded = sum(float(f.quantity) * float(f.price) for f in desk.fills)
    assert (mix.pod_id, mix.declared_intent, mix.taker_share, mix.maker_share) == ("alpha", "taker", 1.0, 0.0)
    assert mix.fill_count == len(desk.fills) and mix.notional_usd == pytest.approx(traded)
    assert not data.attribution and "residual" in data.missing["attribution"]
    (span,) = data.lifecycle
    assert (span.pod_id, span.stage, span.end) == ("alpha", "incubation", None)
    assert empty_charts(render.render_html(data)) == {"correlation", "attribution"}


# --------------------------------------------------------------------------------------- months of history


END = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
DAYS = 150


class History:
    """Alpha is twice BTC plus noise (fake alpha: analytics retires it), beta earns on its own; both
    snapshot daily for DAYS days up to END, and the market they ride."""

    def __init__(self) -> None:
        rng = np.random.default_rng(5)
        days = pd.date_range(END - timedelta(days=DAYS), periods=DAYS, freq="D")
        btc = rng.normal(0.006, 0.03, DAYS)
        self.factors = pd.DataFrame({"BTC/USD": btc, "ETH/USD": 0.9 * btc + rng.normal(0.0, 0.02, DAYS)}, index=days)
        rows = []
        for pod, daily in (("alpha", 2 * btc + rng.normal(0.0, 0.005, DAYS)), ("beta", rng.normal(0.003, 0.01, DAYS))):
            navs = 100_000.0 * (1.0 + np.concatenate([[0.0], np.cumsum(daily[1:])]))
            rows += [(pod, day + timedelta(hours=23), nav, 100_000.0) for day, nav in zip(days, navs, strict=True)]
        self.snapshots = pd.DataFrame(rows, columns=["pod_id", "observe_time", "nav_usd", "capital_allocation_usd"])
        self.market = MarketView(
            returns=self.factors,
            prices={"BTC/USD": 60_000.0, "ETH/USD": 3_000.0},
            forecasts={"BTC/USD": 0.5, "ETH/USD": 0.7},
            daily_volume_usd={"BTC/USD": 2e10, "ETH/USD": 8e9},
        )

    def optimizer(self, store: OptimizerStore) -> Optimizer:
        limits = PodLimits(capital_allocation_usd=Decimal(100_000))
        pods = [PodView("alpha", limits, ("BTC/USD",)), PodView("beta", limits, ("ETH/USD",))]
        sources = OptimizerSources(
            pods=lambda: pods,
            snapshots=lambda: self.snapshots,
            markets=lambda symbols: self.market,
            push=lambda pod_id, limits, actor: (True, ""),
        )
        policy = OptimizerPolicy(total_capital_usd=300_000.0, btc_symbol="BTC/USD", min_observations=30)
        return Optimizer(sources, policy, store, ManualClock(END))

    def analytics(self, store: LifecycleStore) -> AnalyticsService:
        sources = AnalyticsSources(
            intents=lambda: {"alpha": ExecutionIntent.TAKER, "beta": ExecutionIntent.MAKER},
            orders=lambda pod_id: [],
            fills=lambda pod_id: [],
            end_prices=lambda pod_id: {},
            pod_snapshots=lambda pod_ids: self.snapshots[self.snapshots["pod_id"].isin(list(pod_ids))],
            factor_returns=lambda as_of: self.factors,
        )
        return AnalyticsService(sources, store, ManualClock(END))


class HandWrittenAuditor(auditor_pb2_grpc.AuditorServiceServicer):
    """Answers ListDiscrepancies with one open, critical under-report of beta's."""

    async def ListDiscrepancies(
        self, request: auditor_pb2.ListDiscrepanciesRequest, context: grpc.aio.ServicerContext
    ) -> auditor_pb2.ListDiscrepanciesResponse:
        found = auditor_pb2.Discrepancy(
            discrepancy_id="under/paper/beta/BTC/USDT",
            kind=auditor_pb2.DISCREPANCY_KIND_UNDER_REPORTED,
            account="paper",
            pod_id="beta",
            symbol="BTC/USDT",
            expected_quantity="1.0",
            observed_quantity="0.5",
            difference_usd="30000",
            severity=auditor_pb2.SEVERITY_CRITICAL,
            consecutive_audit_count=3,
            last_seen_time=Timestamp(seconds=int(END.timestamp())),
            halt_requested=True,
        )
        return auditor_pb2.ListDiscrepanciesResponse(discrepancies=[found])


def test_months_of_history_give_the_heatmap_the_attribution_and_lifecycle_moves(
    cluster: Cluster, tmp_path: Path
) -> None:
    for pod in ("alpha", "beta"):
        cluster.start_pod(pod)
    wait_for_snapshots(cluster, "alpha", "beta")
    history = History()
    optimizer_store, lifecycle_store = OptimizerStore(tmp_path / "optimizer"), LifecycleStore(tmp_path / "analytics")
    services = [
        Service(
            OptimizerServicer(history.optimizer(optimizer_store), optimizer_store),
            optimizer_pb2_grpc.add_OptimizerServiceServicer_to_server,
            "slipstream.v1.OptimizerService",
        ),
        Service(
            AnalyticsServicer(history.analytics(lifecycle_store)),
            analytics_pb2_grpc.add_AnalyticsServiceServicer_to_server,
            "slipstream.v1.AnalyticsService",
        ),
        Service(
            HandWrittenAuditor(), auditor_pb2_grpc.add_AuditorServiceServicer_to_server, "slipstream.v1.AuditorService"
        ),
    ]
    server: RunningServer = cluster.loop.run(start_server(services, "127.0.0.1:0", tokens=auth.Tokens(ADMIN_TOKEN)))
    try:
        with grpc.insecure_channel(server.address) as channel:
            optimizer_stub = optimizer_pb2_grpc.OptimizerServiceStub(channel)
            for mode in (optimizer_pb2.CYCLE_MODE_APPLY, optimizer_pb2.CYCLE_MODE_OBSERVE):
                cycle = optimizer_pb2.RunCycleRequest(mode=mode, requested_by="test")
                optimizer_stub.RunCycle(cycle, metadata=ADMIN, timeout=60)
            evaluate = analytics_pb2.EvaluateLifecyclesRequest(requested_by="test")
            analytics_pb2_grpc.AnalyticsServiceStub(channel).EvaluateLifecycles(evaluate, metadata=ADMIN, timeout=30)

            data = collect.collect(
                collect.Sources(cluster.address, ADMIN_TOKEN, server.address, server.address, server.address)
            )

            covariance = optimizer_stub.GetCovariance(optimizer_pb2.GetCovarianceRequest(), metadata=ADMIN)
            residual = analytics_pb2_grpc.AnalyticsServiceStub(channel).GetResidualReport(
                analytics_pb2.GetResidualReportRequest(pod_id="alpha"), metadata=ADMIN
            )
    finally:
        cluster.loop.run(server.stop())
        optimizer_store.close()

    assert data.correlation_labels == ("alpha", "beta") == tuple(covariance.pod_ids)
    np.testing.assert_array_equal(data.correlation, np.reshape(covariance.correlation, (2, 2)))
    # The observe-only cycle granted nothing and is left out.
    assert len(data.allocations) == 1 and sorted(data.allocations.columns) == ["alpha", "beta"]
    assert [c.symbol for c in data.slippage] == ["BTC/USD", "ETH/USD"]
    attribution = {a.pod_id: a for a in data.attribution}
    assert attribution["alpha"].fake_alpha and not attribution["beta"].fake_alpha
    assert attribution["alpha"].alpha_pnl_usd == residual.alpha_pnl_usd
    assert attribution["alpha"].beta_pnl_usd == residual.beta_pnl_usd
    retired = [span for span in data.lifecycle if span.pod_id == "alpha"]
    assert [(span.stage, span.start, span.end) for span in retired] == [("retirement", END, None)]
    assert retired[0].reason.startswith("retirement by lifecycle: ")
    alerts = [a for a in data.alerts if a.source == "auditor"]
    assert [(a.pod_id, a.severity, a.time) for a in alerts] == [("beta", "critical", END)]
    assert alerts[0].text == (
        "under reported BTC/USDT on paper: expected 1.0, observed 0.5 (30000 USD), 3 audits, halt requested"
    )
    # No order went through a gateway: the execution charts alone are empty.
    assert empty_charts(render.render_html(data)) == {"shortfall", "grades", "fills"}
