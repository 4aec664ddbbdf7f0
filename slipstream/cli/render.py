"""Rich renderings of federation state for the CLI and the demo, and the CLI's credentials."""

from __future__ import annotations

import argparse
import os
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from rich.table import Table
from slipstream_api.v1 import common_pb2, federation_pb2

from slipstream.transport.auth import ADMIN_TOKEN_ENV, ADMIN_TOKEN_FILE
from slipstream.transport.tls import ClientTls, TlsConfigError, client_tls_from_args

_STATE_STYLE = {"ACTIVE": "green", "REDUCE_ONLY": "yellow", "HALTED": "bold red"}
_HEALTH_STYLE = {"HEALTHY": "green", "DEGRADED": "yellow", "UNHEALTHY": "red", "UNKNOWN": "dim"}
_CONNECTIVITY_STYLE = {"REACHABLE": "green", "LAGGING": "yellow", "UNREACHABLE": "bold red", "PENDING": "dim"}


def admin_token(args: argparse.Namespace) -> str:
    """The token the CLI presents: --token, else $SLIPSTREAM_ADMIN_TOKEN, else DATA_DIR/admin.token."""
    token = args.token or os.environ.get(ADMIN_TOKEN_ENV)
    if token:
        return str(token)
    path = Path(args.data_dir) / ADMIN_TOKEN_FILE
    if not path.exists():
        raise SystemExit(f"no token: pass --token, set {ADMIN_TOKEN_ENV}, or run where {path} exists")
    return path.read_text().strip()


def client_tls(args: argparse.Namespace) -> ClientTls | None:
    """How the CLI dials: TLS when --tls-ca (or $SLIPSTREAM_TLS_CA) is given, plaintext otherwise."""
    try:
        return client_tls_from_args(args)
    except TlsConfigError as error:
        raise SystemExit(f"configuration error: {error}") from None


def enum_label(enum_type: object, value: int, prefix: str) -> str:
    return enum_type.Name(value).removeprefix(prefix)  # type: ignore[attr-defined]


def usd(text: str) -> str:
    """Format a decimal USD string with thousands separators and cents."""
    if not text:
        return "-"
    return f"{Decimal(text):,.2f}"


def _styled(label: str, styles: dict[str, str]) -> str:
    style = styles.get(label, "")
    return f"[{style}]{label.lower()}[/]" if style else label.lower()


def pods_table(pods: list[federation_pb2.Pod], title: str = "Pods") -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    for column, justify in [
        ("pod", "left"),
        ("lang", "left"),
        ("intent", "left"),
        ("link", "left"),
        ("state", "left"),
        ("health", "left"),
        ("NAV USD", "right"),
        ("net USD", "right"),
        ("gross USD", "right"),
        ("cfg", "right"),
        ("polled", "right"),
    ]:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    now = datetime.now(timezone.utc)
    for pod in pods:
        status = pod.last_status if pod.HasField("last_status") else None
        state = enum_label(common_pb2.TradingState, status.trading_state, "TRADING_STATE_") if status else "-"
        polled = "-"
        if pod.HasField("last_poll_time"):
            polled = f"{(now - pod.last_poll_time.ToDatetime(tzinfo=timezone.utc)).total_seconds():.1f}s ago"
        table.add_row(
            pod.pod_id,
            pod.language,
            enum_label(common_pb2.ExecutionIntent, pod.execution_intent, "EXECUTION_INTENT_").lower(),
            _styled(enum_label(federation_pb2.Connectivity, pod.connectivity, "CONNECTIVITY_"), _CONNECTIVITY_STYLE),
            _styled(state, _STATE_STYLE) if status else "-",
            _styled(enum_label(common_pb2.Health, pod.health, "HEALTH_"), _HEALTH_STYLE),
            usd(status.nav_usd) if status else "-",
            usd(status.net_exposure_usd) if status else "-",
            usd(status.gross_exposure_usd) if status else "-",
            str(status.config.config_version) if status else "-",
            polled,
        )
    return table


def positions_table(status: common_pb2.PodStatus) -> Table:
    table = Table(title="Positions", title_justify="left")
    for column in ("symbol", "quantity", "mark", "avg entry", "notional USD", "unrealised USD"):
        table.add_column(column, justify="left" if column == "symbol" else "right")
    for p in status.positions:
        table.add_row(
            p.symbol,
            p.quantity,
            p.mark_price,
            f"{Decimal(p.average_entry_price):,.4f}",
            usd(p.notional_usd),
            usd(p.unrealized_pnl_usd),
        )
    return table


def limits_table(config: common_pb2.PodConfig) -> Table:
    table = Table(title=f"Limits in force (config v{config.config_version})", title_justify="left")
    table.add_column("limit")
    table.add_column("value", justify="right")
    limits = config.limits
    table.add_row("trading state", enum_label(common_pb2.TradingState, config.trading_state, "TRADING_STATE_").lower())
    table.add_row("capital allocation USD", usd(limits.capital_allocation_usd))
    table.add_row("max gross notional USD", usd(limits.max_gross_notional_usd))
    table.add_row("volatility target (annualised)", f"{limits.volatility_target_annualized:.1%}")
    for item in limits.symbol_limits:
        table.add_row(f"{item.symbol} max quantity", item.max_position_quantity or "-")
        table.add_row(f"{item.symbol} max notional USD", usd(item.max_position_notional_usd))
    for key, value in sorted(config.parameters.items()):
        table.add_row(f"param {key}", value)
    return table
