"""Start a grpc.aio server with health checking and reflection on every service it hosts."""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from slipstream.transport import malformed

if TYPE_CHECKING:
    from slipstream.transport.auth import Tokens
    from slipstream.transport.tls import ServerTls

# Limits documented in the README: a status with thousands of positions fits; a flood does not.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
# Bulk market data moves in columnar batches of up to 500,000 rows (about 32 MiB).
MAX_BULK_MESSAGE_BYTES = 64 * 1024 * 1024
# Calls a server works on at once, long-lived streams included (a pod holds about two at the
# gateway); beyond it a call is refused with RESOURCE_EXHAUSTED rather than queued without bound.
MAX_CONCURRENT_RPCS = 4096


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


# What a server makes of each handler registered on it, given the method's full name.
HandlerTransform = Callable[[grpc.RpcMethodHandler, str], grpc.RpcMethodHandler]


class _TransformedGeneric(grpc.GenericRpcHandler):
    def __init__(self, inner: grpc.GenericRpcHandler, transform: HandlerTransform) -> None:
        self._inner, self._transform = inner, transform
        self._done: dict[str, grpc.RpcMethodHandler] = {}

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler | None:
        method = handler_call_details.method  # type: ignore[attr-defined]
        if method not in self._done:
            handler = self._inner.service(handler_call_details)
            if handler is None:
                return None  # not ours; unknown method names are not cached (a client picks them)
            self._done[method] = self._transform(handler, method)
        return self._done[method]


class Transformed:
    """A grpc.aio.Server as seen by the generated `add_*_to_server`: every handler registered
    through it is passed through `transform` first."""

    def __init__(self, server: grpc.aio.Server, transform: HandlerTransform) -> None:
        self._server, self._transform = server, transform

    def add_generic_rpc_handlers(self, handlers: Sequence[grpc.GenericRpcHandler]) -> None:
        self._server.add_generic_rpc_handlers(tuple(_TransformedGeneric(h, self._transform) for h in handlers))

    def add_registered_method_handlers(self, service: str, handlers: Mapping[str, grpc.RpcMethodHandler]) -> None:
        self._server.add_registered_method_handlers(
            service, {name: self._transform(h, f"/{service}/{name}") for name, h in handlers.items()}
        )


@dataclass(frozen=True)
class Service:
    """A servicer, the generated function that registers it, and its full proto name."""

    servicer: Any
    register: Callable[[Any, Any], None]  # add_*_to_server(servicer, server or a `Transformed` one)
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
    # Everything alive now (modules, ccxt's exchange classes, settings) lives as long as the
    # process; freezing it keeps it out of full collections, which otherwise scan it all and
    # stall the loop 40-100 ms every few thousand orders.
    gc.collect()
    gc.freeze()
    print(banner, flush=True)
    try:
        await stop.wait()
    finally:
        await running.stop()


async def start_server(
    services: Sequence[Service],
    listen: str,
    max_message_bytes: int = MAX_MESSAGE_BYTES,
    tls: ServerTls | None = None,
    *,
    tokens: Tokens,
    max_concurrent_rpcs: int = MAX_CONCURRENT_RPCS,
) -> RunningServer:
    """Bind `listen` ("host:port", port 0 picks a free one), register services, start serving.

    Every call is checked against the policy table with `tokens` before its servicer runs. With
    `tls` the port speaks only TLS (mutual TLS when it names a client CA); plaintext is refused.
    """
    server = grpc.aio.server(options=server_options(max_message_bytes), maximum_concurrent_rpcs=max_concurrent_rpcs)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for service in services:
        # The policy is checked first, then a request that is not valid protobuf is refused.
        service.register(
            service.servicer,
            Transformed(server, lambda handler, method: tokens.authorized(malformed.guard(handler), method)),
        )
    names = [service.full_name for service in services]
    reflection.enable_server_reflection(
        [*names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME], server
    )
    port = server.add_secure_port(listen, tls.credentials()) if tls else server.add_insecure_port(listen)
    if port == 0:
        raise OSError(f"cannot bind {listen}")
    await server.start()
    for name in ["", *names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return RunningServer(server=server, port=port, health=health_servicer)
