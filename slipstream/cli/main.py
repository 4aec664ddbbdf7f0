"""`slipstream`: serve the federation, inspect and steer pods, run the demo."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import grpc
from rich.console import Console
from slipstream_api.v1 import common_pb2, federation_pb2

from slipstream.cli.analytics import add_commands as add_analytics_commands
from slipstream.cli.audit import add_commands as add_audit_commands
from slipstream.cli.dashboard import add_commands as add_dashboard_commands
from slipstream.cli.gateway import add_commands as add_gateway_commands
from slipstream.cli.lake import add_commands as add_lake_commands
from slipstream.cli.optimizer import add_commands as add_optimizer_commands
from slipstream.cli.orchestrator import add_commands as add_orchestrator_commands
from slipstream.cli.render import (
    admin_token,
    client_tls,
    enum_label,
    limits_table,
    pods_table,
    positions_table,
    usd,
)
from slipstream.cli.report import add_commands as add_report_commands
from slipstream.cli.tls import add_commands as add_tls_commands
from slipstream.core.config import ConfigError
from slipstream.core.decimals import parse_decimal
from slipstream.core.errors import FailedPrecondition, InvalidArgument
from slipstream.core.model import HaltReason, PodLimits, SymbolLimit
from slipstream.federation.client import FederationClient
from slipstream.federation.settings import default_data_dir, load_settings
from slipstream.transport import addresses
from slipstream.transport.auth import ADMIN_TOKEN_ENV
from slipstream.transport.errors import describe_rpc_error
from slipstream.transport.tls import add_client_arguments, add_server_arguments, server_tls_from_args

FEDERATION_ENV = "SLIPSTREAM_FEDERATION"


def _client(args: argparse.Namespace) -> FederationClient:
    return FederationClient(args.federation, admin_token(args), tls=client_tls(args))


# Services that cannot run without a configuration file, and what it must say.
_CONFIG_NEEDED = {
    "gateway": "accounts and pods",
    "auditor": "accounts, pods, policy",
    "optimizer": "federation and lake",
    "analytics": "federation and gateway",
    "orchestrator": "federation and optimizer",
}


def _service(args: argparse.Namespace) -> tuple[Any, Callable[[Any], Coroutine[Any, Any, None]]]:
    """The service's settings and its serve coroutine; imports are lazy so each pulls in only its own."""
    config = Path(args.config) if args.config else None
    data_dir = Path(args.data_dir)
    viewers = dict(item.partition("=")[::2] for item in args.viewer_token)
    if args.service == "gateway":
        from slipstream.gateway.server import serve as serve_gateway
        from slipstream.gateway.settings import load_gateway_settings

        return load_gateway_settings(Path(args.config), data_dir, args.listen), serve_gateway
    if args.service == "auditor":
        from slipstream.auditor.server import serve as serve_auditor
        from slipstream.auditor.settings import load_auditor_settings

        return load_auditor_settings(Path(args.config), data_dir, args.listen), serve_auditor
    if args.service == "optimizer":
        from slipstream.optimizer.server import serve as serve_optimizer
        from slipstream.optimizer.settings import load_optimizer_settings

        return load_optimizer_settings(Path(args.config), data_dir, args.listen), serve_optimizer
    if args.service == "analytics":
        from slipstream.analytics.server import serve as serve_analytics
        from slipstream.analytics.settings import load_analytics_settings

        return load_analytics_settings(Path(args.config), data_dir, args.listen, viewers), serve_analytics
    if args.service == "orchestrator":
        from slipstream.orchestrator.server import serve as serve_orchestrator
        from slipstream.orchestrator.settings import load_orchestrator_settings

        return load_orchestrator_settings(Path(args.config), data_dir, args.listen), serve_orchestrator
    if args.service == "datalake":
        from slipstream.datalake.server import load_lake_settings
        from slipstream.datalake.server import serve as serve_lake

        return load_lake_settings(config, data_dir, args.listen, viewers), serve_lake
    from slipstream.federation.server import serve as serve_federation

    federation_dir = data_dir if args.data_dir_given else None
    return load_settings(config, listen=args.listen, data_dir=federation_dir), serve_federation


def _with_tls(settings: Any, args: argparse.Namespace) -> Any:
    """Let --tls-* flags override the configuration file's [tls] and [client_tls] tables."""
    changes: dict[str, Any] = {}
    server_tls = server_tls_from_args(args)
    if server_tls is not None:
        changes["tls"] = server_tls
    dial_tls = client_tls(args)
    if dial_tls is not None and any(f.name == "client_tls" for f in dataclasses.fields(settings)):
        changes["client_tls"] = dial_tls
    return dataclasses.replace(settings, **changes)


