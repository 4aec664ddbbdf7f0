"""`slipstream alloc run|show|history`, `slipstream stress` and `slipstream capacity SYMBOL`."""

from __future__ import annotations

import argparse
import os

import grpc
from rich.console import Console
from rich.table import Table
from slipstream_api.v1 import optimizer_pb2, optimizer_pb2_grpc

from slipstream.cli.render import admin_token, client_tls, enum_label, usd
from slipstream.transport import addresses, auth
from slipstream.transport.tls import open_channel

OPTIMIZER_ENV = "SLIPSTREAM_OPTIMIZER"
_MODES = {"observe": optimizer_pb2.CYCLE_MODE_OBSERVE, "apply": optimizer_pb2.CYCLE_MODE_APPLY}
_METHODS = {
    "inverse_volatility": optimizer_pb2.ALLOCATION_METHOD_INVERSE_VOLATILITY,
    "hrp": optimizer_pb2.ALLOCATION_METHOD_HIERARCHICAL_RISK_PARITY,
    "max_diversification": optimizer_pb2.ALLOCATION_METHOD_MAX_DIVERSIFICATION,
}


def _stub(args: argparse.Namespace) -> tuple[optimizer_pb2_grpc.OptimizerServiceStub, grpc.Channel]:
    channel = open_channel(args.optimizer, client_tls(args))
    return optimizer_pb2_grpc.OptimizerServiceStub(channel), channel


def _print_allocation(console: Console, allocation: optimizer_pb2.Allocation) -> None:
    mode = enum_label(optimizer_pb2.CycleMode, allocation.mode, "CYCLE_MODE_").lower()
    method = enum_label(optimizer_pb2.AllocationMethod, allocation.method, "ALLOCATION_METHOD_").lower()
    console.print(
        f"cycle {allocation.cycle_id} at {allocation.cycle_time.ToDatetime():%Y-%m-%d %H:%M:%S} UTC ({mode}, {method},"
        f" by {allocation.requested_by}): {usd(allocation.total_capital_usd)} USD, turnover {allocation.turnover:.1%},"
        f" effective bets {allocation.effective_number_of_bets:.2f},"
        f" diversification ratio {allocation.diversification_ratio:.2f}"
    )
    table = Table(title="Allocation", title_justify="left")
    for column in ("pod", "before USD", "after USD", "weight", "vol", "Sharpe", "days", "decay", "pushed", "why"):
        table.add_column(column, justify="left" if column in ("pod", "why", "pushed") else "right")
    for pod in allocation.pods:
        pushed = "yes" if pod.delivered else (pod.delivery_error or "-")
        table.add_row(
            pod.pod_id,
            usd(pod.previous_capital_usd),
            usd(pod.capital_usd),
            f"{pod.weight:.1%}",
            f"{pod.volatility_annualized:.1%}",
            f"{pod.sharpe_annualized:.2f}",
            str(pod.observation_count),
            f"{pod.decay_multiplier:.2f}",
            pushed,
            "; ".join(pod.reasons),
        )
    console.print(table)
    _print_stress(console, allocation.stress)


def _print_stress(console: Console, stress: optimizer_pb2.StressTestResult) -> None:
    verdict = "[bold red]breached[/]" if stress.breached else "within"
    cuts = ", ".join(f"{s.pod_id} x{s.multiplier:.2f}" for s in stress.scalings) or "none"
    console.print(
        f"stress: correlation to BTC {stress.btc_correlation:.2f} ({verdict} {stress.btc_correlation_limit:.2f}),"
        f" after cuts {stress.btc_correlation_after:.2f}; cuts: {cuts}"
    )
    console.print(
        f"risk overlay: expected {stress.expected_risk_usd:,.0f},"
        f" worst correlation {stress.worst_correlation_risk_usd:,.0f},"
        f" high volatility {stress.high_volatility_risk_usd:,.0f} USD a day against a target of"
        f" {stress.risk_target_usd:,.0f}: multiplier {stress.overlay_multiplier:.2f}"
        + (f" ({stress.overlay_binding})" if stress.overlay_binding else "")
    )


def cmd_alloc(args: argparse.Namespace) -> int:
    console = Console(width=200)
    stub, channel = _stub(args)
    metadata = auth.bearer_metadata(admin_token(args))
    with channel:
        if args.action == "run":
            cycle = optimizer_pb2.RunCycleRequest(
                mode=_MODES[args.mode],
                method=_METHODS.get(args.method or "", optimizer_pb2.ALLOCATION_METHOD_UNSPECIFIED),
                requested_by=args.requested_by,
            )
            _print_allocation(console, stub.RunCycle(cycle, metadata=metadata, timeout=300).allocation)
        elif args.action == "show":
            shown = optimizer_pb2.GetAllocationRequest(cycle_id=args.cycle)
            _print_allocation(console, stub.GetAllocation(shown, metadata=metadata, timeout=30).allocation)
        else:
            history = stub.ListAllocations(
                optimizer_pb2.ListAllocationsRequest(max_count=args.count, pod_id=args.pod or ""),
                metadata=metadata,
                timeout=30,
            )
            table = Table(title="Allocation history", title_justify="left")
            for column in ("cycle", "time (UTC)", "mode", "capital USD", "turnover", "BTC corr", "pods"):
                table.add_column(column, justify="left" if column in ("time (UTC)", "mode", "pods") else "right")
            for a in history.allocations:
                pods = ", ".join(
                    f"{p.pod_id} {usd(p.capital_usd)}" for p in a.pods if not args.pod or p.pod_id == args.pod
                )
                table.add_row(
                    str(a.cycle_id),
                    f"{a.cycle_time.ToDatetime():%Y-%m-%d %H:%M}",
                    enum_label(optimizer_pb2.CycleMode, a.mode, "CYCLE_MODE_").lower(),
                    usd(a.total_capital_usd),
                    f"{a.turnover:.1%}",
                    f"{a.stress.btc_correlation:.2f}",
                    pods,
                )
            console.print(table)
    return 0


