"""kill -9 the gateway while pods trade: acknowledged orders and fills survive, exactly once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import grpc
import pytest
from slipstream_api.v1 import common_pb2, gateway_pb2, gateway_pb2_grpc

from slipstream.demo.processes import ServiceProcess, python_module
from slipstream.transport import auth

CONFIG = """
admin_token = "admin-crash"
[risk]
max_orders_per_second = 10000
[[accounts]]
name = "paper"
walk_interval_seconds = 0
[accounts.prices]
"BTC/USDT" = "50000"
[[pods]]
pod_id = "alpha"
token = "alpha-crash"
account = "paper"
[pods.limits]
capital_allocation_usd = "1000000"
max_gross_notional_usd = "100000000"
"""
TOKEN = auth.bearer_metadata("alpha-crash")


def start(tmp_path: Path, port: int = 0) -> ServiceProcess:
    return ServiceProcess(
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
            f"127.0.0.1:{port}",
        ),
    )


def request(n: int) -> gateway_pb2.SubmitOrderRequest:
    message = gateway_pb2.SubmitOrderRequest(
        client_order_id=f"o{n}",
        symbol="BTC/USDT",
        side=common_pb2.ORDER_SIDE_BUY if n % 3 else common_pb2.ORDER_SIDE_SELL,
        type=gateway_pb2.ORDER_TYPE_MARKET,
        quantity="0.01",
        decision_price="50000",
    )
    message.decision_time.FromDatetime(datetime(2026, 1, 1, tzinfo=timezone.utc))
    return message


@pytest.mark.parametrize("entry", ["unary", "session"])
def test_kill_9_mid_stream_loses_and_doubles_nothing(tmp_path: Path, entry: str) -> None:
    """In a session many orders are in flight and committed in groups: every answer must be durable."""
    (tmp_path / "gateway.toml").write_text(CONFIG)
    process = start(tmp_path)
    address = process.wait_address()
    acknowledged: dict[str, Any] = {}
    stop = threading.Event()

    def session_requests() -> Iterator[gateway_pb2.StreamOrdersRequest]:
        n = 0
        while not stop.is_set():
            yield gateway_pb2.StreamOrdersRequest(request_id=n, submit=request(n))
            n += 1

    def trade() -> None:
        with grpc.insecure_channel(address) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            n = 0
            try:
                if entry == "session":
                    for answer in stub.StreamOrders(session_requests(), metadata=TOKEN):
                        acknowledged[answer.submitted.order.client_order_id] = answer.submitted.order
                    return
                while not stop.is_set():
                    answer = stub.SubmitOrder(request(n), metadata=TOKEN, timeout=2)
                    acknowledged[answer.order.client_order_id] = answer.order
                    n += 1
            except grpc.RpcError:
                return

    trader = threading.Thread(target=trade, daemon=True)
    trader.start()
    while len(acknowledged) < (150 if entry == "unary" else 1500):
        assert trader.is_alive(), f"the trader stopped after {len(acknowledged)} orders"
        trader.join(0.01)
    process.kill()  # SIGKILL: no shutdown, no flush
    stop.set()
    trader.join(5)

    process = start(tmp_path, int(address.rpartition(":")[2]))
    try:
        address = process.wait_address()
        with grpc.insecure_channel(address) as channel:
            stub = gateway_pb2_grpc.GatewayServiceStub(channel)
            stored = {
                o.client_order_id: o
                for o in stub.ListOrders(gateway_pb2.ListOrdersRequest(max_count=10000), metadata=TOKEN).orders
            }
            for client_order_id, order in acknowledged.items():
                assert stored[client_order_id].status == order.status == gateway_pb2.ORDER_STATUS_FILLED
            fills = stub.ListFills(gateway_pb2.ListFillsRequest(max_count=100000), metadata=TOKEN).fills
            assert len({f.fill_id for f in fills}) == len(fills) == len(stored)  # one fill per filled order
            (position,) = stub.ListPositions(gateway_pb2.ListPositionsRequest(), metadata=TOKEN).positions
            net = sum((1 if f.side == common_pb2.ORDER_SIDE_BUY else -1) * float(f.quantity) for f in fills)
            assert abs(float(position.quantity) - net) < 1e-9
            feed = stub.StreamExecutions(gateway_pb2.StreamExecutionsRequest(after_sequence=0), metadata=TOKEN)
            sequences = []
            for event in feed:
                sequences.append(event.sequence)
                if len(sequences) == 3 * len(stored):
                    break
            feed.cancel()
            assert sequences == list(range(1, 3 * len(stored) + 1))  # no gap, no repeat
            retried = stub.SubmitOrder(request(0), metadata=TOKEN, timeout=5)
            assert retried.duplicate and retried.order.order_id == stored["o0"].order_id
    finally:
        process.stop()