def cmd_serve(args: argparse.Namespace) -> int:
    if args.service in _CONFIG_NEEDED and not args.config:
        needed = _CONFIG_NEEDED[args.service]
        print(f"configuration error: serve {args.service} needs --config ({needed})", file=sys.stderr)
        return 2
    try:
        settings, serve = _service(args)
        asyncio.run(serve(_with_tls(settings, args)))
    except (ConfigError, FailedPrecondition) as error:
        # FailedPrecondition: a service refused to start (the auditor given a key that can trade).
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    return 0


def cmd_pods(args: argparse.Namespace) -> int:
    with _client(args) as client:
        Console().print(pods_table(client.list_pods()))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    console = Console()
    with _client(args) as client:
        pod = client.get_pod(args.pod_id)
    console.print(pods_table([pod], title=f"Pod {pod.pod_id} at {pod.address}"))
    if not pod.HasField("last_status"):
        console.print("no status received yet")
        return 0
    status = pod.last_status
    console.print(
        f"realised PnL {usd(status.realized_pnl_usd)} USD, unrealised {usd(status.unrealized_pnl_usd)} USD, "
        f"{len(status.open_orders)} open orders, uptime {status.uptime.ToTimedelta()}"
    )
    if status.HasField("halt"):
        reason = enum_label(common_pb2.HaltReason, status.halt.reason, "HALT_REASON_").lower()
        console.print(f"[bold red]halted[/] ({reason}) by {status.halt.requested_by}: {status.halt.note}")
    console.print(positions_table(status))
    console.print(limits_table(status.config))
    return 0


def cmd_halt(args: argparse.Namespace) -> int:
    if bool(args.pod_id) == bool(args.all):
        raise SystemExit("name one POD or pass --all")
    reason = HaltReason(args.reason)
    console = Console()
    with _client(args) as client:
        if args.all:
            response = client.halt_all(reason, args.requested_by, args.note, not args.keep_orders)
            results = list(response.results)
            console.print(
                f"halt --all: {len(results)} pods in {response.elapsed.ToTimedelta().total_seconds() * 1000:.1f} ms"
            )
        else:
            results = [client.halt(args.pod_id, reason, args.requested_by, args.note, not args.keep_orders)]
    failed = 0
    for result in results:
        outcome = enum_label(federation_pb2.PodHaltOutcome, result.outcome, "POD_HALT_OUTCOME_").lower()
        failed += result.outcome in (federation_pb2.POD_HALT_OUTCOME_TIMEOUT, federation_pb2.POD_HALT_OUTCOME_FAILED)
        latency_ms = result.latency.ToTimedelta().total_seconds() * 1000
        detail = f" ({result.error_message})" if result.error_message else ""
        console.print(f"{result.pod_id}: {outcome} in {latency_ms:.1f} ms{detail}")
    if failed:
        console.print(f"[yellow]{failed} pod(s) did not confirm; the halt is recorded and re-sent when they answer[/]")
    return 1 if failed else 0


def cmd_resume(args: argparse.Namespace) -> int:
    with _client(args) as client:
        response = client.resume(args.pod_id, args.requested_by, args.note)
    delivered = "delivered" if response.delivered else f"not delivered yet ({response.error_message})"
    print(f"{args.pod_id}: resumed with config v{response.config.config_version}, {delivered}")
    return 0


def _symbol_limit(text: str) -> SymbolLimit:
    symbol, _, rest = text.partition("=")
    quantity, _, notional = rest.partition(",")
    return SymbolLimit(
        symbol=symbol,
        max_position_quantity=parse_decimal(quantity, f"--symbol-limit {symbol}") if quantity else None,
        max_position_notional_usd=parse_decimal(notional, f"--symbol-limit {symbol}") if notional else None,
    )


