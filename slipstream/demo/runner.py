"""The demo: a data lake seeded with real history and its volatility forecasts, a federation,
two Python pods sizing on those forecasts and a Node.js pod, a live pods table, a halt and a resume.

Every component is a separate process talking gRPC on 127.0.0.1, exactly as in production;
the demo only plays the operator.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import grpc
from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from slipstream_api.v1 import common_pb2, federation_pb2

from slipstream.cli.render import pods_table, usd
from slipstream.core.model import HaltReason
from slipstream.datalake.client import LakeClient
from slipstream.datalake.files import read_bars
from slipstream.datalake.frames import MS, timeframe_ms
from slipstream.demo.processes import ServiceProcess, python_module, wait_until
from slipstream.federation.client import FederationClient
from slipstream.pod.runner import TOKEN_ENV
from slipstream.transport.auth import ADMIN_TOKEN_ENV, new_token

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_POD = REPO_ROOT / "examples" / "node-pod" / "pod.js"
SAMPLES = Path(__file__).resolve().parents[1] / "datalake" / "samples"


@dataclass(frozen=True)
class DemoPod:
    pod_id: str
    argv: list[str]


# The Python pods trade through the gateway's paper venue, whose marks start here.
GATEWAY_PRICES = {"BTC/USD": "8900", "ETH/USD": "170", "LTC/USD": "57"}
GATEWAY_PODS = ("momentum", "mean-reversion", "under-reporter")


def _pods(federation: str, lake: str, gateway: str) -> list[DemoPod]:
    common = ["--federation", federation, "--lake", lake, "--gateway", gateway]
    pods = [
        DemoPod("momentum", python_module("slipstream.examples.momentum", *common, "--seed", "1")),
        DemoPod("mean-reversion", python_module("slipstream.examples.mean_reversion", *common, "--seed", "2")),
        # Reports half of what it holds: the auditor must catch it and have it halted.
        DemoPod("under-reporter", python_module("slipstream.examples.under_reporter", *common, "--seed", "4")),
    ]
    node = shutil.which("node")
    if node and NODE_POD.exists() and (REPO_ROOT / "node_modules" / "@grpc" / "grpc-js").exists():
        pods.append(DemoPod("node-reversal", [node, str(NODE_POD), "--federation", federation, "--seed", "3"]))
    return pods


def _write_gateway_config(data_dir: Path, admin_token: str, federation: str, tokens: dict[str, str]) -> Path:
    lines = [
        f'admin_token = "{admin_token}"',
        f'federation = "{federation}"',
        "[[accounts]]",
        'name = "paper"',
        "seed = 11",
        "walk_interval_seconds = 0.25",
        "[accounts.prices]",
        *(f'"{symbol}" = "{price}"' for symbol, price in GATEWAY_PRICES.items()),
    ]
    for pod_id in GATEWAY_PODS:
        lines += ["[[pods]]", f'pod_id = "{pod_id}"', f'token = "{tokens[pod_id]}"', 'account = "paper"']
    path = data_dir / "gateway.toml"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def _write_auditor_config(data_dir: Path, admin_token: str, federation: str, gateway: str, lake: str) -> Path:
    lines = [
        f'federation = "{federation}"',
        f'gateway = "{gateway}"',
        f'lake = "{lake}"',
        f'admin_token = "{admin_token}"',
        "interval_seconds = 1",
        "[policy]",
        'default_action = "halt"',
        "halt_after_audits = 2",
        # Pods trade several times a second, so a report can trail the gateway by a fill: ignore
        # differences under 250 USD; a misreport of 1,000 USD or more is material.
        'tolerance_usd = "250"',
        'critical_usd = "1000"',
        "[[accounts]]",
        'name = "paper"',
        'venue = "paper"',
        "[pods]",
        *(f'"{pod_id}" = "paper"' for pod_id in GATEWAY_PODS),
    ]
    path = data_dir / "auditor.toml"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def _write_config(data_dir: Path, admin_token: str, tokens: dict[str, str]) -> Path:
    lines = [
        'listen = "127.0.0.1:0"',
        f'data_dir = "{data_dir}"',
        f'admin_token = "{admin_token}"',
        "poll_interval_seconds = 0.5",
        "poll_timeout_seconds = 0.5",
        "unreachable_after_missed_polls = 3",
        "",
        "[default_limits]",
        'capital_allocation_usd = "100000"',
        'max_gross_notional_usd = "150000"',
        "volatility_target_annualized = 0.2",
    ]
    for pod_id, token in tokens.items():
        lines += ["", "[[pods]]", f'pod_id = "{pod_id}"', f'token = "{token}"']
    path = data_dir / "federation.toml"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def run_demo(duration_s: float, data_dir: Path, console: Console) -> int:
    """Run the demo for `duration_s` seconds (or until Ctrl-C); return the exit code."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, mode=0o700)
    admin_token = new_token()
    processes: list[ServiceProcess] = []
    events: list[str] = []

    def log(message: str) -> None:
        events.append(f"{time.strftime('%H:%M:%S')}  {message}")
        console.print(f"[bold cyan]>[/] {message}")

    try:
        pods_without_address = _pods("", "", "")
        tokens = {pod.pod_id: new_token() for pod in pods_without_address}
        lake_process = ServiceProcess(
            "datalake",
            python_module(
                "slipstream.cli.main",
                "--data-dir",
                str(data_dir / "lake"),
                "serve",
                "datalake",
                "--listen",
                "127.0.0.1:0",
                *(argument for pod_id, token in tokens.items() for argument in ("--reader-token", f"{pod_id}={token}")),
            ),
            env={ADMIN_TOKEN_ENV: admin_token},
        )
        processes.append(lake_process)
        lake = lake_process.wait_address()
        log(f"data lake serving on {lake}")
        _seed_lake(lake, admin_token, log)
        federation_process = ServiceProcess(
            "federation",
            python_module(
                "slipstream.cli.main", "serve", "--config", str(_write_config(data_dir, admin_token, tokens))
            ),
        )
        processes.append(federation_process)
        address = federation_process.wait_address()
        gateway_process = ServiceProcess(
            "gateway",
            python_module(
                "slipstream.cli.main",
                "--data-dir",
                str(data_dir / "gateway"),
                "serve",
                "gateway",
                "--config",
                str(_write_gateway_config(data_dir, admin_token, address, tokens)),
                "--listen",
                "127.0.0.1:0",
            ),
        )
        processes.append(gateway_process)
        gateway = gateway_process.wait_address()
        log(f"gateway serving on {gateway} (paper venue)")
        pods = _pods(address, lake, gateway)
        log(f"federation serving on {address} (data in {data_dir})")
        for pod in pods:
            process = ServiceProcess(pod.pod_id, pod.argv, env={TOKEN_ENV: tokens[pod.pod_id]}, cwd=REPO_ROOT)
            processes.append(process)
            log(f"pod {pod.pod_id} serving on {process.wait_address()}")

        def start_auditor() -> None:
            auditor_process = ServiceProcess(
                "auditor",
                python_module(
                    "slipstream.cli.main",
                    "--data-dir",
                    str(data_dir / "auditor"),
                    "serve",
                    "auditor",
                    "--config",
                    str(_write_auditor_config(data_dir, admin_token, address, gateway, lake)),
                    "--listen",
                    "127.0.0.1:0",
                ),
            )
            processes.append(auditor_process)
            auditors.append(auditor_process.wait_address())
            log(f"auditor serving on {auditors[0]} (audits every second; halts a pod that misreports)")

        auditors: list[str] = []
        with FederationClient(address, admin_token) as client:
            code = _operate(client, [p.pod_id for p in pods], duration_s, console, log, events, start_auditor)
        _show_gateway(gateway, admin_token, console)
        if auditors:
            _show_audit(auditors[0], admin_token, console)
        return code
    except KeyboardInterrupt:
        console.print("interrupted: shutting down")
        return 130
    finally:
        for process in reversed(processes):
            process.stop()


