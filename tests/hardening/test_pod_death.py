"""A pod that dies: the federation marks it unreachable, and after the gateway's window its new
orders are refused (cancels still work) until the pod answers again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import grpc
import pytest
from conftest import ADMIN_TOKEN, POD_TOKENS, Cluster
from slipstream_api.v1 import common_pb2, federation_pb2, gateway_pb2, gateway_pb2_grpc
from support import eventually

from slipstream.core.clock import ManualClock
from slipstream.gateway.risk import RiskSettings
from slipstream.gateway.server import GatewaySettings, PaperAccountSettings, PodAccess, RunningGateway, start_gateway
from slipstream.transport import auth, convert

WINDOW_S = 60.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(timezone.utc))


@pytest.fixture
def gateway(cluster: Cluster, tmp_path: Path, clock: ManualClock) -> Iterator[RunningGateway]:
    settings = GatewaySettings(
        data_dir=tmp_path / "gateway",
        pods={"alpha": PodAccess(POD_TOKENS["alpha"], "paper")},
        paper_accounts={"paper": PaperAccountSettings({"BTC/USDT": Decimal(60_000)}, walk_interval_s=None)},
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,
        federation=cluster.address,
        risk=RiskSettings(block_unreachable_after_s=WINDOW_S),
    )
    running = cluster.loop.run(start_gateway(settings, clock=clock))
    yield running
    cluster.loop.run(running.stop())


class PodOrders:
    """Order entry as pod alpha, the way a strategy still running somewhere would send it."""

    def __init__(self, address: str, clock: ManualClock) -> None:
        self._channel = grpc.insecure_channel(address)
        self._stub = gateway_pb2_grpc.GatewayServiceStub(self._channel)
        self._metadata = auth.bearer_metadata(POD_TOKENS["alpha"])
        self._clock = clock

    def submit(self, client_order_id: str, **fields: object) -> gateway_pb2.Order:
        values: dict[str, object] = {
            "client_order_id": client_order_id,
            "symbol": "BTC/USDT",
            "side": common_pb2.ORDER_SIDE_BUY,
            "type": gateway_pb2.ORDER_TYPE_MARKET,
            "quantity": "0.01",
            "decision_price": "60000",
            "decision_time": convert.timestamp_to_pb(self._clock.now()),
        }
        values.update(fields)
        request = gateway_pb2.SubmitOrderRequest(**values)  # type: ignore[arg-type]
        return self._stub.SubmitOrder(request, metadata=self._metadata, timeout=10).order

    def cancel(self, client_order_id: str) -> gateway_pb2.Order:
        request = gateway_pb2.CancelOrderRequest(client_order_id=client_order_id)
        return self._stub.CancelOrder(request, metadata=self._metadata, timeout=10).order

    def close(self) -> None:
        self._channel.close()


def connectivity(cluster: Cluster) -> int:
    with cluster.admin() as admin:
        return admin.get_pod("alpha").connectivity  # type: ignore[no-any-return]


def test_a_dead_pod_is_blocked_after_the_window_and_unblocked_when_it_answers(
    cluster: Cluster, gateway: RunningGateway, clock: ManualClock
) -> None:
    pod = cluster.start_pod("alpha")
    eventually(lambda: connectivity(cluster) == federation_pb2.CONNECTIVITY_REACHABLE)
    eventually(lambda: gateway.controls("alpha") is not None)
    orders = PodOrders(gateway.address, clock)
    try:
        resting = orders.submit(
            "resting",
            type=gateway_pb2.ORDER_TYPE_LIMIT,
            limit_price="59000",
            time_in_force=gateway_pb2.TIME_IN_FORCE_GTC,
        )
        assert resting.status == gateway_pb2.ORDER_STATUS_OPEN

        cluster.stop_pod(pod)
        eventually(lambda: connectivity(cluster) == federation_pb2.CONNECTIVITY_UNREACHABLE)
        eventually(lambda: (control := gateway.controls("alpha")) is not None and control.unreachable_since is not None)

        # Inside the window a restart or a blip costs nothing: orders still go.
        assert orders.submit("inside").status == gateway_pb2.ORDER_STATUS_FILLED
        clock.advance(timedelta(seconds=WINDOW_S - 1))
        assert orders.submit("window-end").status == gateway_pb2.ORDER_STATUS_FILLED

        clock.advance(timedelta(seconds=2))
        blocked = orders.submit("after")
        assert blocked.status == gateway_pb2.ORDER_STATUS_REJECTED
        assert blocked.reject_reason == gateway_pb2.REJECT_REASON_POD_UNREACHABLE
        assert "not reached this pod" in blocked.reject_message and "cancels" in blocked.reject_message
        # Reducing risk stays possible while blocked.
        assert orders.cancel("resting").status == gateway_pb2.ORDER_STATUS_CANCELED

        cluster.start_pod("alpha")  # the pod comes back and registers again
        eventually(lambda: connectivity(cluster) == federation_pb2.CONNECTIVITY_REACHABLE)
        eventually(lambda: (control := gateway.controls("alpha")) is not None and control.unreachable_since is None)
        assert orders.submit("back").status == gateway_pb2.ORDER_STATUS_FILLED
    finally:
        orders.close()
