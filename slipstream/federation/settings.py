"""The federation's configuration: defaults, a TOML file, and the admin token's source.

Example (every key optional):

    listen = "127.0.0.1:50051"
    data_dir = ".slipstream"
    admin_token_env = "SLIPSTREAM_ADMIN_TOKEN"   # or admin_token = "..."
    poll_interval_seconds = 1.0
    poll_timeout_seconds = 0.5
    unreachable_after_missed_polls = 3

    [default_limits]                  # granted to a pod at first registration
    capital_allocation_usd = "100000"
    max_gross_notional_usd = "200000"

    [[pods]]                          # pods declared up front, with their credentials
    pod_id = "momentum"
    token_env = "MOMENTUM_TOKEN"      # or token = "..."
    address = "10.0.0.5:6001"         # optional: registered at startup, no RegisterPod needed
    language = "rust"                 # optional, with address
    execution_intent = "taker"        # optional, with address: maker | taker | mixed
    [pods.limits]
    capital_allocation_usd = "50000"

    [auditor_tokens]                  # optional: independent risk (read-only), name = token
    risk = "..."
    [viewer_tokens]                   # optional: dashboards (pods and snapshots only), name = token
    dashboard = "..."

    [tls]                             # optional: serve TLS; with client_ca_file, mutual TLS
    cert_file = "certs/server.pem"
    key_file = "certs/server-key.pem"
    client_ca_file = "certs/ca.pem"
    [client_tls]                      # optional: dial pods over TLS (cert/key: present one, for mTLS)
    ca_file = "certs/ca.pem"
    cert_file = "certs/client.pem"
    key_file = "certs/client-key.pem"
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from slipstream.core.config import ConfigError, secret
from slipstream.core.decimals import parse_optional_decimal
from slipstream.core.errors import InvalidArgument
from slipstream.core.model import ExecutionIntent, PodLimits, SymbolLimit, validate_pod_id
from slipstream.transport import addresses
from slipstream.transport.auth import resolve_admin_token, token_table
from slipstream.transport.tls import ClientTls, ServerTls, client_tls_from_table, server_tls_from_table

_DEFAULT_CAPITAL = Decimal(100_000)
DATA_DIR_ENV = "SLIPSTREAM_DATA_DIR"


class SettingsError(ConfigError):
    """The configuration file is malformed; the message names the key."""


@dataclass(frozen=True)
class PodDeclaration:
    """A pod known from the configuration file; with an address it is registered at startup."""

    pod_id: str
    token: str
    limits: PodLimits | None = None
    address: str | None = None
    language: str = "unknown"
    execution_intent: ExecutionIntent = ExecutionIntent.MIXED


@dataclass(frozen=True)
class FederationSettings:
    data_dir: Path
    listen: str = addresses.FEDERATION
    admin_token: str | None = None
    poll_interval_s: float = 1.0
    poll_timeout_s: float = 0.5
    unreachable_after_missed_polls: int = 3
    default_limits: PodLimits = field(default_factory=lambda: PodLimits(capital_allocation_usd=_DEFAULT_CAPITAL))
    pods: tuple[PodDeclaration, ...] = ()
    tls: ServerTls | None = None
    client_tls: ClientTls | None = None  # how pods are dialled
    auditor_tokens: dict[str, str] = field(default_factory=dict)
    viewer_tokens: dict[str, str] = field(default_factory=dict)

    def limits_for(self, pod_id: str) -> PodLimits:
        declared = next((p.limits for p in self.pods if p.pod_id == pod_id and p.limits is not None), None)
        return declared or self.default_limits

    def resolve_admin_token(self) -> str:
        return resolve_admin_token(self.admin_token, self.data_dir)


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV, ".slipstream"))


def limits_from_table(table: dict[str, Any], where: str) -> PodLimits:
    """Limits from a TOML table (decimal strings); errors name the key below `where`."""
    try:
        symbol_limits = tuple(
            SymbolLimit(
                symbol=str(item["symbol"]),
                max_position_quantity=parse_optional_decimal(
                    str(item.get("max_position_quantity", "")),
                    f"{where}.symbol_limits[{i}].max_position_quantity",
                    non_negative=True,
                ),
                max_position_notional_usd=parse_optional_decimal(
                    str(item.get("max_position_notional_usd", "")),
                    f"{where}.symbol_limits[{i}].max_position_notional_usd",
                    non_negative=True,
                ),
            )
            for i, item in enumerate(table.get("symbol_limits", []))
        )
        capital = parse_optional_decimal(
            str(table.get("capital_allocation_usd", "")), f"{where}.capital_allocation_usd", non_negative=True
        )
        limits = PodLimits(
            symbol_limits=symbol_limits,
            max_gross_notional_usd=parse_optional_decimal(
                str(table.get("max_gross_notional_usd", "")), f"{where}.max_gross_notional_usd", non_negative=True
            ),
            capital_allocation_usd=capital if capital is not None else _DEFAULT_CAPITAL,
            volatility_target_annualized=float(table.get("volatility_target_annualized", 0.0)),
        )
        limits.validate(where)
    except InvalidArgument as error:
        raise SettingsError(str(error)) from None
    except (KeyError, TypeError, ValueError) as error:
        raise SettingsError(f"{where}: {error}") from None
    return limits


def load_settings(path: Path | None, **overrides: Any) -> FederationSettings:
    """Read a TOML file (if given), then apply non-None keyword overrides (from the CLI)."""
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise SettingsError(f"{path}: {error}") from None
    pods = []
    for index, table in enumerate(raw.get("pods", [])):
        where = f"pods[{index}]."
        try:
            pod_id = validate_pod_id(str(table.get("pod_id", "")), f"{where}pod_id")
        except InvalidArgument as error:
            raise SettingsError(str(error)) from None
        token = secret(table, "token", where)
        if not token:
            raise SettingsError(f"{where}token: every declared pod needs a token or token_env")
        limits = limits_from_table(table["limits"], f"{where}limits") if "limits" in table else None
        address = str(table["address"]) if "address" in table else None
        if address is not None and not re.fullmatch(r"[^:\s]+:\d{1,5}", address):
            raise SettingsError(f"{where}address: must be host:port, got {address!r}")
        try:
            intent = ExecutionIntent(str(table.get("execution_intent", "mixed")))
        except ValueError:
            raise SettingsError(f"{where}execution_intent: one of maker, taker, mixed") from None
        pods.append(
            PodDeclaration(
                pod_id=pod_id,
                token=token,
                limits=limits,
                address=address,
                language=str(table.get("language", "unknown")),
                execution_intent=intent,
            )
        )
    values: dict[str, Any] = {
        "data_dir": Path(raw["data_dir"]) if "data_dir" in raw else default_data_dir(),
        "admin_token": secret(raw, "admin_token", ""),
        "pods": tuple(pods),
        "auditor_tokens": token_table(raw, "auditor_tokens"),
        "viewer_tokens": token_table(raw, "viewer_tokens"),
        "tls": server_tls_from_table(raw),
        "client_tls": client_tls_from_table(raw),
    }
    for key, name in [
        ("listen", "listen"),
        ("poll_interval_seconds", "poll_interval_s"),
        ("poll_timeout_seconds", "poll_timeout_s"),
        ("unreachable_after_missed_polls", "unreachable_after_missed_polls"),
    ]:
        if key in raw:
            values[name] = raw[key]
    if "default_limits" in raw:
        values["default_limits"] = limits_from_table(raw["default_limits"], "default_limits")
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = FederationSettings(**values)
    if settings.poll_interval_s <= 0 or settings.poll_timeout_s <= 0:
        raise SettingsError("poll_interval_seconds and poll_timeout_seconds must be > 0")
    if settings.unreachable_after_missed_polls < 1:
        raise SettingsError("unreachable_after_missed_polls must be >= 1")
    return settings
