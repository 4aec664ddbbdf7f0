"""`slipstream analytics shortfall|residual|fills POD` and `slipstream lifecycle [POD]`: from the analytics service."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from google.protobuf.timestamp_pb2 import Timestamp
from rich.console import Console
from rich.table import Table
from slipstream_api.v1 import analytics_pb2, analytics_pb2_grpc, common_pb2

from slipstream.cli.render import admin_token, client_tls, enum_label
from slipstream.transport import addresses, auth, convert
from slipstream.transport.tls import open_channel

ANALYTICS_ENV = "SLIPSTREAM_ANALYTICS"
Metadata = tuple[tuple[str, str], ...]


@contextmanager
def _stub(args: argparse.Namespace) -> Iterator[tuple[analytics_pb2_grpc.AnalyticsServiceStub, Metadata]]:
    metadata = auth.bearer_metadata(admin_token(args))
    with open_channel(args.analytics, client_tls(args)) as channel:
        yield analytics_pb2_grpc.AnalyticsServiceStub(channel), metadata


def _moment(text: str) -> datetime:
    """An ISO date or date-time; without a zone it is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or date-time: {text!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _window(args: argparse.Namespace) -> analytics_pb2.ReportWindow:
    window = analytics_pb2.ReportWindow()
    if args.start is not None:
        window.start_time.CopyFrom(convert.timestamp_to_pb(args.start))
    if args.end is not None:
        window.end_time.CopyFrom(convert.timestamp_to_pb(args.end))
    return window


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _ratio(value: float, digits: int = 2) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def _day(stamp: Timestamp) -> str:
    return f"{stamp.ToDatetime(tzinfo=timezone.utc):%Y-%m-%d}"


def _when(stamp: Timestamp) -> str:
    return f"{stamp.ToDatetime(tzinfo=timezone.utc):%Y-%m-%d %H:%M:%S}"


def _table(title: str, columns: list[str], left: set[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, justify="left" if column in left else "right")
    return table


def cmd_shortfall(args: argparse.Namespace) -> int:
    console = Console()
    with _stub(args) as (stub, metadata):
        report = stub.GetShortfallReport(
            analytics_pb2.GetShortfallReportRequest(pod_id=args.pod_id, window=_window(args)),
            metadata=metadata,
            timeout=60,
        )
        costliest = stub.ListHighShortfallOrders(
            analytics_pb2.ListHighShortfallOrdersRequest(pod_id=args.pod_id, window=_window(args), max_count=args.top),
            metadata=metadata,
            timeout=60,
        ).orders
    total = report.total
    console.print(
        f"{report.pod_id}: {total.order_count} orders, paper notional {_money(total.paper_notional_usd)} USD; "
        f"shortfall {_money(total.total_cost_usd)} USD = {total.total_cost_bps:.1f} bps (execution "
        f"{_money(total.execution_cost_usd)}, opportunity {_money(total.opportunity_cost_usd)}, fees "
        f"{_money(total.fees_usd)} USD)"
    )
    verdict = "[bold red]rewrite the execution, not the alpha[/]" if report.rewrite_execution else "review"
    console.print(f"{verdict}: {report.review_reason}")
    groups = _table(
        "Per symbol and day (UTC, by decision time)",
        ["day", "symbol", "orders", "paper USD", "execution USD", "opportunity USD", "fees USD", "total USD", "bps"],
        {"day", "symbol"},
    )
    for group in report.groups:
        figures = group.figures
        groups.add_row(
            _day(group.period_start_time),
            group.symbol,
            str(figures.order_count),
            _money(figures.paper_notional_usd),
            _money(figures.execution_cost_usd),
            _money(figures.opportunity_cost_usd),
            _money(figures.fees_usd),
            _money(figures.total_cost_usd),
            f"{figures.total_cost_bps:.1f}",
        )
    console.print(groups)
    console.print(
        "grades: "
        + ", ".join(
            f"{enum_label(analytics_pb2.ExecutionQuality, q.quality, 'EXECUTION_QUALITY_').lower()} {q.order_count}"
            for q in report.qualities
        )
    )
    orders = _table(
        f"Costliest orders (top {args.top})",
        ["client id", "symbol", "side", "qty", "filled", "decision px", "avg fill", "total USD", "bps", "grade"],
        {"client id", "symbol", "side", "grade"},
    )
    for order in costliest:
        orders.add_row(
            order.client_order_id,
            order.symbol,
            enum_label(common_pb2.OrderSide, order.side, "ORDER_SIDE_").lower(),
            f"{order.quantity:g}",
            f"{order.filled_quantity:g}",
            f"{order.decision_price:,.2f}",
            f"{order.average_fill_price:,.2f}" if order.filled_quantity else "-",
            _money(order.figures.total_cost_usd),
            f"{order.figures.total_cost_bps:.1f}",
            enum_label(analytics_pb2.ExecutionQuality, order.quality, "EXECUTION_QUALITY_").lower(),
        )
    console.print(orders)
    return 0


def cmd_residual(args: argparse.Namespace) -> int:
    console = Console()
    with _stub(args) as (stub, metadata):
        report = stub.GetResidualReport(
            analytics_pb2.GetResidualReportRequest(
                pod_id=args.pod_id, window=_window(args), rolling_window_days=args.rolling_window
            ),
            metadata=metadata,
            timeout=60,
        )
    console.print(
        f"{report.pod_id}: {report.observation_count} daily returns, Newey-West lags {report.hac_lag_count}, "
        f"R^2 {report.r_squared:.2f}, alpha {report.alpha_annualized:.1%} a year"
    )
    loadings = _table("Regression on BTC and ETH", ["name", "coefficient", "std error", "t", "p"], {"name"})
    for loading in report.loadings:
        loadings.add_row(
            loading.name,
            f"{loading.coefficient:.6f}",
            _ratio(loading.standard_error, 6),
            _ratio(loading.t_statistic),
            _ratio(loading.p_value, 4),
        )
    console.print(loadings)
    console.print(
        f"PnL {_money(report.total_pnl_usd)} USD: beta {_money(report.beta_pnl_usd)}, "
        f"alpha {_money(report.alpha_pnl_usd)}"
    )
    verdict = "[bold red]fake alpha[/]" if report.fake_alpha else "alpha"
    console.print(f"{verdict}: {report.fake_alpha_reason}")
    rolling = _table(f"Rolling betas (last {args.rows})", ["day", "BTC beta", "ETH beta"], {"day"})
    for beta in report.rolling_betas[-args.rows :]:
        rolling.add_row(_day(beta.end_time), f"{beta.btc_beta:.2f}", f"{beta.eth_beta:.2f}")
    console.print(rolling)
    return 0


def cmd_fills(args: argparse.Namespace) -> int:
    console = Console()
    with _stub(args) as (stub, metadata):
        report = stub.GetFillRatioReport(
            analytics_pb2.GetFillRatioReportRequest(pod_id=args.pod_id, window=_window(args)),
            metadata=metadata,
            timeout=60,
        )
    intent = enum_label(common_pb2.ExecutionIntent, report.declared_intent, "EXECUTION_INTENT_").lower()
    total = report.total
    console.print(
        f"{report.pod_id}: declared {intent}; {total.fill_count} fills, maker {_money(total.maker_notional_usd)} USD, "
        f"taker {_money(total.taker_notional_usd)} USD, taker share {total.taker_share:.0%}"
    )
    table = _table(
        "Maker/taker by notional",
        ["symbol", "day", "fills", "maker USD", "taker USD", "taker share"],
        {"symbol", "day"},
    )
    for mix in report.groups:
        table.add_row(
            mix.symbol,
            _day(mix.period_start_time) if mix.HasField("period_start_time") else "all",
            str(mix.fill_count),
            _money(mix.maker_notional_usd),
            _money(mix.taker_notional_usd),
            f"{mix.taker_share:.0%}",
        )
    console.print(table)
    verdict = "[bold red]process failure[/]" if report.process_failure else "process"
    console.print(f"{verdict}: {report.reason}")
    return 0


def _stage(value: int) -> str:
    return enum_label(common_pb2.LifecycleStage, value, "LIFECYCLE_STAGE_").lower()


def _print_transition(console: Console, transition: analytics_pb2.LifecycleTransition) -> None:
    kind = enum_label(analytics_pb2.LifecycleTransitionKind, transition.kind, "LIFECYCLE_TRANSITION_KIND_").lower()
    console.print(
        f"{transition.pod_id}: {kind} {_stage(transition.from_stage)} -> {_stage(transition.to_stage)} "
        f"by {transition.actor}: {transition.reason}"
    )


# The wire enum's stages, not slipstream.analytics.lifecycle.Stage: that module pulls in pandas and statsmodels.
_STAGES = [
    name.removeprefix("LIFECYCLE_STAGE_").lower()
    for name in common_pb2.LifecycleStage.keys()
    if name != "LIFECYCLE_STAGE_UNSPECIFIED"
]


def cmd_lifecycle(args: argparse.Namespace) -> int:
    if (args.force or args.lift) and not (args.pod_id and args.reason):
        raise SystemExit("--force and --lift need a POD and a --reason")
    if args.force and args.lift:
        raise SystemExit("pass --force or --lift, not both")
    console = Console()
    with _stub(args) as (stub, metadata):
        if args.evaluate:
            evaluation = stub.EvaluateLifecycles(
                analytics_pb2.EvaluateLifecyclesRequest(requested_by=args.requested_by), metadata=metadata, timeout=300
            )
            for transition in evaluation.transitions:
                _print_transition(console, transition)
            console.print(f"evaluated: {len(evaluation.transitions)} transition(s)")
        if args.force:
            request = analytics_pb2.OverrideLifecycleStageRequest(
                pod_id=args.pod_id,
                stage=getattr(common_pb2, f"LIFECYCLE_STAGE_{args.force.upper()}"),
                requested_by=args.requested_by,
                reason=args.reason,
            )
            if args.expires is not None:
                request.expire_time.CopyFrom(convert.timestamp_to_pb(args.expires))
            _print_transition(console, stub.OverrideLifecycleStage(request, metadata=metadata, timeout=30).transition)
        if args.lift:
            request_lift = analytics_pb2.LiftLifecycleOverrideRequest(
                pod_id=args.pod_id, requested_by=args.requested_by, reason=args.reason
            )
            _print_transition(
                console, stub.LiftLifecycleOverride(request_lift, metadata=metadata, timeout=30).transition
            )
        pods = stub.ListLifecycles(
            analytics_pb2.ListLifecyclesRequest(pod_id=args.pod_id or ""), metadata=metadata, timeout=30
        ).lifecycles
        history = (
            stub.GetLifecycleHistory(
                analytics_pb2.GetLifecycleHistoryRequest(pod_id=args.pod_id), metadata=metadata, timeout=30
            ).transitions
            if args.pod_id
            else []
        )
    table = _table(
        "Lifecycles",
        ["pod", "stage", "since", "override", "cap", "cap USD", "days", "Sharpe", "PSR", "trials", "MinTRL", "verdict"],
        {"pod", "stage", "since", "override", "verdict"},
    )
    for pod in pods:
        metrics = pod.metrics if pod.HasField("metrics") else None
        held = "-"
        if pod.overridden:
            held = f"until {_day(pod.override_expire_time)}" if pod.HasField("override_expire_time") else "until lifted"
        table.add_row(
            pod.pod_id,
            _stage(pod.stage),
            _day(pod.stage_time),
            held,
            f"{pod.max_capital_fraction:.1%}",
            _money(pod.max_capital_usd) if pod.max_capital_usd else "-",
            str(metrics.observation_count) if metrics else "-",
            f"{metrics.sharpe_annualized:.2f}" if metrics else "-",
            f"{metrics.psr:.3f}" if metrics else "-",
            str(metrics.trial_count) if metrics else "-",
            f"{metrics.min_track_record_length:.0f}" if metrics and metrics.min_track_record_length else "-",
            pod.last_reason,
        )
    console.print(table)
    if args.pod_id:
        changes = _table(
            f"History of {args.pod_id}", ["time", "kind", "from", "to", "by", "reason"], {"kind", "from", "to", "by"}
        )
        for transition in history:
            changes.add_row(
                _when(transition.transition_time),
                enum_label(
                    analytics_pb2.LifecycleTransitionKind, transition.kind, "LIFECYCLE_TRANSITION_KIND_"
                ).lower(),
                _stage(transition.from_stage),
                _stage(transition.to_stage),
                transition.actor,
                transition.reason,
            )
        console.print(changes)
    return 0


def _address(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--analytics",
        default=os.environ.get(ANALYTICS_ENV, addresses.ANALYTICS),
        help=f"analytics address (env {ANALYTICS_ENV}; default {addresses.ANALYTICS})",
    )


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    analytics = sub.add_parser("analytics", help="a pod's execution cost, alpha versus beta, maker/taker mix")
    reports = analytics.add_subparsers(dest="report", required=True)
    for name, handler, help_text in (
        ("shortfall", cmd_shortfall, "implementation shortfall and the costliest orders"),
        ("residual", cmd_residual, "alpha and betas to BTC and ETH, PnL attribution, fake alpha"),
        ("fills", cmd_fills, "maker/taker volume against the declared execution intent"),
    ):
        report = reports.add_parser(name, help=help_text)
        report.add_argument("pod_id", metavar="POD")
        report.add_argument("--start", type=_moment, default=None, help="ISO date or time, UTC (default: the start)")
        report.add_argument("--end", type=_moment, default=None, help="ISO date or time, UTC, exclusive (default: now)")
        _address(report)
        if name == "shortfall":
            report.add_argument("--top", type=int, default=10, help="costliest orders shown")
        if name == "residual":
            report.add_argument("--rolling-window", type=int, default=0, help="days of the rolling betas (0: 60)")
            report.add_argument("--rows", type=int, default=10, help="rolling betas shown, newest")
        report.set_defaults(func=handler)

    lifecycle = sub.add_parser("lifecycle", help="pods' lifecycle stages, history, overrides")
    lifecycle.add_argument("pod_id", metavar="POD", nargs="?")
    lifecycle.add_argument("--evaluate", action="store_true", help="evaluate every pod first (admin)")
    lifecycle.add_argument("--force", choices=_STAGES, help="hold POD at STAGE (admin)")
    lifecycle.add_argument("--expires", type=_moment, default=None, help="when --force lapses (default: until lifted)")
    lifecycle.add_argument("--lift", action="store_true", help="lift POD's override (admin)")
    lifecycle.add_argument("--reason", default="", help="why, for --force and --lift")
    lifecycle.add_argument("--by", dest="requested_by", default=os.environ.get("USER", "operator"))
    _address(lifecycle)
    lifecycle.set_defaults(func=cmd_lifecycle)
