"""The optimizer as a real gRPC service over a running federation, pods and data lake."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc
import numpy as np
import pytest
from conftest import ADMIN_TOKEN, POD_TOKENS, Cluster
from slipstream_api.v1 import optimizer_pb2, optimizer_pb2_grpc
from support import eventually, field_violation

from slipstream.datalake.client import LakeClient
from slipstream.datalake.files import read_bars
from slipstream.datalake.frames import MS, timeframe_ms
from slipstream.datalake.server import LakeSettings, RunningLake, start_lake
from slipstream.demo.processes import ServiceProcess, python_module
from slipstream.optimizer.covariance import ledoit_wolf
from slipstream.optimizer.server import OptimizerSettings, RunningOptimizer, start_optimizer
from slipstream.optimizer.service import OptimizerPolicy
from slipstream.optimizer.stress import portfolio_correlation
from slipstream.transport import auth

SAMPLES = Path(__file__).resolve().parents[2] / "slipstream" / "datalake" / "samples"
DAILY = SAMPLES / "bitstamp_BTC_ETH_LTC_USD_daily.csv"


@dataclass
class Centre:
    cluster: Cluster
    lake: RunningLake
    optimizer: RunningOptimizer

    def stub(self, token: str = ADMIN_TOKEN) -> tuple[Any, tuple[tuple[str, str], ...]]:
        channel = grpc.insecure_channel(self.optimizer.address)
        return optimizer_pb2_grpc.OptimizerServiceStub(channel), auth.bearer_metadata(token)


@pytest.fixture
def centre(cluster: Cluster, tmp_path: Path) -> Iterator[Centre]:
    lake = cluster.loop.run(start_lake(LakeSettings(tmp_path / "lake", "127.0.0.1:0", ADMIN_TOKEN)))
    with LakeClient(lake.address, ADMIN_TOKEN) as client:
        for series in read_bars(DAILY):
            known = (series.bars.open_time_ms + timeframe_ms(series.timeframe)) * MS
            client.write_bars(series.symbol, series.timeframe, replace(series.bars, knowledge_time_ns=known))
        eventually(lambda: {f.symbol for f in client.forecasts([])} >= {"BTC/USD", "ETH/USD"}, timeout_s=30)
    settings = OptimizerSettings(
        data_dir=tmp_path / "optimizer",
        federation=cluster.address,
        lake=lake.address,
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,
        policy=OptimizerPolicy(total_capital_usd=200_000.0, btc_symbol="BTC/USD"),
        pod_symbols={"alpha": ("BTC/USD",), "beta": ("ETH/USD", "LTC/USD")},
    )
    optimizer = cluster.loop.run(start_optimizer(settings))
    yield Centre(cluster, lake, optimizer)
    cluster.loop.run(optimizer.stop())
    cluster.loop.run(lake.stop())


def run_cycle(centre: Centre, mode: int) -> optimizer_pb2.Allocation:
    stub, metadata = centre.stub()
    request = optimizer_pb2.RunCycleRequest(mode=mode, requested_by="test")
    return stub.RunCycle(request, metadata=metadata, timeout=60).allocation


def test_observe_changes_nothing_and_apply_pushes_vol_standardised_limits_the_pods_report(centre: Centre) -> None:
    for pod in ("alpha", "beta"):
        centre.cluster.start_pod(pod)
    with centre.cluster.admin() as admin:
        eventually(lambda: all(admin.get_pod(p).last_status.config.config_version for p in ("alpha", "beta")))
        before = {p: admin.get_pod(p).desired_config.config_version for p in ("alpha", "beta")}

        observed = run_cycle(centre, optimizer_pb2.CYCLE_MODE_OBSERVE)
        assert observed.cycle_id == 1 and [p.pod_id for p in observed.pods] == ["alpha", "beta"]
        assert not any(p.delivered for p in observed.pods)
        assert {p: admin.get_pod(p).desired_config.config_version for p in ("alpha", "beta")} == before
        # Seconds of history: no pod has a daily return yet, so each keeps its capital and says why.
        alpha = observed.pods[0]
        assert alpha.observation_count == 0 and any("insufficient history" in r for r in alpha.reasons)
        (btc_cap,) = alpha.limits.symbol_limits
        assert btc_cap.symbol == "BTC/USD" and Decimal(btc_cap.max_position_notional_usd) > 0

        applied = run_cycle(centre, optimizer_pb2.CYCLE_MODE_APPLY)
        assert applied.cycle_id == 2 and all(p.delivered for p in applied.pods), applied
        for pod in applied.pods:
            reported = eventually(
                lambda pod=pod: (s := admin.get_pod(pod.pod_id).last_status.config.limits).symbol_limits and s
            )
            assert reported == pod.limits
            assert admin.get_pod(pod.pod_id).desired_config.config_version == before[pod.pod_id] + 1

    stub, metadata = centre.stub()
    latest = stub.GetAllocation(optimizer_pb2.GetAllocationRequest(), metadata=metadata).allocation
    assert latest == applied
    history = stub.ListAllocations(optimizer_pb2.ListAllocationsRequest(pod_id="alpha"), metadata=metadata)
    assert [a.cycle_id for a in history.allocations] == [2, 1]
    with pytest.raises(grpc.RpcError) as missing:
        stub.GetAllocation(optimizer_pb2.GetAllocationRequest(cycle_id=9), metadata=metadata)
    assert missing.value.code() is grpc.StatusCode.NOT_FOUND


def test_stress_test_on_demand_matches_a_direct_computation(centre: Centre) -> None:
    stub, metadata = centre.stub()

    def stress(*positions: tuple[str, str, str]) -> optimizer_pb2.StressTestResult:
        pods: dict[str, list[optimizer_pb2.ScenarioPosition]] = {}
        for pod_id, symbol, usd in positions:
            pods.setdefault(pod_id, []).append(optimizer_pb2.ScenarioPosition(symbol=symbol, notional_usd=usd))
        request = optimizer_pb2.RunStressTestRequest(
            pods=[optimizer_pb2.PodScenario(pod_id=p, positions=v) for p, v in pods.items()]
        )
        return stub.RunStressTest(request, metadata=metadata, timeout=30).result

    long_both = stress(("a", "BTC/USD", "1000000"), ("b", "ETH/USD", "1000000"))
    with LakeClient(centre.lake.address, ADMIN_TOKEN) as lake:
        closes = [lake.query_bars(s, "1d").close for s in ("BTC/USD", "ETH/USD")]
    days = min(len(c) for c in closes)
    returns = np.column_stack([np.diff(c[-days:]) / c[-days:][:-1] for c in closes])
    cov = ledoit_wolf(returns).covariance
    assert long_both.btc_correlation == pytest.approx(portfolio_correlation([1e6, 1e6], cov, 0), rel=1e-9)
    assert long_both.breached and long_both.btc_correlation > 0.8

    hedged = stress(("a", "BTC/USD", "1000000"), ("b", "ETH/USD", "-1000000"))
    assert not hedged.breached and not hedged.scalings


def test_capacity_follows_the_square_root_law(centre: Centre) -> None:
    stub, metadata = centre.stub()
    answer = stub.GetCapacity(
        optimizer_pb2.GetCapacityRequest(symbol="BTC/USD", impact_budget_bps=20), metadata=metadata, timeout=30
    )
    assert answer.impact_coefficient == 1.0 and answer.calibration_trade_count == 0
    expected = answer.daily_volume_usd * ((20 - answer.half_spread_bps) / (answer.daily_volatility * 1e4)) ** 2
    assert answer.capacity_usd == pytest.approx(expected, rel=1e-12)
    for point in answer.surface:
        q, v, sigma = point.order_notional_usd, answer.daily_volume_usd, answer.daily_volatility
        assert point.expected_slippage_bps == pytest.approx(answer.half_spread_bps + sigma * (q / v) ** 0.5 * 1e4)
    with pytest.raises(grpc.RpcError) as unknown:
        stub.GetCapacity(optimizer_pb2.GetCapacityRequest(symbol="NOPE/USD"), metadata=metadata, timeout=30)
    assert unknown.value.code() is grpc.StatusCode.NOT_FOUND


def test_bad_input_is_refused_by_field_and_changes_nothing(centre: Centre) -> None:
    stub, metadata = centre.stub()
    with pytest.raises(grpc.RpcError) as no_mode:
        stub.RunCycle(optimizer_pb2.RunCycleRequest(requested_by="test"), metadata=metadata)
    assert field_violation(no_mode.value) == ("mode", "must be CYCLE_MODE_OBSERVE or CYCLE_MODE_APPLY")
    bad = optimizer_pb2.RunStressTestRequest(
        pods=[
            optimizer_pb2.PodScenario(
                pod_id="a", positions=[optimizer_pb2.ScenarioPosition(symbol="BTC/USD", notional_usd="lots")]
            )
        ]
    )
    with pytest.raises(grpc.RpcError) as not_a_number:
        stub.RunStressTest(bad, metadata=metadata)
    assert field_violation(not_a_number.value)[0] == "pods[0].positions[0].notional_usd"
    pod_stub, pod_metadata = centre.stub(POD_TOKENS["alpha"])
    with pytest.raises(grpc.RpcError) as refused:
        pod_stub.RunCycle(
            optimizer_pb2.RunCycleRequest(mode=optimizer_pb2.CYCLE_MODE_APPLY, requested_by="x"),
            metadata=pod_metadata,
        )
    assert refused.value.code() in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED)
    with pytest.raises(grpc.RpcError) as nothing_yet:
        stub.GetAllocation(optimizer_pb2.GetAllocationRequest(), metadata=metadata)
    assert nothing_yet.value.code() is grpc.StatusCode.NOT_FOUND


def test_a_federation_that_is_down_is_unavailable_not_internal(centre: Centre, tmp_path: Path) -> None:
    settings = OptimizerSettings(
        data_dir=tmp_path / "orphan",
        federation="127.0.0.1:9",
        lake=centre.lake.address,
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,
    )
    orphan = centre.cluster.loop.run(start_optimizer(settings))
    try:
        stub = optimizer_pb2_grpc.OptimizerServiceStub(grpc.insecure_channel(orphan.address))
        metadata = auth.bearer_metadata(ADMIN_TOKEN)
        with pytest.raises(grpc.RpcError) as down:
            stub.RunCycle(
                optimizer_pb2.RunCycleRequest(mode=optimizer_pb2.CYCLE_MODE_OBSERVE, requested_by="t"),
                metadata=metadata,
                timeout=30,
            )
        assert down.value.code() is grpc.StatusCode.UNAVAILABLE
        with pytest.raises(grpc.RpcError) as still_up:
            stub.GetAllocation(optimizer_pb2.GetAllocationRequest(), metadata=metadata, timeout=5)
        assert still_up.value.code() is grpc.StatusCode.NOT_FOUND
    finally:
        centre.cluster.loop.run(orphan.stop())


def test_the_cli_serves_runs_a_cycle_and_shows_capacity(centre: Centre, tmp_path: Path) -> None:
    config = tmp_path / "optimizer.toml"
    config.write_text(
        f'federation = "{centre.cluster.address}"\nlake = "{centre.lake.address}"\n'
        f'admin_token = "{ADMIN_TOKEN}"\ntotal_capital_usd = 100000\nbtc_symbol = "BTC/USD"\n'
        '[symbols]\nalpha = ["BTC/USD"]\n'
    )
    centre.cluster.start_pod("alpha")
    data = ["--data-dir", str(tmp_path / "cli")]
    server = ServiceProcess(
        "optimizer",
        python_module(
            "slipstream.cli.main", *data, "serve", "optimizer", "--config", str(config), "--listen", "127.0.0.1:0"
        ),
    )
    try:
        address = server.wait_address()

        def cli(*args: str) -> subprocess.CompletedProcess[str]:
            argv = python_module("slipstream.cli.main", "--token", ADMIN_TOKEN, *args, "--optimizer", address)
            return subprocess.run(argv, capture_output=True, text=True, timeout=60)

        ran = cli("alloc", "run", "--mode", "observe")
        assert ran.returncode == 0, ran.stderr
        assert "cycle 1" in ran.stdout and "alpha" in ran.stdout and "insufficient history" in ran.stdout
        shown = cli("alloc", "history")
        assert shown.returncode == 0 and "observe" in shown.stdout
        capacity = cli("capacity", "BTC/USD", "--budget", "20")
        assert capacity.returncode == 0 and "capacity within 20 bps" in capacity.stdout
        unknown = cli("capacity", "NOPE/USD")
        assert unknown.returncode == 1 and "NOT_FOUND" in unknown.stderr
    finally:
        server.stop()
    bad = tmp_path / "bad.toml"
    bad.write_text('federation = "x"\nlake = "y"\nmethod = "astrology"\n')
    refused = subprocess.run(
        python_module("slipstream.cli.main", *data, "serve", "optimizer", "--config", str(bad)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "method" in refused.stderr