def _show_gateway(address: str, admin_token: str, console: Console) -> None:
    """What each gateway pod did: orders, fills, maker share, and its realised shortfall in bps."""
    import grpc as grpc_module
    from slipstream_api.v1 import gateway_pb2, gateway_pb2_grpc

    from slipstream.transport import auth

    with grpc_module.insecure_channel(address) as channel:
        stub = gateway_pb2_grpc.GatewayServiceStub(channel)
        metadata = auth.bearer_metadata(admin_token)
        for pod_id in GATEWAY_PODS:
            orders = stub.ListOrders(
                gateway_pb2.ListOrdersRequest(pod_id=pod_id, max_count=10000), metadata=metadata
            ).orders
            fills = stub.ListFills(
                gateway_pb2.ListFillsRequest(pod_id=pod_id, max_count=100000), metadata=metadata
            ).fills
            rejected = sum(o.status == gateway_pb2.ORDER_STATUS_REJECTED for o in orders)
            maker = sum(f.liquidity == gateway_pb2.LIQUIDITY_MAKER for f in fills)
            console.print(
                f"gateway {pod_id}: {len(orders)} orders ({rejected} rejected), {len(fills)} fills"
                f" ({maker} maker); `slipstream orders {pod_id}` and `fills {pod_id}` list them"
            )


def _show_audit(address: str, admin_token: str, console: Console) -> None:
    """What the auditor found and did."""
    import grpc as grpc_module
    from slipstream_api.v1 import auditor_pb2, auditor_pb2_grpc

    from slipstream.transport import auth

    metadata = auth.bearer_metadata(admin_token)
    with grpc_module.insecure_channel(address) as channel:
        stub = auditor_pb2_grpc.AuditorServiceStub(channel)
        found = stub.ListDiscrepancies(
            auditor_pb2.ListDiscrepanciesRequest(), metadata=metadata, timeout=10
        ).discrepancies
        exposure = stub.GetExposure(auditor_pb2.GetExposureRequest(), metadata=metadata, timeout=10)
    betas = ", ".join(f"{a.symbol} {a.beta_to_btc:.2f}" for a in exposure.assets)
    console.print(
        f"auditor: paper account holds {', '.join(f'{a.symbol} {a.quantity}' for a in exposure.assets) or 'nothing'};"
        f" BTC-beta-adjusted exposure {usd(exposure.btc_beta_adjusted_usd)} USD (betas from the lake: {betas})"
    )
    if not found:
        console.print("auditor: no open discrepancy")
    for d in found:
        kind = auditor_pb2.DiscrepancyKind.Name(d.kind).removeprefix("DISCREPANCY_KIND_").lower()
        action = "halt requested" if d.halt_requested else "observed"
        console.print(
            f"auditor: {d.pod_id or d.account} {kind} {d.symbol}: holds {d.expected_quantity}, reports"
            f" {d.observed_quantity} ({usd(d.difference_usd)} USD), {d.consecutive_audit_count} audits, {action}"
        )


