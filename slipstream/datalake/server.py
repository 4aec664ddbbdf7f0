"""Run the data lake and the volatility service in one process (the forecast reads the lake in memory)."""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from slipstream_api.v1 import datalake_pb2, volatility_pb2, volatility_pb2_grpc

from slipstream.core.clock import Clock
from slipstream.core.config import ConfigError
from slipstream.datalake.lake import DataLake
from slipstream.datalake.servicer import DataLakeServicer
from slipstream.datalake.servicer import add_to_server as add_lake_to_server
from slipstream.transport import addresses
from slipstream.transport.auth import Tokens, resolve_admin_token, token_table
from slipstream.transport.server import (
    MAX_BULK_MESSAGE_BYTES,
    RunningServer,
    Service,
    serve_until_signalled,
    start_server,
)
from slipstream.transport.tls import ServerTls, server_tls_from_table
from slipstream.volatility.estimator import VolatilityParameters
from slipstream.volatility.service import VolatilityService
from slipstream.volatility.servicer import VolatilityServicer

DEFAULT_LISTEN = addresses.DATALAKE


class LakeSettingsError(ConfigError):
    """The configuration file is malformed; the message names the key."""


@dataclass(frozen=True)
class LakeSettings:
    data_dir: Path
    listen: str = DEFAULT_LISTEN
    admin_token: str | None = None
    viewer_tokens: dict[str, str] = field(default_factory=dict)  # read market data
    volatility: VolatilityParameters = field(default_factory=VolatilityParameters)
    tls: ServerTls | None = None  # serve TLS ([tls]); mutual TLS when it names a client CA
    pod_tokens: dict[str, str] = field(default_factory=dict)  # pods reading market data, pod id = token
    auditor_tokens: dict[str, str] = field(default_factory=dict)  # independent risk: reads


def load_lake_settings(path: Path | None, data_dir: Path, listen: str | None, viewers: dict[str, str]) -> LakeSettings:
    """Read an optional TOML file, then apply the command line. Example:

    listen = "127.0.0.1:50052"
    admin_token_env = "SLIPSTREAM_ADMIN_TOKEN"
    [viewer_tokens]               # read-only (also --viewer-token NAME=TOKEN)
    research = "..."
    [pod_tokens]                  # pods read market data with their own token: pod id = token
    momentum = "..."
    [auditor_tokens]
    risk = "..."
    [volatility]                  # any VolatilityParameters field
    span_days = 35
    slow_proportion = 0.3
    """
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise LakeSettingsError(f"{path}: {error}") from None
    admin = raw.get("admin_token")
    if "admin_token_env" in raw:
        admin = os.environ.get(str(raw["admin_token_env"]))
        if not admin:
            raise LakeSettingsError(f"admin_token_env: environment variable {raw['admin_token_env']!r} is not set")
    known = {f.name: f.type for f in fields(VolatilityParameters)}
    volatility = raw.get("volatility", {})
    unknown = sorted(set(volatility) - set(known))
    if unknown:
        raise LakeSettingsError(f"volatility.{unknown[0]}: unknown parameter; one of {', '.join(sorted(known))}")
    try:
        parameters = VolatilityParameters(**volatility)
    except TypeError as error:
        raise LakeSettingsError(f"volatility: {error}") from None
    for name in known:
        value = getattr(parameters, name)
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
            raise LakeSettingsError(f"volatility.{name}: must be a finite number >= 0, got {value!r}")
    if not 0 <= parameters.slow_proportion <= 1 or not 0 < parameters.floor_quantile < 1:
        raise LakeSettingsError("volatility: slow_proportion must be in [0, 1] and floor_quantile in (0, 1)")
    return LakeSettings(
        data_dir=data_dir,
        listen=listen or str(raw.get("listen", DEFAULT_LISTEN)),
        admin_token=str(admin) if admin else None,
        viewer_tokens={**token_table(raw, "viewer_tokens"), **viewers},
        pod_tokens=token_table(raw, "pod_tokens"),
        auditor_tokens=token_table(raw, "auditor_tokens"),
        volatility=parameters,
        tls=server_tls_from_table(raw),
    )


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
    tokens = Tokens(
        resolve_admin_token(settings.admin_token, settings.data_dir),
        settings.pod_tokens,
        settings.auditor_tokens,
        settings.viewer_tokens,
    )
    services = [
        Service(
            DataLakeServicer(lake),
            add_lake_to_server,
            datalake_pb2.DESCRIPTOR.services_by_name["DataLakeService"].full_name,
        ),
        Service(
            VolatilityServicer(volatility),
            volatility_pb2_grpc.add_VolatilityServiceServicer_to_server,
            volatility_pb2.DESCRIPTOR.services_by_name["VolatilityService"].full_name,
        ),
    ]
    server = await start_server(services, settings.listen, MAX_BULK_MESSAGE_BYTES, tls=settings.tls, tokens=tokens)
    volatility.start()
    return RunningLake(lake, volatility, server)


async def serve(settings: LakeSettings) -> None:
    """Serve until SIGINT or SIGTERM."""
    running = await start_lake(settings)
    host = settings.listen.rpartition(":")[0]
    banner = f"data lake listening on {host}:{running.server.port} (data in {settings.data_dir})"
    await serve_until_signalled(running, banner)
