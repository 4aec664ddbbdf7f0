"""`slipstream report`: one self-contained HTML file of charts from every service."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from slipstream.cli.render import admin_token, client_tls
from slipstream.transport import addresses

OPTIMIZER_ENV = "SLIPSTREAM_OPTIMIZER"
ANALYTICS_ENV = "SLIPSTREAM_ANALYTICS"
AUDITOR_ENV = "SLIPSTREAM_AUDITOR"


def cmd_report(args: argparse.Namespace) -> int:
    # Imported here: the report pulls in pandas, which every other command can do without.
    from slipstream.report import collect, model, render

    sources = collect.Sources(
        federation=args.federation,
        token=admin_token(args),
        # An empty address leaves that service out.
        optimizer=args.optimizer or None,
        analytics=args.analytics or None,
        auditor=args.auditor or None,
        tls=client_tls(args),
    )
    data = collect.collect(sources)
    out = Path(args.out)
    out.write_text(render.render_html(data), encoding="utf-8")
    empty = [chart for chart in model.CHARTS if chart in data.missing]
    print(f"wrote {out}: {len(model.CHARTS) - len(empty)} of {len(model.CHARTS)} charts with data")
    for chart in empty:
        print(f"  {chart}: no data: {data.missing[chart]}", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = sub.add_parser("report", help="write a self-contained HTML report with charts of the whole federation")
    report.add_argument("--out", default="report.html", help="the HTML file to write (default report.html)")
    for name, env, default in (
        ("optimizer", OPTIMIZER_ENV, addresses.OPTIMIZER),
        ("analytics", ANALYTICS_ENV, addresses.ANALYTICS),
        ("auditor", AUDITOR_ENV, addresses.AUDITOR),
    ):
        report.add_argument(
            f"--{name}",
            default=os.environ.get(env, default),
            help=f"{name} address (env {env}; default {default}; empty to leave it out)",
        )
    report.set_defaults(func=cmd_report)
