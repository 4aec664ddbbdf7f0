"""A server works on a bounded number of calls at once; one more is refused, not queued."""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from support import LoopThread, eventually

from slipstream.transport.auth import Tokens
from slipstream.transport.server import start_server


def test_a_call_beyond_the_limit_is_resource_exhausted_and_the_server_recovers(loop_thread: LoopThread) -> None:
    running = loop_thread.run(start_server([], "127.0.0.1:0", tokens=Tokens(admin="admin"), max_concurrent_rpcs=2))
    channel = grpc.insecure_channel(running.address)
    health_stub = health_pb2_grpc.HealthStub(channel)
    watches = [health_stub.Watch(health_pb2.HealthCheckRequest()) for _ in range(2)]
    try:
        for watch in watches:
            assert next(watch).status == health_pb2.HealthCheckResponse.SERVING  # both slots held

        try:
            health_stub.Check(health_pb2.HealthCheckRequest(), timeout=5)
            refused = None
        except grpc.RpcError as error:
            refused = error.code()

        for watch in watches:
            watch.cancel()
        answered = eventually(lambda: _check(health_stub))
    finally:
        channel.close()
        loop_thread.run(running.stop())

    assert refused is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert answered == health_pb2.HealthCheckResponse.SERVING


def _check(stub: health_pb2_grpc.HealthStub) -> int | None:
    try:
        return stub.Check(health_pb2.HealthCheckRequest(), timeout=5).status  # type: ignore[no-any-return]
    except grpc.RpcError:
        return None
