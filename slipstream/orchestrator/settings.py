"""The orchestrator's configuration file. Example:

listen = "127.0.0.1:50057"
federation = "127.0.0.1:50051"
optimizer = "127.0.0.1:50055"
analytics = "127.0.0.1:50056"      # optional: the lifecycle step
auditor = "127.0.0.1:50054"        # optional: the audit step
admin_token_env = "SLIPSTREAM_ADMIN_TOKEN"
interval_hours = 4                 # a cycle every 4 hours; 0 (default): only on request
[viewer_tokens]                    # may list cycles and overrides
dashboard = "..."
[auditor_tokens]                   # the same reads, for independent risk
risk = "..."
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from slipstream.core.config import ConfigError, secret
from slipstream.orchestrator.server import DEFAULT_LISTEN, OrchestratorSettings
from slipstream.transport.auth import token_table
from slipstream.transport.tls import client_tls_from_table, server_tls_from_table


def load_orchestrator_settings(path: Path, data_dir: Path, listen: str | None) -> OrchestratorSettings:
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    for key in ("federation", "optimizer"):
        if key not in raw:
            raise ConfigError(f"{key}: required (the address the orchestrator drives)")
    try:
        hours = float(raw.get("interval_hours", 0))
    except (TypeError, ValueError):
        raise ConfigError(f"interval_hours: not a number: {raw['interval_hours']!r}") from None
    if not hours >= 0:
        raise ConfigError("interval_hours: must be >= 0")
    return OrchestratorSettings(
        data_dir=data_dir,
        federation=str(raw["federation"]),
        optimizer=str(raw["optimizer"]),
        analytics=str(raw["analytics"]) if "analytics" in raw else None,
        auditor=str(raw["auditor"]) if "auditor" in raw else None,
        listen=listen or str(raw.get("listen", DEFAULT_LISTEN)),
        admin_token=secret(raw, "admin_token", ""),
        viewer_tokens=token_table(raw, "viewer_tokens"),
        auditor_tokens=token_table(raw, "auditor_tokens"),
        interval_s=hours * 3600.0,
        tls=server_tls_from_table(raw),
        client_tls=client_tls_from_table(raw),
    )