def cmd_stress(args: argparse.Namespace) -> int:
    console = Console(width=200)
    stub, channel = _stub(args)
    scenario: dict[str, list[optimizer_pb2.ScenarioPosition]] = {}
    for item in args.position:
        pod_id, _, rest = item.partition(":")
        symbol, _, notional = rest.partition("=")
        scenario.setdefault(pod_id, []).append(optimizer_pb2.ScenarioPosition(symbol=symbol, notional_usd=notional))
    request = optimizer_pb2.RunStressTestRequest(
        pods=[optimizer_pb2.PodScenario(pod_id=p, positions=v) for p, v in scenario.items()],
        btc_correlation_limit=args.limit,
    )
    with channel:
        result = stub.RunStressTest(request, metadata=auth.bearer_metadata(admin_token(args)), timeout=60).result
    _print_stress(console, result)
    return 0


def cmd_capacity(args: argparse.Namespace) -> int:
    console = Console(width=200)
    stub, channel = _stub(args)
    request = optimizer_pb2.GetCapacityRequest(symbol=args.symbol, impact_budget_bps=args.budget)
    with channel:
        answer = stub.GetCapacity(request, metadata=auth.bearer_metadata(admin_token(args)), timeout=60)
    console.print(
        f"{answer.symbol}: daily volume {answer.daily_volume_usd:,.0f} USD,"
        f" daily volatility {answer.daily_volatility:.2%},"
        f" half spread {answer.half_spread_bps:.1f} bps, Y = {answer.impact_coefficient:.2f}"
        f" ({answer.impact_coefficient_source})"
    )
    console.print(
        f"capacity within {answer.impact_budget_bps:g} bps: {answer.capacity_usd:,.0f} USD per day"
        f" ({answer.capacity_usd / answer.daily_volume_usd:.2%} of daily volume)"
    )
    table = Table(title="Liquidity surface (square-root law)", title_justify="left")
    table.add_column("order USD", justify="right")
    table.add_column("% of daily volume", justify="right")
    table.add_column("expected slippage bps", justify="right")
    for point in answer.surface:
        share = point.order_notional_usd / answer.daily_volume_usd
        table.add_row(f"{point.order_notional_usd:,.0f}", f"{share:.2%}", f"{point.expected_slippage_bps:.1f}")
    console.print(table)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    address = {"default": os.environ.get(OPTIMIZER_ENV, addresses.OPTIMIZER), "help": f"env {OPTIMIZER_ENV}"}
    alloc = sub.add_parser("alloc", help="the meta-optimizer: run a cycle, show one, or the history")
    alloc.add_argument("action", choices=["run", "show", "history"])
    alloc.add_argument("--optimizer", **address)  # type: ignore[arg-type]
    alloc.add_argument("--mode", choices=sorted(_MODES), default="observe", help="run: observe (default) or apply")
    alloc.add_argument("--method", choices=sorted(_METHODS), default=None, help="run: override the configured method")
    alloc.add_argument("--by", dest="requested_by", default=os.environ.get("USER", "operator"))
    alloc.add_argument("--cycle", type=int, default=0, help="show: the cycle (default the latest)")
    alloc.add_argument("--pod", default=None, help="history: only this pod")
    alloc.add_argument("--count", type=int, default=20, help="history: how many cycles")
    alloc.set_defaults(func=cmd_alloc)

    stress = sub.add_parser("stress", help="covariance stress test: every pod at its caps, or a given scenario")
    stress.add_argument("--optimizer", **address)  # type: ignore[arg-type]
    stress.add_argument("--position", action="append", default=[], metavar="POD:SYMBOL=USD")
    stress.add_argument("--limit", type=float, default=0.0, help="correlation ceiling (default the configured one)")
    stress.set_defaults(func=cmd_stress)

    capacity = sub.add_parser("capacity", help="a symbol's liquidity surface and capacity (square-root law)")
    capacity.add_argument("symbol", metavar="SYMBOL")
    capacity.add_argument("--optimizer", **address)  # type: ignore[arg-type]
    capacity.add_argument("--budget", type=float, default=0.0, help="impact budget, bps (default the configured one)")
    capacity.set_defaults(func=cmd_capacity)
