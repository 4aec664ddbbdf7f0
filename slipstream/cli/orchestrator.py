"""`slipstream cycle run|list` and `slipstream override pin|freeze|stage|halt|resume|lift|list`."""

from __future__ import annotations

import argparse
import os
from datetime import datetime, timezone

import grpc
from rich.console import Console
from rich.table import Table
from slipstream_api.v1 import common_pb2, orchestrator_pb2, orchestrator_pb2_grpc

from slipstream.cli.render import admin_token, client_tls, enum_label
from slipstream.core.model import HaltReason
from slipstream.transport import addresses, auth, convert
from slipstream.transport.tls import open_channel

ORCHESTRATOR_ENV = "SLIPSTREAM_ORCHESTRATOR"


def _stub(args: argparse.Namespace) -> tuple[orchestrator_pb2_grpc.OrchestratorServiceStub, grpc.Channel]:
    channel = open_channel(args.orchestrator, client_tls(args))
    return orchestrator_pb2_grpc.OrchestratorServiceStub(channel), channel


def _print_cycle(console: Console, cycle: orchestrator_pb2.FederationCycle) -> None:
    state = "frozen" if cycle.frozen else "live"
    pins = f", pinned: {', '.join(cycle.pinned_pod_ids)}" if cycle.pinned_pod_ids else ""
    console.print(
        f"federation cycle {cycle.cycle_id} at {cycle.cycle_time.ToDatetime():%Y-%m-%d %H:%M:%S} UTC"
        f" ({state}, by {cycle.requested_by}{pins})"
    )
    for step in cycle.steps:
        mark = "[green]ok[/]" if step.ok else "[bold red]FAILED[/]"
        console.print(f"  {step.name:<10} {mark} {step.duration_seconds * 1000:7.1f} ms  {step.detail}")


def cmd_cycle(args: argparse.Namespace) -> int:
    console = Console(width=200)
    stub, channel = _stub(args)
    metadata = auth.bearer_metadata(admin_token(args))
    with channel:
        if args.action == "run":
            request = orchestrator_pb2.RunFederationCycleRequest(requested_by=args.requested_by)
            cycle = stub.RunFederationCycle(request, metadata=metadata, timeout=600).cycle
            _print_cycle(console, cycle)
            return 0 if all(step.ok for step in cycle.steps) else 1
        listed = stub.ListFederationCycles(
            orchestrator_pb2.ListFederationCyclesRequest(max_count=args.count), metadata=metadata, timeout=30
        )
        for cycle in listed.cycles:
            _print_cycle(console, cycle)
    return 0