def _seed_lake(address: str, admin_token: str, log) -> None:  # type: ignore[no-untyped-def]
    """Load the bundled Bitstamp daily history, each bar known when it closed, and wait for the
    volatility service to publish a forecast per asset."""
    with LakeClient(address, admin_token) as client:
        for series in read_bars(SAMPLES / "bitstamp_BTC_ETH_LTC_USD_daily.csv"):
            known_at_close = (series.bars.open_time_ms + timeframe_ms(series.timeframe)) * MS
            client.write_bars(series.symbol, series.timeframe, replace(series.bars, knowledge_time_ns=known_at_close))
            log(f"lake: {len(series.bars)} daily bars of {series.symbol} (Bitstamp)")
        wanted = {"BTC/USD", "ETH/USD", "LTC/USD"}
        if not wait_until(lambda: {f.symbol for f in client.forecasts([])} >= wanted, timeout_s=30):
            raise RuntimeError("the volatility service published no forecast within 30 s")
        for forecast in client.forecasts(sorted(wanted)):
            ewma, long_run = forecast.ewma_volatility_annualized, forecast.long_run_volatility_annualized
            log(
                f"volatility {forecast.symbol}: {forecast.annualized_volatility:.1%} a year "
                f"(EWMA {ewma:.1%}, long run {long_run:.1%}, v{forecast.version})"
            )


def _all_trading(client: FederationClient, pod_ids: list[str]) -> bool:
    pods = {p.pod_id: p for p in client.list_pods()}
    return all(
        pod_id in pods
        and pods[pod_id].connectivity == federation_pb2.CONNECTIVITY_REACHABLE
        and pods[pod_id].last_status.trading_state == common_pb2.TRADING_STATE_ACTIVE
        for pod_id in pod_ids
    )


def _operate(
    client: FederationClient,
    pod_ids: list[str],
    duration_s: float,
    console: Console,
    log,  # type: ignore[no-untyped-def]
    events: list[str],
    when_trading: Callable[[], None],
) -> int:
    if not wait_until(lambda: _all_trading(client, pod_ids), timeout_s=30):
        log("[red]not every pod registered and went active within 30 s[/]")
        return 1
    log(f"all {len(pod_ids)} pods registered, configured (v1) and trading")
    when_trading()
    victim = pod_ids[0]
    script = [
        (0.35, "halt", victim),
        (0.65, "resume", victim),
    ]
    started = time.monotonic()

    def view() -> Group:
        elapsed = time.monotonic() - started
        title = f"Slipstream federation: {len(pod_ids)} pods, t={elapsed:4.1f}s of {duration_s:.0f}s"
        return Group(pods_table(client.list_pods(), title=title), Panel("\n".join(events[-6:]), title="events"))

    with Live(view(), console=console, refresh_per_second=4, transient=False) as live:
        while (elapsed := time.monotonic() - started) < duration_s:
            if script and elapsed >= script[0][0] * duration_s:
                _, action, pod_id = script.pop(0)
                if action == "halt":
                    result = client.halt(pod_id, HaltReason.MANUAL, "demo-operator", note="showing the kill switch")
                    latency_ms = result.latency.ToTimedelta().total_seconds() * 1000
                    outcome = federation_pb2.PodHaltOutcome.Name(result.outcome)
                    log(f"halted {pod_id}: {outcome} in {latency_ms:.1f} ms")
                else:
                    answer = client.resume(pod_id, "demo-operator", note="kill switch drill over")
                    log(f"resumed {pod_id}: config v{answer.config.config_version}, delivered={answer.delivered}")
            try:
                live.update(view())
            except grpc.RpcError as error:
                log(f"[red]federation unavailable: {error.code().name}[/]")
                return 1
            time.sleep(0.25)
    console.print()
    final = {p.pod_id: p for p in client.list_pods()}
    for pod_id in pod_ids:
        status = final[pod_id].last_status
        state = common_pb2.TradingState.Name(status.trading_state)
        holdings = ", ".join(f"{p.symbol} {p.quantity} ({usd(p.notional_usd)} USD)" for p in status.positions)
        history = len(client.snapshots(pod_id))
        console.print(
            f"final {pod_id}: {state} NAV {usd(status.nav_usd)} USD, {history} snapshots; {holdings or 'flat'}"
        )
    return 0
