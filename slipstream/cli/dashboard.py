"""`slipstream dashboard`: the federation on one screen, refreshing in place."""

from __future__ import annotations

import argparse
import os
import time

from rich.console import Console
from rich.live import Live

from slipstream.cli.render import admin_token, client_tls
from slipstream.transport import addresses

_SERVICES = {
    "optimizer": ("SLIPSTREAM_OPTIMIZER", addresses.OPTIMIZER),
    "analytics": ("SLIPSTREAM_ANALYTICS", addresses.ANALYTICS),
    "auditor": ("SLIPSTREAM_AUDITOR", addresses.AUDITOR),
    "orchestrator": ("SLIPSTREAM_ORCHESTRATOR", addresses.ORCHESTRATOR),
}


def cmd_dashboard(args: argparse.Namespace) -> int:
    from slipstream.dashboard.view import DashboardSources, collect, render

    sources = DashboardSources(
        federation=args.federation,
        token=admin_token(args),
        tls=client_tls(args),
        **{name: getattr(args, name) or None for name in _SERVICES},
    )
    console = Console(width=args.width)
    if args.once:
        console.print(render(collect(sources)))
        return 0
    with Live(render(collect(sources)), console=console, refresh_per_second=2, screen=False) as live:
        try:
            while True:
                time.sleep(args.interval)
                live.update(render(collect(sources)))
        except KeyboardInterrupt:
            return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    dashboard = sub.add_parser("dashboard", help="pods, stages, allocations, exposure, alerts, the last cycle: live")
    for name, (env, default) in _SERVICES.items():
        dashboard.add_argument(
            f"--{name}", default=os.environ.get(env, default), help=f"env {env}; empty leaves it out"
        )
    dashboard.add_argument("--interval", type=float, default=2.0, help="seconds between refreshes")
    dashboard.add_argument("--once", action="store_true", help="print once and exit")
    dashboard.add_argument("--width", type=int, default=160)
    dashboard.set_defaults(func=cmd_dashboard)
