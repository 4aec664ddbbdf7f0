"""`slipstream serve gateway --config` as its own process, and `slipstream orders|fills POD`."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import grpc
from slipstream_api.v1 import common_pb2, gateway_pb2, gateway_pb2_grpc

from slipstream.demo.processes import ServiceProcess, python_module
from slipstream.transport import auth

CONFIG = """
admin_token = "admin-cli"
[risk]
max_orders_per_second = 50
[[accounts]]
name = "paper"
walk_interval_seconds = 0
[accounts.prices]
"BTC/USDT" = "60000"
[[pods]]
pod_id = "alpha"
token = "alpha-cli"
account = "paper"
"""


def test_gateway_process_orders_and_fills(tmp_path: Path) -> None:
    (tmp_path / "gateway.toml").write_text(CONFIG)
    process = ServiceProcess(
        "gateway",
        python_module(
            "slipstream.cli.main",
            "--data-dir",
            str(tmp_path),
            "serve",
            "gateway",
            "--config",
            str(tmp_path / "gateway.toml"),
            "--listen",
            "127.0.0.1:0",
        ),
    )
    try:
        address = process.wait_address()
        with grpc.insecure_channel(address) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            request = gateway_pb2.SubmitOrderRequest(
                client_order_id="cli-1",
                symbol="BTC/USDT",
                side=common_pb2.ORDER_SIDE_BUY,
                type=gateway_pb2.ORDER_TYPE_MARKET,
                quantity="0.25",
                decision_price="59990",
            )
            request.decision_time.FromDatetime(datetime(2026, 1, 1, tzinfo=timezone.utc))
            answer = stub.SubmitOrder(request, metadata=auth.bearer_metadata("alpha-cli"), timeout=5)
            # No federation is configured: the gateway refuses pods it has no limits for.
            assert answer.order.reject_reason == gateway_pb2.REJECT_REASON_NOT_CONFIGURED
        for command, expected in (("orders", "not_configured"), ("fills", "Fills of alpha")):
            shown = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "slipstream.cli.main",
                    "--token",
                    "admin-cli",
                    command,
                    "alpha",
                    "--gateway",
                    address,
                ],
                capture_output=True,
                text=True,
                timeout=60,
                env={"COLUMNS": "200", "PATH": ""},
            )
            assert shown.returncode == 0, shown.stderr
            assert expected in shown.stdout
    finally:
        process.stop()


def test_bad_gateway_config_is_named(tmp_path: Path) -> None:
    (tmp_path / "gateway.toml").write_text('[[pods]]\npod_id = "alpha"\ntoken = "t"\naccount = "nowhere"\n')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "slipstream.cli.main",
            "--data-dir",
            str(tmp_path),
            "serve",
            "gateway",
            "--config",
            str(tmp_path / "gateway.toml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "pods[0].account" in result.stderr


def test_gateway_process_trades_on_a_ccxt_account_with_secrets_from_the_environment(tmp_path: Path) -> None:
    from decimal import Decimal

    from slipstream.simulator import ExchangeSimulator, PerpetualMarket, TradingConfig

    with ExchangeSimulator((PerpetualMarket("BTC"),), trading=TradingConfig()) as simulator:
        simulator.add_account("key-from-env", "secret-from-env-9f3a", {"USDT": Decimal(100_000)})
        simulator.set_price("BTCUSDT", Decimal(40_000))
        (tmp_path / "gateway.toml").write_text(
            "\n".join(
                [
                    'admin_token = "admin-cli"',
                    "[[accounts]]",
                    'name = "binance"',
                    'venue = "ccxt"',
                    'exchange = "binanceusdm"',
                    'api_key_env = "TEST_BINANCE_KEY"',
                    'secret_env = "TEST_BINANCE_SECRET"',
                    'symbols = ["BTC/USDT:USDT"]',
                    f'api_url = "{simulator.base_url}"',
                    "[accounts.options]",
                    'fetchMarkets = { types = ["linear"] }',
                    "fetchCurrencies = false",
                    "[[pods]]",
                    'pod_id = "alpha"',
                    'token = "alpha-cli"',
                    'account = "binance"',
                    "[pods.limits]",
                    'capital_allocation_usd = "100000"',
                ]
            )
        )
        process = ServiceProcess(
            "gateway",
            python_module(
                "slipstream.cli.main",
                "--data-dir",
                str(tmp_path),
                "-v",
                "serve",
                "gateway",
                "--config",
                str(tmp_path / "gateway.toml"),
                "--listen",
                "127.0.0.1:0",
            ),
            env={"TEST_BINANCE_KEY": "key-from-env", "TEST_BINANCE_SECRET": "secret-from-env-9f3a"},
        )
        try:
            address = process.wait_address()
            with grpc.insecure_channel(address) as channel:
                stub = gateway_pb2_grpc.GatewayServiceStub(channel)
                request = gateway_pb2.SubmitOrderRequest(
                    client_order_id="x1",
                    symbol="BTC/USDT:USDT",
                    side=common_pb2.ORDER_SIDE_BUY,
                    type=gateway_pb2.ORDER_TYPE_MARKET,
                    quantity="0.01",
                    decision_price="39990",
                )
                request.decision_time.FromDatetime(datetime(2026, 1, 1, tzinfo=timezone.utc))
                order = stub.SubmitOrder(request, metadata=auth.bearer_metadata("alpha-cli"), timeout=10).order
                assert order.status == gateway_pb2.ORDER_STATUS_FILLED, order.reject_message
                assert order.reference_price == "40000" and order.exchange_order_id
        finally:
            process.stop()
        assert any(r.path == "/fapi/v1/order" and r.signed for r in simulator.requests)
        assert "secret-from-env-9f3a" not in "\n".join(process.output)
