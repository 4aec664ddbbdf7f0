"""Load: 100 pods reporting status every second and 500 orders per second through the gateway,
held for 60 seconds on 127.0.0.1, then stopped. Prints a Markdown table.

Every piece is its own process, as in production: the federation polls 100 pods (hosted 25 to a
process) every second; the gateway takes an open, scheduled load of market orders from a Node
client (bench/load/orders.js --rate), so latency is measured at 500 orders/s and not at
saturation. Meanwhile an operator probe calls the federation (ListPods) and a pod (Status)
every 100 ms. Errors counted: failed or refused orders, pods the federation failed to poll
(missed polls or UNREACHABLE at the end), failed probes; the polls received against one per
pod per second are reported beside them. The run is bounded (--seconds) and every process is
stopped at the end, whatever happens.

Usage: .venv/bin/python bench/bench_load.py [--seconds 60] [--pods 100] [--order-rate 500]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
from slipstream_api.v1 import constitution_pb2, constitution_pb2_grpc, federation_pb2

from slipstream.demo.processes import ServiceProcess, wait_until
from slipstream.federation.client import FederationClient
from slipstream.transport import auth
from slipstream.transport.tls import open_channel

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_gateway import LOAD  # noqa: E402
from bench_gateway import config as gateway_config  # noqa: E402

PODS_PER_HOST = 25
GATEWAY_PODS = 20
ADMIN = "load-admin"


@dataclass(frozen=True)
class LoadResult:
    seconds: float
    pods: int
    polls_expected: int
    polls_received: int
    unhealthy_pods: int
    orders_offered_per_s: float
    orders_answered: int
    order_errors: int
    order_p50_ms: float
    order_p99_ms: float
    probes: int
    probe_errors: int
    list_pods_p99_ms: float
    status_p99_ms: float

    @property
    def errors(self) -> int:
        return self.unhealthy_pods + self.order_errors + self.probe_errors


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def federation_config(pod_ids: list[str]) -> str:
    lines = [f'admin_token = "{ADMIN}"', "poll_interval_seconds = 1.0", "poll_timeout_seconds = 0.5"]
    for pod_id in pod_ids:
        lines += ["[[pods]]", f'pod_id = "{pod_id}"', f'token = "token-{pod_id}"']
    return "\n".join(lines) + "\n"


class Probe:
    """An operator's calls during the load, every `interval_s`, timed; failures are counted."""

    def __init__(self, calls: dict[str, Callable[[], object]], interval_s: float = 0.1) -> None:
        self.latencies_ms: dict[str, list[float]] = {name: [] for name in calls}
        self.errors = 0
        self._calls = calls
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="probe", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            for name, call in self._calls.items():
                started = time.perf_counter()
                try:
                    call()
                except grpc.RpcError:
                    self.errors += 1
                    continue
                self.latencies_ms[name].append((time.perf_counter() - started) * 1000)

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def run_load(seconds: float, pods: int, order_rate: float, data_dir: Path) -> LoadResult:
    """Hold the load for `seconds` and measure it; every process is stopped on return."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is required for the order load (see the README's setup)")
    pod_ids = [f"pod-{i:03d}" for i in range(pods)]
    (data_dir / "federation.toml").write_text(federation_config(pod_ids))
    (data_dir / "gateway.toml").write_text(gateway_config(GATEWAY_PODS))
    processes: list[ServiceProcess] = []
    cli = [sys.executable, "-m", "slipstream.cli.main"]
    try:
        federation = ServiceProcess(
            "federation",
            cli
            + ["--data-dir", str(data_dir / "federation"), "serve", "federation"]
            + ["--config", str(data_dir / "federation.toml"), "--listen", "127.0.0.1:0"],
        )
        processes.append(federation)
        gateway = ServiceProcess(
            "gateway",
            cli
            + ["--data-dir", str(data_dir / "gateway"), "serve", "gateway"]
            + ["--config", str(data_dir / "gateway.toml"), "--listen", "127.0.0.1:0"],
        )
        processes.append(gateway)
        federation_address, gateway_address = federation.wait_address(), gateway.wait_address()
        for start in range(0, pods, PODS_PER_HOST):
            chunk = pod_ids[start : start + PODS_PER_HOST]
            argv = [sys.executable, str(HERE / "pod_host.py"), *chunk, "--federation", federation_address]
            processes.append(ServiceProcess(f"pods-{start}", argv))
        with FederationClient(federation_address, ADMIN) as admin:
            reachable = lambda: sum(  # noqa: E731
                p.connectivity == federation_pb2.CONNECTIVITY_REACHABLE for p in admin.list_pods()
            )
            if not wait_until(lambda: reachable() == pods, timeout_s=120):
                raise RuntimeError(f"only {reachable()} of {pods} pods became reachable")
            first = admin.get_pod(pod_ids[0])
            with open_channel(first.address, None) as channel:
                pod_stub = constitution_pb2_grpc.ConstitutionServiceStub(channel)
                pod_metadata = auth.bearer_metadata(f"token-{pod_ids[0]}")
                calls: dict[str, Callable[[], object]] = {
                    "ListPods": lambda: admin.list_pods(),
                    "Status": lambda: pod_stub.Status(
                        constitution_pb2.StatusRequest(), metadata=pod_metadata, timeout=5
                    ),
                }
                started = time.time()
                with Probe(calls) as probe:
                    command = [node, str(LOAD), "--address", gateway_address, "--pods", str(GATEWAY_PODS)]
                    command += ["--mode", "session", "--rate", str(order_rate), "--seconds", str(seconds)]
                    finished = subprocess.run(
                        command, check=True, capture_output=True, text=True, timeout=seconds + 120
                    )
                ended = time.time()
            orders = json.loads(finished.stdout)
            # One snapshot per pod per whole second of the run is the goal; a loaded machine
            # stretches the polling cycle (fewer snapshots), a failed poll leaves the pod
            # unhealthy (missed polls counted, or UNREACHABLE).
            first_second, end_second = int(started) + 1, int(ended)
            window = end_second - first_second
            received, unhealthy = 0, 0
            for pod in admin.list_pods():
                unhealthy += pod.connectivity != federation_pb2.CONNECTIVITY_REACHABLE or pod.missed_poll_count > 0
                observed = [
                    s for s in admin.snapshots(pod.pod_id) if first_second <= s.observe_time.seconds < end_second
                ]
                received += min(len(observed), window)
            expected = pods * window
    finally:
        for process in reversed(processes):
            process.stop()
    latencies = orders["latencies_ms"]
    return LoadResult(
        seconds=seconds,
        pods=pods,
        polls_expected=expected,
        polls_received=received,
        unhealthy_pods=unhealthy,
        orders_offered_per_s=order_rate,
        orders_answered=orders["orders"],
        order_errors=orders["errors"],
        order_p50_ms=statistics.median(latencies) if latencies else float("nan"),
        order_p99_ms=percentile(latencies, 0.99),
        probes=sum(len(v) for v in probe.latencies_ms.values()),
        probe_errors=probe.errors,
        list_pods_p99_ms=percentile(probe.latencies_ms["ListPods"], 0.99),
        status_p99_ms=percentile(probe.latencies_ms["Status"], 0.99),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pods", type=int, default=100)
    parser.add_argument("--order-rate", type=float, default=500.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        result = run_load(args.seconds, args.pods, args.order_rate, Path(directory))
    print(
        f"\n### Load: {result.pods} pods polled every second, {result.orders_offered_per_s:,.0f} orders/s, "
        f"{result.seconds:.0f} s\n"
    )
    print("| what | count | errors | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|")
    print(
        f"| status polls (federation -> pods) | {result.polls_received:,} of {result.polls_expected:,} | "
        f"{result.unhealthy_pods} pods missing polls or unreachable | | |"
    )
    print(
        f"| market orders (20 pods, sessions) | {result.orders_answered:,} | {result.order_errors} | "
        f"{result.order_p50_ms:.2f} | {result.order_p99_ms:.2f} |"
    )
    print(
        f"| operator probes (ListPods, pod Status, every 100 ms) | {result.probes:,} | {result.probe_errors} | | "
        f"ListPods {result.list_pods_p99_ms:.2f}, Status {result.status_p99_ms:.2f} |"
    )
    print(f"\nTotal errors: {result.errors}")


if __name__ == "__main__":
    main()
