"""A Python pod trading through the gateway: federation limits, gateway records, pod status agree."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import grpc
from conftest import ADMIN_TOKEN, POD_TOKENS, Cluster
from slipstream_api.v1 import common_pb2, gateway_pb2, gateway_pb2_grpc
from support import TargetStrategy, eventually

from slipstream.core.model import HaltReason
from slipstream.gateway.server import GatewaySettings, PaperAccountSettings, PodAccess, start_gateway
from slipstream.pod.gateway_book import GatewayBook, GatewayMarket
from slipstream.pod.runner import register, start_pod
from slipstream.pod.runtime import PodRuntime
from slipstream.transport import auth


def test_pod_trades_through_the_gateway_and_both_books_agree(cluster: Cluster, tmp_path: Path) -> None:
    token = POD_TOKENS["alpha"]
    settings = GatewaySettings(
        data_dir=tmp_path / "gateway",
        pods={"alpha": PodAccess(token, "paper")},
        paper_accounts={"paper": PaperAccountSettings({"BTC/USDT": Decimal(60_000)}, seed=3, walk_interval_s=0.05)},
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,  # the gateway reads the pods' limits and halts with it
        federation=cluster.address,
    )
    gateway = cluster.loop.run(start_gateway(settings))
    try:
        strategy = TargetStrategy()
        runtime = PodRuntime(
            "alpha",
            strategy,
            GatewayMarket(gateway.address, token, strategy.symbols),
            account=GatewayBook(gateway.address, token),
        )
        pod = cluster.loop.run(start_pod(runtime, token))
        cluster.pods.append(pod)
        cluster.loop.run(register(runtime, token, cluster.address, pod.server.address, 10.0))
        stub = gateway_pb2_grpc.GatewayServiceStub(grpc.insecure_channel(gateway.address))
        metadata = auth.bearer_metadata(token)
        with cluster.admin() as admin:
            # The federation grants v1 (100,000 USD); the strategy holds half of it in BTC via the gateway.
            eventually(lambda: stub.ListPositions(gateway_pb2.ListPositionsRequest(), metadata=metadata).positions)
            eventually(lambda: admin.get_pod("alpha").last_status.positions)
            orders = stub.ListOrders(gateway_pb2.ListOrdersRequest(), metadata=metadata).orders
            assert orders and all(o.decision_price and o.pod_id == "alpha" for o in orders)

            # The strategy keeps trading while the two books are read one after the other: they must
            # agree at a moment between two fills, not at an arbitrary pair of instants.
            def agreed() -> gateway_pb2.PodPosition | None:
                (position,) = stub.ListPositions(gateway_pb2.ListPositionsRequest(), metadata=metadata).positions
                return position if Decimal(position.quantity) == runtime.position("BTC/USDT") else None

            at_gateway = eventually(agreed)
            assert abs(Decimal(at_gateway.quantity) * Decimal(60_000) - Decimal(50_000)) < Decimal(5_000)

            admin.halt("alpha", HaltReason.RISK_VIOLATION, "test")
            eventually(lambda: admin.get_pod("alpha").last_status.trading_state == common_pb2.TRADING_STATE_HALTED)
            count = len(stub.ListOrders(gateway_pb2.ListOrdersRequest(), metadata=metadata).orders)
            eventually(lambda: len(admin.snapshots("alpha")) > 20)
            assert len(stub.ListOrders(gateway_pb2.ListOrdersRequest(), metadata=metadata).orders) == count
    finally:
        cluster.loop.run(gateway.stop())
