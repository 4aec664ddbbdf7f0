"""Run the federation: its gRPC server and its polling loop, with graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from slipstream_api.v1 import federation_pb2, federation_pb2_grpc

from slipstream.core.clock import Clock, SystemClock
from slipstream.federation.core import Federation
from slipstream.federation.pod_client import GrpcPodClient
from slipstream.federation.servicer import FederationServicer
from slipstream.federation.settings import FederationSettings
from slipstream.federation.store import FederationStore
from slipstream.transport import auth
from slipstream.transport.server import RunningServer, Service, serve_until_signalled, start_server

log = logging.getLogger(__name__)


@dataclass
class RunningFederation:
    federation: Federation
    server: RunningServer
    _stop: asyncio.Event
    _polling: asyncio.Task[None]

    @property
    def address(self) -> str:
        return self.server.address

    async def stop(self) -> None:
        self._stop.set()
        await self._polling
        await self.server.stop(1.0)
        await self.federation.close()
        self.federation.store.close()


async def start_federation(settings: FederationSettings, clock: Clock | None = None) -> RunningFederation:
    """Open the store, start serving and polling; the caller owns `stop()`."""
    store = FederationStore(settings.data_dir)
    federation = Federation(settings, store, GrpcPodClient(settings.client_tls), clock or SystemClock())
    service = Service(
        FederationServicer(federation),
        federation_pb2_grpc.add_FederationServiceServicer_to_server,
        federation_pb2.DESCRIPTOR.services_by_name["FederationService"].full_name,
    )
    tokens = auth.Tokens(federation.admin_token, federation.pod_tokens, settings.auditor_tokens, settings.viewer_tokens)
    server = await start_server([service], settings.listen, tls=settings.tls, tokens=tokens)
    stop = asyncio.Event()
    polling = asyncio.create_task(federation.run_polling(stop))
    return RunningFederation(federation, server, stop, polling)


async def serve(settings: FederationSettings) -> None:
    """Serve until SIGINT or SIGTERM."""
    running = await start_federation(settings)
    host = settings.listen.rpartition(":")[0]
    banner = f"federation listening on {host}:{running.server.port} (data in {settings.data_dir})"
    await serve_until_signalled(running, banner)
