"""`slipstream audit`: the unified exposure and the open discrepancies, from the auditor."""

from __future__ import annotations

import argparse
import os

from rich.console import Console
from rich.table import Table
from slipstream_api.v1 import auditor_pb2, auditor_pb2_grpc

from slipstream.cli.render import admin_token, client_tls, enum_label, usd
from slipstream.transport import addresses, auth
from slipstream.transport.tls import open_channel

AUDITOR_ENV = "SLIPSTREAM_AUDITOR"


def cmd_audit(args: argparse.Namespace) -> int:
    console = Console()
    metadata = auth.bearer_metadata(admin_token(args))
    with open_channel(args.auditor, client_tls(args)) as channel:
        stub = auditor_pb2_grpc.AuditorServiceStub(channel)
        if args.run:
            stub.RunAudit(auditor_pb2.RunAuditRequest(), metadata=metadata, timeout=60)
        exposure = stub.GetExposure(auditor_pb2.GetExposureRequest(), metadata=metadata, timeout=10)
        found = stub.ListDiscrepancies(auditor_pb2.ListDiscrepanciesRequest(), metadata=metadata, timeout=10)
    report = exposure.report
    verdict = f"[bold red]STALE: {report.stale_reason}[/]" if report.stale else "fresh"
    console.print(
        f"audit at {report.audit_time.ToDatetime():%Y-%m-%d %H:%M:%S} UTC: {verdict}, "
        f"{report.open_discrepancy_count} open discrepancies; BTC-beta-adjusted exposure "
        f"{usd(exposure.btc_beta_adjusted_usd)} USD"
    )
    assets = Table(title="Exposure per asset (exchange truth)", title_justify="left")
    for column in ("symbol", "quantity", "net USD", "gross USD", "beta"):
        assets.add_column(column, justify="left" if column == "symbol" else "right")
    for asset in exposure.assets:
        assets.add_row(
            asset.symbol,
            asset.quantity,
            usd(asset.net_notional_usd),
            usd(asset.gross_notional_usd),
            f"{asset.beta_to_btc:.2f}",
        )
    console.print(assets)
    table = Table(title="Open discrepancies", title_justify="left")
    for column in ("kind", "pod", "account", "symbol", "expected", "observed", "USD", "severity", "audits", "halt"):
        table.add_column(column, justify="right" if column in ("expected", "observed", "USD", "audits") else "left")
    for d in found.discrepancies:
        table.add_row(
            enum_label(auditor_pb2.DiscrepancyKind, d.kind, "DISCREPANCY_KIND_").lower(),
            d.pod_id or "-",
            d.account,
            d.symbol or "-",
            d.expected_quantity,
            d.observed_quantity,
            usd(d.difference_usd),
            enum_label(auditor_pb2.Severity, d.severity, "SEVERITY_").lower(),
            str(d.consecutive_audit_count),
            "requested" if d.halt_requested else "",
        )
    console.print(table)
    return 1 if report.stale else 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = sub.add_parser("audit", help="the auditor's unified exposure and open discrepancies")
    audit.add_argument("--auditor", default=os.environ.get(AUDITOR_ENV, addresses.AUDITOR), help=f"env {AUDITOR_ENV}")
    audit.add_argument("--run", action="store_true", help="run an audit first")
    audit.set_defaults(func=cmd_audit)
