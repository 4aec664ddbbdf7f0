"""The auditor end to end: pods trading through the gateway on a ccxt account (simulated
Binance), one of them under-reporting; the auditor, with its own read-only key, catches and
halts it, leaves the honest pod alone, refuses a trading key, and its absence changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc
import pytest
from conftest import ADMIN_TOKEN, POD_TOKENS, Cluster
from slipstream_api.v1 import auditor_pb2, auditor_pb2_grpc, common_pb2, gateway_pb2, gateway_pb2_grpc
from support import TargetStrategy, eventually

from slipstream.auditor.reconcile import Action, AuditPolicy
from slipstream.auditor.server import AuditAccountSettings, AuditorSettings, start_auditor
from slipstream.core.errors import FailedPrecondition
from slipstream.core.model import PodStatus, Position
from slipstream.gateway.server import CcxtAccountSettings, GatewaySettings, PodAccess, start_gateway
from slipstream.pod.gateway_book import GatewayBook, GatewayMarket
from slipstream.pod.runner import register, start_pod
from slipstream.pod.runtime import PodRuntime
from slipstream.simulator import ExchangeSimulator, PerpetualMarket, TradingConfig
from slipstream.transport import auth

SYMBOL = "BTC/USDT:USDT"
OPTIONS: dict[str, object] = {"fetchMarkets": {"types": ["linear"]}, "fetchCurrencies": False}


class UnderReporting(PodRuntime):
    """A pod that reports half of what it holds."""

    def status(self) -> PodStatus:
        honest = super().status()
        halved = tuple(
            Position.marked(p.symbol, p.quantity / 2, p.mark_price, p.average_entry_price) for p in honest.positions
        )
        return replace(honest, positions=halved)


@pytest.fixture
def simulator() -> Iterator[ExchangeSimulator]:
    with ExchangeSimulator((PerpetualMarket("BTC"),), trading=TradingConfig()) as running:
        running.add_account("gateway-key", "gateway-secret", {"USDT": Decimal(10_000_000)})
        running.add_key("auditor-key", "auditor-secret", account_of="gateway-key")
        running.set_price("BTCUSDT", Decimal(50_000))
        yield running


def audit_settings(
    data_dir: Path, cluster: Cluster, gateway: str, simulator: ExchangeSimulator, key: str, secret: str
) -> AuditorSettings:
    return AuditorSettings(
        data_dir=data_dir,
        federation=cluster.address,
        gateway=gateway,
        accounts={"binance": AuditAccountSettings("binanceusdm", (SYMBOL,), key, secret, simulator.base_url, OPTIONS)},
        pod_accounts={"alpha": "binance", "beta": "binance"},
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,
        policy=AuditPolicy(default_action=Action.HALT, halt_after_audits=1),
        interval_s=3600.0,
    )


def test_the_liar_is_caught_and_halted_and_the_honest_pod_is_not(
    cluster: Cluster, simulator: ExchangeSimulator, tmp_path: Path
) -> None:
    gateway = cluster.loop.run(
        start_gateway(
            GatewaySettings(
                data_dir=tmp_path / "gateway",
                pods={
                    "alpha": PodAccess(POD_TOKENS["alpha"], "binance"),
                    "beta": PodAccess(POD_TOKENS["beta"], "binance"),
                },
                paper_accounts={},
                listen="127.0.0.1:0",
                admin_token=ADMIN_TOKEN,
                federation=cluster.address,
                ccxt_accounts={
                    "binance": CcxtAccountSettings(
                        "binanceusdm", (SYMBOL,), "gateway-key", "gateway-secret", simulator.base_url, options=OPTIONS
                    )
                },
            )
        )
    )
    try:
        for pod_id, runtime_class in (("alpha", PodRuntime), ("beta", UnderReporting)):
            strategy = TargetStrategy()
            strategy.symbols = (SYMBOL,)
            # Everything (exchange, gateway, federation, pods) shares this process: tick gently.
            strategy.tick_interval_seconds = 0.25
            token = POD_TOKENS[pod_id]
            runtime = runtime_class(
                pod_id,
                strategy,
                GatewayMarket(gateway.address, token, strategy.symbols),
                account=GatewayBook(gateway.address, token),
            )
            pod = cluster.loop.run(start_pod(runtime, token))
            cluster.pods.append(pod)
            cluster.loop.run(register(runtime, token, cluster.address, pod.server.address, 10.0))
        stub = gateway_pb2_grpc.GatewayServiceStub(grpc.insecure_channel(gateway.address))
        admin = auth.bearer_metadata(ADMIN_TOKEN)

        def booked(pod_id: str) -> Decimal:
            positions = stub.ListPositions(gateway_pb2.ListPositionsRequest(pod_id=pod_id), metadata=admin).positions
            return Decimal(positions[0].quantity) if positions else Decimal(0)

        eventually(lambda: booked("alpha") > 0 and booked("beta") > 0, timeout_s=20)
        with cluster.admin() as federation:
            eventually(
                lambda: all(federation.get_pod(p).last_status.positions for p in ("alpha", "beta")), timeout_s=20
            )

            auditor = cluster.loop.run(
                start_auditor(
                    audit_settings(
                        tmp_path / "auditor", cluster, gateway.address, simulator, "auditor-key", "auditor-secret"
                    )
                )
            )
            try:
                channel = grpc.insecure_channel(auditor.address)
                audit = auditor_pb2_grpc.AuditorServiceStub(channel)
                report = audit.RunAudit(auditor_pb2.RunAuditRequest(), metadata=admin).report
                # The auditor audits once as it starts (which may already halt the liar), then on demand.
                assert not report.stale
                eventually(lambda: federation.get_pod("beta").desired_trading_state == common_pb2.TRADING_STATE_HALTED)
                (found,) = audit.ListDiscrepancies(auditor_pb2.ListDiscrepanciesRequest(), metadata=admin).discrepancies
                assert found.kind == auditor_pb2.DISCREPANCY_KIND_UNDER_REPORTED and found.pod_id == "beta"
                held = booked("beta")
                assert Decimal(found.expected_quantity) == held and Decimal(found.observed_quantity) == held / 2
                assert Decimal(found.difference_usd) == held / 2 * Decimal(50_000)
                exposure = audit.GetExposure(auditor_pb2.GetExposureRequest(), metadata=admin)
                (account,) = exposure.accounts
                assert Decimal(account.positions[0].quantity) == booked("alpha") + held
                channel.close()
                shown = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "slipstream.cli.main",
                        "--token",
                        ADMIN_TOKEN,
                        "audit",
                        "--auditor",
                        auditor.address,
                    ],
                    capture_output=True,
                    text=True,
                    timeout=60,
                    env={"COLUMNS": "200", "PATH": ""},
                )
                assert shown.returncode == 0, shown.stderr
                assert "under_reported" in shown.stdout and "beta" in shown.stdout and "fresh" in shown.stdout
            finally:
                cluster.loop.run(auditor.stop())
            counted = next(iter(auditor.auditor.tracker.open.values())).consecutive
            # A restarted auditor resumes: the same discrepancy, counted on, the halt not asked again.
            restarted = cluster.loop.run(
                start_auditor(
                    audit_settings(
                        tmp_path / "auditor", cluster, gateway.address, simulator, "auditor-key", "auditor-secret"
                    )
                )
            )
            try:
                report = cluster.loop.run(restarted.auditor.run_audit())
                (again,) = restarted.auditor.open_discrepancies()
                assert again.finding.pod_id == "beta" and again.consecutive > counted and again.halt_requested
                assert report.halted == ()
            finally:
                cluster.loop.run(restarted.stop())
            # The federation halted the liar; the gateway now refuses it; the honest pod trades on.
            eventually(lambda: federation.get_pod("beta").last_status.trading_state == common_pb2.TRADING_STATE_HALTED)
            assert federation.get_pod("alpha").last_status.trading_state == common_pb2.TRADING_STATE_ACTIVE
            before = len(stub.ListOrders(gateway_pb2.ListOrdersRequest(pod_id="alpha"), metadata=admin).orders)
            simulator.set_price("BTCUSDT", Decimal(40_000))  # the honest pod re-targets: trading goes on
            eventually(
                lambda: (
                    len(stub.ListOrders(gateway_pb2.ListOrdersRequest(pod_id="alpha"), metadata=admin).orders) > before
                ),
                timeout_s=20,
            )
    finally:
        cluster.loop.run(gateway.stop())


def test_a_trading_key_is_refused_at_start(cluster: Cluster, simulator: ExchangeSimulator, tmp_path: Path) -> None:
    settings: Any = audit_settings(tmp_path, cluster, "127.0.0.1:1", simulator, "gateway-key", "gateway-secret")
    with pytest.raises(FailedPrecondition, match="can trade"):
        cluster.loop.run(start_auditor(settings))
    config = tmp_path / "auditor.toml"
    config.write_text(
        "\n".join(
            [
                f'federation = "{cluster.address}"',
                'gateway = "127.0.0.1:1"',
                f'admin_token = "{ADMIN_TOKEN}"',
                "[[accounts]]",
                'name = "binance"',
                'exchange = "binanceusdm"',
                'api_key_env = "AUDIT_KEY"',
                'secret_env = "AUDIT_SECRET"',
                f'symbols = ["{SYMBOL}"]',
                f'api_url = "{simulator.base_url}"',
                "[accounts.options]",
                'fetchMarkets = { types = ["linear"] }',
                "fetchCurrencies = false",
                "[pods]",
                'alpha = "binance"',
            ]
        )
    )
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "slipstream.cli.main",
            "--data-dir",
            str(tmp_path),
            "serve",
            "auditor",
            "--config",
            str(config),
            "--listen",
            "127.0.0.1:0",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "AUDIT_KEY": "gateway-key", "AUDIT_SECRET": "gateway-secret"},
    )
    assert refused.returncode == 2 and "can trade" in refused.stderr
    assert "gateway-secret" not in refused.stderr + refused.stdout


def test_paper_accounts_are_audited_from_the_venues_ledger(cluster: Cluster, tmp_path: Path) -> None:
    from slipstream.gateway.server import PaperAccountSettings

    gateway = cluster.loop.run(
        start_gateway(
            GatewaySettings(
                data_dir=tmp_path / "gateway",
                pods={"alpha": PodAccess(POD_TOKENS["alpha"], "paper"), "beta": PodAccess(POD_TOKENS["beta"], "paper")},
                paper_accounts={"paper": PaperAccountSettings({"BTC/USDT": Decimal(50_000)}, walk_interval_s=None)},
                listen="127.0.0.1:0",
                admin_token=ADMIN_TOKEN,
                federation=cluster.address,
            )
        )
    )
    try:
        for pod_id, runtime_class in (("alpha", PodRuntime), ("beta", UnderReporting)):
            strategy, token = TargetStrategy(), POD_TOKENS[pod_id]
            strategy.tick_interval_seconds = 0.25
            runtime = runtime_class(
                pod_id,
                strategy,
                GatewayMarket(gateway.address, token, strategy.symbols),
                account=GatewayBook(gateway.address, token),
            )
            pod = cluster.loop.run(start_pod(runtime, token))
            cluster.pods.append(pod)
            cluster.loop.run(register(runtime, token, cluster.address, pod.server.address, 10.0))
        with cluster.admin() as federation:
            eventually(
                lambda: all(federation.get_pod(p).last_status.positions for p in ("alpha", "beta")), timeout_s=20
            )
            settings = AuditorSettings(
                data_dir=tmp_path / "auditor",
                federation=cluster.address,
                gateway=gateway.address,
                accounts={},
                pod_accounts={"alpha": "paper", "beta": "paper"},
                listen="127.0.0.1:0",
                admin_token=ADMIN_TOKEN,
                policy=AuditPolicy(default_action=Action.HALT, halt_after_audits=1),
                interval_s=3600.0,
                paper_accounts=("paper",),
            )
            auditor = cluster.loop.run(start_auditor(settings))
            try:
                (found,) = eventually(lambda: auditor.auditor.open_discrepancies())  # the audit run at start
                assert found.finding.pod_id == "beta" and found.finding.kind.value == "under_reported"
                assert auditor.auditor.exposure is not None and auditor.auditor.exposure.fresh == {"paper": True}
                eventually(lambda: federation.get_pod("beta").desired_trading_state == common_pb2.TRADING_STATE_HALTED)
            finally:
                cluster.loop.run(auditor.stop())
    finally:
        cluster.loop.run(gateway.stop())
