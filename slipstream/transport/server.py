"""Start a grpc.aio server with health checking and reflection on every service it hosts."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

# Limits documented in the README: a status with thousands of positions fits; a flood does not.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
# Bulk market data moves in columnar batches of up to 500,000 rows (about 32 MiB).
MAX_BULK_MESSAGE_BYTES = 64 * 1024 * 1024


def server_options(max_message_bytes: int = MAX_MESSAGE_BYTES) -> tuple[tuple[str, int], ...]:
    return (
        ("grpc.max_receive_message_length", max_message_bytes),
        ("grpc.max_send_message_length", max_message_bytes),
        ("grpc.so_reuseport", 0),
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.http2.min_ping_interval_without_data_ms", 5000),
    )


def channel_options(max_message_bytes: int = MAX_MESSAGE_BYTES) -> tuple[tuple[str, int], ...]:
    return (
        ("grpc.max_receive_message_length", max_message_bytes),
        ("grpc.max_send_message_length", max_message_bytes),
        ("grpc.enable_retries", 0),
    )


CHANNEL_OPTIONS = channel_options()


@dataclass(frozen=True)
class Service:
    """A servicer, the generated function that registers it, and its full proto name."""

    servicer: Any
    register: Callable[[Any, grpc.aio.Server], None]
    full_name: str


@dataclass
class RunningServer:
    server: grpc.aio.Server
    port: int
    health: health.aio.HealthServicer

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def stop(self, grace_seconds: float = 1.0) -> None:
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace_seconds)


class Stoppable(Protocol):
    async def stop(self) -> None: ...


async def serve_until_signalled(running: Stoppable, banner: str) -> None:
    """Print `banner` (where the service listens, for people and for scripts), then serve until
    SIGINT or SIGTERM and stop cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print(banner, flush=True)
    try:
        await stop.wait()
    finally:
        await running.stop()


async def start_server(
    services: Sequence[Service], listen: str, max_message_bytes: int = MAX_MESSAGE_BYTES
) -> RunningServer:
    """Bind `listen` ("host:port", port 0 picks a free one), register services, start serving."""
    server = grpc.aio.server(options=server_options(max_message_bytes))
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for service in services:
        service.register(service.servicer, server)
    names = [service.full_name for service in services]
    reflection.enable_server_reflection(
        [*names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME], server
    )
    port = server.add_insecure_port(listen)
    if port == 0:
        raise OSError(f"cannot bind {listen}")
    await server.start()
    for name in ["", *names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return RunningServer(server=server, port=port, health=health_servicer)