def _expiry(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def cmd_override(args: argparse.Namespace) -> int:
    console = Console(width=200)
    stub, channel = _stub(args)
    metadata = auth.bearer_metadata(admin_token(args))
    expire = _expiry(getattr(args, "expires", None))
    expire_pb = convert.timestamp_to_pb(expire) if expire else None
    who, why = args.requested_by, getattr(args, "reason", "")
    with channel:
        if args.action == "list":
            overrides = stub.ListOverrides(
                orchestrator_pb2.ListOverridesRequest(active_only=args.active, pod_id=args.pod or ""),
                metadata=metadata,
                timeout=30,
            ).overrides
            table = Table(title="Override audit log", title_justify="left")
            for column in ("id", "time (UTC)", "kind", "pod", "what", "by", "why", "holds", "lifted"):
                table.add_column(column)
            for o in overrides:
                what = o.capital_usd or (
                    enum_label(common_pb2.LifecycleStage, o.stage, "LIFECYCLE_STAGE_").lower() if o.stage else ""
                )
                lifted = f"{o.lifted_by}: {o.lift_reason}" if o.HasField("lift_time") else ""
                table.add_row(
                    str(o.override_id),
                    f"{o.create_time.ToDatetime():%Y-%m-%d %H:%M}",
                    enum_label(orchestrator_pb2.OverrideKind, o.kind, "OVERRIDE_KIND_").lower(),
                    o.pod_id or "-",
                    what,
                    o.requested_by,
                    o.reason,
                    "yes" if o.active else "",
                    lifted,
                )
            console.print(table)
            return 0
        logged: orchestrator_pb2.Override
        if args.action == "pin":
            logged = stub.PinAllocation(
                orchestrator_pb2.PinAllocationRequest(
                    pod_id=args.pod, capital_usd=args.value, requested_by=who, reason=why, expire_time=expire_pb
                ),
                metadata=metadata,
                timeout=30,
            ).override
        elif args.action == "freeze":
            logged = stub.FreezeAllocation(
                orchestrator_pb2.FreezeAllocationRequest(requested_by=who, reason=why, expire_time=expire_pb),
                metadata=metadata,
                timeout=30,
            ).override
        elif args.action == "stage":
            logged = stub.ForceLifecycleStage(
                orchestrator_pb2.ForceLifecycleStageRequest(
                    pod_id=args.pod,
                    stage=common_pb2.LifecycleStage.Value(f"LIFECYCLE_STAGE_{args.value.upper()}"),
                    requested_by=who,
                    reason=why,
                    expire_time=expire_pb,
                ),
                metadata=metadata,
                timeout=60,
            ).override
        elif args.action == "halt":
            logged = stub.HaltPodWithReason(
                orchestrator_pb2.HaltPodWithReasonRequest(
                    pod_id=args.pod,
                    halt_reason=convert.halt_reason_to_pb(HaltReason(args.halt_reason)),
                    requested_by=who,
                    reason=why,
                ),
                metadata=metadata,
                timeout=60,
            ).override
        elif args.action == "resume":
            logged = stub.ResumePodWithReason(
                orchestrator_pb2.ResumePodWithReasonRequest(pod_id=args.pod, requested_by=who, reason=why),
                metadata=metadata,
                timeout=60,
            ).override
        else:
            logged = stub.LiftOverride(
                orchestrator_pb2.LiftOverrideRequest(override_id=int(args.value), requested_by=who, reason=why),
                metadata=metadata,
                timeout=60,
            ).override
    console.print(f"override {logged.override_id} logged: {args.action} {logged.pod_id} by {logged.requested_by}")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    address = {"default": os.environ.get(ORCHESTRATOR_ENV, addresses.ORCHESTRATOR), "help": f"env {ORCHESTRATOR_ENV}"}
    by = {"dest": "requested_by", "default": os.environ.get("USER", "operator")}

    cycle = sub.add_parser("cycle", help="federation cycles: run one now, or list them")
    cycle.add_argument("action", choices=["run", "list"])
    cycle.add_argument("--orchestrator", **address)  # type: ignore[arg-type]
    cycle.add_argument("--by", **by)  # type: ignore[arg-type]
    cycle.add_argument("--count", type=int, default=10, help="list: how many")
    cycle.set_defaults(func=cmd_cycle)

    override = sub.add_parser(
        "override",
        help="the operator's overrides, each logged with who and why",
        description="pin POD USD | freeze | stage POD STAGE | halt POD | resume POD | lift ID | list",
    )
    override.add_argument("action", choices=["pin", "freeze", "stage", "halt", "resume", "lift", "list"])
    override.add_argument("pod", nargs="?", default=None, metavar="POD")
    override.add_argument("value", nargs="?", default=None, metavar="USD|STAGE|ID")
    override.add_argument("--orchestrator", **address)  # type: ignore[arg-type]
    override.add_argument("--reason", default="")
    override.add_argument("--by", **by)  # type: ignore[arg-type]
    override.add_argument("--expires", default=None, help="ISO time the override lapses (UTC if no zone)")
    override.add_argument("--halt-reason", choices=[r.value for r in HaltReason], default=HaltReason.MANUAL.value)
    override.add_argument("--active", action="store_true", help="list: only those holding now")
    override.set_defaults(func=cmd_override)
