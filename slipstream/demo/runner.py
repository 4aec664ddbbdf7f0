"""`slipstream demo`: a year of the federation in simulated time, then the dashboard and the report.

Every service runs for real on 127.0.0.1 (see `slipstream.demo.replay`); six Python pods trade
2019's daily bars through the gateway, one pod per capability, and a Node.js pod (with its own
clock) joins the federation when Node is installed. At the end it prints the dashboard, says
what happened to the pods that had to be caught, and writes the HTML report.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from slipstream_api.v1 import analytics_pb2, analytics_pb2_grpc, common_pb2

from slipstream.dashboard.view import DashboardData, DashboardSources, collect, render
from slipstream.demo.processes import ServiceProcess, wait_until
from slipstream.demo.replay import Replay, ReplaySettings
from slipstream.federation.client import FederationClient
from slipstream.report import collect as report_collect
from slipstream.report import render as report_render
from slipstream.transport import auth
from slipstream.transport.auth import new_token
from slipstream.transport.tls import open_channel

NODE_POD = "node-reversal"
NODE_SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "node-pod" / "pod.js"


def _start_node_pod(replay: Replay, token: str) -> ServiceProcess | None:
    node = shutil.which("node")
    if node is None or not NODE_SCRIPT.exists() or replay.services is None:
        return None
    process = ServiceProcess(
        NODE_POD,
        [node, str(NODE_SCRIPT), "--pod-id", NODE_POD, "--federation", replay.services.federation.address],
        env={"SLIPSTREAM_POD_TOKEN": token},
    )
    process.wait_address()
    return process


def run_demo(days: int, data_dir: Path, report: Path, console: Console, with_node: bool = True) -> int:
    """Replay `days` days of 2019; return 0 when the federation did what it must."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, mode=0o700)
    node_token = new_token()
    replay = Replay(ReplaySettings(data_dir, days=days, outside_pods={NODE_POD: node_token} if with_node else {}))
    node: ServiceProcess | None = None
    started = time.monotonic()
    try:
        console.print("[bold]Slipstream demo[/]: starting the lake, federation, gateway, auditor, optimizer, analytics")
        replay.start()
        assert replay.services is not None
        for member in replay.cast:
            console.print(f"  pod [bold]{member.pod_id}[/]: {member.role}")
        if with_node:
            node = _start_node_pod(replay, node_token)
            if node is not None:
                with FederationClient(replay.services.federation.address, replay.admin_token) as federation:
                    wait_until(lambda: NODE_POD in {p.pod_id for p in federation.list_pods()}, timeout_s=30)
                console.print(f"  pod [bold]{NODE_POD}[/]: Node.js, on its own clock (generated TypeScript stubs)")
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=not console.is_terminal,
        ) as progress:
            task = progress.add_task("replaying", total=days)

            def advance(done: int, total: int, day: object) -> None:
                progress.update(task, completed=done, description=f"replaying {str(day)[:10]}")

            replay.run(advance)
        services = replay.services
        sources = DashboardSources(
            federation=services.federation.address,
            token=replay.admin_token,
            optimizer=services.optimizer.address,
            analytics=services.analytics.address,
            auditor=services.auditor.address,
        )
        data = collect(sources)
        console.print(render(data, title=f"The federation after {days} simulated days"))
        outcome = _outcome(data, _fill_report(services.analytics.address, replay.admin_token, "passive"), console)
        report_data = report_collect.collect(
            report_collect.Sources(
                federation=services.federation.address,
                token=replay.admin_token,
                optimizer=services.optimizer.address,
                analytics=services.analytics.address,
                auditor=services.auditor.address,
            )
        )
        report.write_text(report_render.render_html(report_data), encoding="utf-8")
        console.print(
            f"wrote the report to [bold]{report}[/]; {days} simulated days in {time.monotonic() - started:.0f} s"
            f" ({days / max(time.monotonic() - started, 1e-9):.1f} days/s)"
        )
        return outcome
    finally:
        if node is not None:
            node.stop()
        replay.stop()


def _fill_report(address: str, token: str, pod_id: str) -> analytics_pb2.GetFillRatioReportResponse:
    with open_channel(address) as channel:
        stub = analytics_pb2_grpc.AnalyticsServiceStub(channel)
        request = analytics_pb2.GetFillRatioReportRequest(pod_id=pod_id)
        return stub.GetFillRatioReport(request, metadata=auth.bearer_metadata(token), timeout=30)


def _outcome(data: DashboardData, passive: analytics_pb2.GetFillRatioReportResponse, console: Console) -> int:
    """Say what happened to the pods that had to be caught; 1 when one of them was not."""
    lifecycles = data.lifecycles
    states = {p.pod_id: p.last_status for p in data.pods}
    stages = {pod: common_pb2.LifecycleStage.Name(state.stage) for pod, state in lifecycles.items()}
    capital = {p.pod_id: float(p.capital_usd) for p in data.allocation.pods} if data.allocation else {}
    decaying = next((p for p in data.allocation.pods if p.pod_id == "decaying"), None) if data.allocation else None
    checks = [
        (
            "liar halted by the auditor",
            states["liar"].trading_state == common_pb2.TRADING_STATE_HALTED,
            states["liar"].halt.note,
        ),
        (
            "leveraged index fund retired",
            stages.get("index") == "LIFECYCLE_STAGE_RETIREMENT",
            lifecycles["index"].last_reason if "index" in lifecycles else "",
        ),
        (
            "genuine alpha promoted",
            stages.get("alpha") in ("LIFECYCLE_STAGE_GROWTH", "LIFECYCLE_STAGE_MATURITY", "LIFECYCLE_STAGE_EVALUATION"),
            # The last evaluation may speak of the next step up, so say first where the pod stands.
            f"now in {_stage_name(stages.get('alpha'))}; last evaluation: "
            + (lifecycles["alpha"].last_reason if "alpha" in lifecycles else ""),
        ),
        ("passive pod flagged for paying the spread", passive.process_failure, passive.reason),
        (
            "decaying pod strangled",
            capital.get("decaying", 0.0) < 25_000,
            lifecycles["decaying"].last_reason
            if stages.get("decaying") == "LIFECYCLE_STAGE_RETIREMENT"
            else f"capital {capital.get('decaying', 0.0):,.0f} USD, back in {_stage_name(stages.get('decaying'))}; "
            + "; ".join(decaying.reasons[1:] if decaying else []),
        ),
    ]
    for label, ok, why in checks:
        console.print(f"{'[green]ok[/]' if ok else '[bold red]NOT[/]'} {label}: {why}")
    return 0 if all(ok for _, ok, _ in checks) else 1


def _stage_name(stage: str | None) -> str:
    return (stage or "unknown").removeprefix("LIFECYCLE_STAGE_").lower()
