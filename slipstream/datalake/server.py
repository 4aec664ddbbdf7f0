"""Run the data lake and the volatility service in one process (the forecast reads the lake in memory)."""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass, field
from pathlib import Path

from slipstream_api.v1 import datalake_pb2, volatility_pb2, volatility_pb2_grpc

from slipstream.core.clock import Clock
from slipstream.datalake.lake import DataLake
from slipstream.datalake.servicer import Access, DataLakeServicer
from slipstream.datalake.servicer import add_to_server as add_lake_to_server
from slipstream.transport.auth import resolve_admin_token
from slipstream.transport.server import MAX_BULK_MESSAGE_BYTES, RunningServer, Service, start_server
from slipstream.volatility.estimator import VolatilityParameters
from slipstream.volatility.service import VolatilityService
from slipstream.volatility.servicer import VolatilityServicer

DEFAULT_LISTEN = "127.0.0.1:50052"


@dataclass(frozen=True)
class LakeSettings:
    data_dir: Path
    listen: str = DEFAULT_LISTEN
    admin_token: str | None = None
    reader_tokens: dict[str, str] = field(default_factory=dict)
    volatility: VolatilityParameters = field(default_factory=VolatilityParameters)


@dataclass
class RunningLake:
    lake: DataLake
    volatility: VolatilityService
    server: RunningServer

    @property
    def address(self) -> str:
        return self.server.address

    async def stop(self) -> None:
        await self.server.stop(1.0)
        await self.volatility.stop()
        self.lake.close()


async def start_lake(settings: LakeSettings, clock: Clock | None = None) -> RunningLake:
    lake = DataLake(settings.data_dir, clock)
    volatility = VolatilityService(lake, settings.volatility)
    access = Access(resolve_admin_token(settings.admin_token, settings.data_dir), settings.reader_tokens)
    services = [
        Service(
            DataLakeServicer(lake, access),
            add_lake_to_server,
            datalake_pb2.DESCRIPTOR.services_by_name["DataLakeService"].full_name,
        ),
        Service(
            VolatilityServicer(volatility, access),
            volatility_pb2_grpc.add_VolatilityServiceServicer_to_server,
            volatility_pb2.DESCRIPTOR.services_by_name["VolatilityService"].full_name,
        ),
    ]
    server = await start_server(services, settings.listen, MAX_BULK_MESSAGE_BYTES)
    volatility.start()
    return RunningLake(lake, volatility, server)


async def serve(settings: LakeSettings) -> None:
    running = await start_lake(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    host = settings.listen.rpartition(":")[0]
    print(f"data lake listening on {host}:{running.server.port} (data in {settings.data_dir})", flush=True)
    try:
        await stop.wait()
    finally:
        await running.stop()