def cmd_configure(args: argparse.Namespace) -> int:
    try:
        limits = PodLimits(
            symbol_limits=tuple(_symbol_limit(text) for text in args.symbol_limit),
            max_gross_notional_usd=parse_decimal(args.max_gross, "--max-gross") if args.max_gross else None,
            capital_allocation_usd=parse_decimal(args.capital, "--capital"),
            volatility_target_annualized=args.vol_target,
        )
    except InvalidArgument as error:
        raise SystemExit(str(error)) from None
    parameters = dict(item.partition("=")[::2] for item in args.param)
    with _client(args) as client:
        response = client.push_config(args.pod_id, limits, parameters, args.requested_by)
    delivered = "delivered" if response.delivered else f"not delivered yet ({response.error_message})"
    print(f"{args.pod_id}: config v{response.config.config_version}, {delivered}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from slipstream.demo.runner import run_demo

    data_dir = Path(args.data_dir) / "demo"
    report = Path(args.report) if args.report else Path(args.data_dir) / "report.html"
    # Piped output (CI, logs) gets wide lines rather than wrapped ones.
    console = Console(width=None if sys.stdout.isatty() else 160)
    return run_demo(args.days, data_dir, report, console, with_node=not args.no_node)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="slipstream", description=__doc__)
    parser.add_argument(
        "--federation",
        default=os.environ.get(FEDERATION_ENV, addresses.FEDERATION),
        help=f"federation address (env {FEDERATION_ENV}; default {addresses.FEDERATION})",
    )
    parser.add_argument(
        "--token",
        default=None,
        help=f"token to present: the admin's, or an auditor's or viewer's for reads (env {ADMIN_TOKEN_ENV};"
        " default DATA_DIR/admin.token)",
    )
    parser.add_argument(
        "--data-dir", default=None, help="data directory (env SLIPSTREAM_DATA_DIR; default .slipstream)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO")
    add_client_arguments(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser(
        "serve",
        help="run a service: the federation (default), datalake, gateway, auditor, optimizer, analytics, orchestrator",
    )
    serve.add_argument(
        "service",
        nargs="?",
        choices=["federation", "datalake", "gateway", "auditor", "optimizer", "analytics", "orchestrator"],
        default="federation",
    )
    serve.add_argument("--config", help="TOML configuration file (see the service's settings docstring)")
    serve.add_argument(
        "--listen",
        default=None,
        help="host:port (default: the config's listen, else slipstream/transport/addresses.py)",
    )
    serve.add_argument(
        "--viewer-token",
        action="append",
        default=[],
        metavar="NAME=TOKEN",
        help="datalake, analytics: a viewer token (reads only; docs/authorization.md)",
    )
    add_server_arguments(serve)
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("pods", help="table of pods with state, NAV and exposure").set_defaults(func=cmd_pods)

    status = sub.add_parser("status", help="one pod in detail")
    status.add_argument("pod_id", metavar="POD")
    status.set_defaults(func=cmd_status)

    halt = sub.add_parser("halt", help="halt one pod, or --all")
    halt.add_argument("pod_id", metavar="POD", nargs="?")
    halt.add_argument("--all", action="store_true", help="halt every registered pod in parallel")
    halt.add_argument("--reason", choices=[r.value for r in HaltReason], default=HaltReason.MANUAL.value)
    halt.add_argument("--note", default="")
    halt.add_argument("--by", dest="requested_by", default=os.environ.get("USER", "operator"))
    halt.add_argument("--keep-orders", action="store_true", help="do not cancel open orders")
    halt.set_defaults(func=cmd_halt)

    resume = sub.add_parser("resume", help="lift a pod's halt")
    resume.add_argument("pod_id", metavar="POD")
    resume.add_argument("--note", default="")
    resume.add_argument("--by", dest="requested_by", default=os.environ.get("USER", "operator"))
    resume.set_defaults(func=cmd_resume)

    configure = sub.add_parser("configure", help="push new limits to a pod")
    configure.add_argument("pod_id", metavar="POD")
    configure.add_argument("--capital", required=True, help="capital allocation, USD")
    configure.add_argument("--max-gross", default=None, help="max gross notional, USD")
    configure.add_argument("--vol-target", type=float, default=0.0, help="annualised volatility target, 0.2 = 20%%")
    configure.add_argument("--symbol-limit", action="append", default=[], metavar="SYMBOL=QTY[,USD]")
    configure.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    configure.add_argument("--by", dest="requested_by", default=os.environ.get("USER", "operator"))
    configure.set_defaults(func=cmd_configure)

    add_lake_commands(sub)
    add_gateway_commands(sub)
    add_audit_commands(sub)
    add_optimizer_commands(sub)
    add_analytics_commands(sub)
    add_orchestrator_commands(sub)
    add_report_commands(sub)
    add_dashboard_commands(sub)
    add_tls_commands(sub)

    demo = sub.add_parser("demo", help="a year of the whole federation in simulated time, the dashboard and the report")
    demo.add_argument("--days", type=int, default=365, help="simulated days of 2019 to replay (default 365)")
    demo.add_argument("--report", default=None, help="where to write the HTML report (default DATA_DIR/report.html)")
    demo.add_argument("--no-node", action="store_true", help="leave the Node.js pod out")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.data_dir_given = args.data_dir is not None
    args.data_dir = args.data_dir or str(default_data_dir())
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    try:
        return int(args.func(args))
    except grpc.RpcError as error:
        print(f"error: {describe_rpc_error(error)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
