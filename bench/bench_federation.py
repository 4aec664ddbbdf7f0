"""Benchmark the federation's two hot paths and print a Markdown table.

1. Status round trip, federation -> pod in another process, through the federation's own
   pod client (grpc.aio, cached channel), against a bare grpcio unary call (Health/Check on the
   same pod server, sync stub) as the machine's floor.
2. `HaltAllPods` wall time for 1, 10 and 100 pods, each pod its own gRPC server, hosted
   25 to a process; measured by the federation (fan-out) and by the admin client (end to end).

Usage: .venv/bin/python bench/bench_federation.py [--calls 5000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from slipstream_api.v1 import constitution_pb2, constitution_pb2_grpc, federation_pb2

from slipstream.core.model import HaltReason
from slipstream.demo.processes import ServiceProcess, wait_until
from slipstream.federation.client import FederationClient
from slipstream.federation.pod_client import GrpcPodClient, PodTarget
from slipstream.federation.server import start_federation
from slipstream.federation.settings import FederationSettings, PodDeclaration
from slipstream.transport import auth

HERE = Path(__file__).resolve().parent
PODS_PER_HOST = 25


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def host_pods(pod_ids: list[str], federation: str | None = None) -> list[ServiceProcess]:
    hosts = []
    for start in range(0, len(pod_ids), PODS_PER_HOST):
        chunk = pod_ids[start : start + PODS_PER_HOST]
        argv = [sys.executable, str(HERE / "pod_host.py"), *chunk]
        if federation:
            argv += ["--federation", federation]
        hosts.append(ServiceProcess(f"host-{start}", argv))
    return hosts


def bench_status(calls: int) -> dict[str, tuple[float, float]]:
    (host,) = host_pods(["status-pod"])
    address = host.wait_address()
    results = {}
    try:

        async def aio_status(decode: bool) -> list[float]:
            client = GrpcPodClient()
            target = PodTarget("status-pod", address, "token-status-pod")
            stub = constitution_pb2_grpc.ConstitutionServiceStub(client.channel(address))
            metadata = auth.bearer_metadata(target.token)
            request = constitution_pb2.StatusRequest()

            async def call() -> None:
                if decode:
                    await client.status(target, 1.0)
                else:
                    await stub.Status(request, metadata=metadata, timeout=1.0)

            for _ in range(200):
                await call()
            samples = []
            for _ in range(calls):
                started = time.perf_counter()
                await call()
                samples.append(time.perf_counter() - started)
            await client.close()
            return samples

        samples = asyncio.run(aio_status(decode=False))
        results["Status RPC on the federation's pod channel (aio)"] = (
            percentile(samples, 0.5),
            percentile(samples, 0.99),
        )
        samples = asyncio.run(aio_status(decode=True))
        results["... plus decoding into the domain PodStatus"] = (percentile(samples, 0.5), percentile(samples, 0.99))

        with grpc.insecure_channel(address) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            request = health_pb2.HealthCheckRequest()
            for _ in range(200):
                stub.Check(request)
            samples = []
            for _ in range(calls):
                started = time.perf_counter()
                stub.Check(request)
                samples.append(time.perf_counter() - started)
        results["bare grpcio unary (Health/Check, sync)"] = (percentile(samples, 0.5), percentile(samples, 0.99))
    finally:
        host.stop()
    return results


def bench_halt_all(counts: list[int], repeats: int) -> dict[int, tuple[float, float, float]]:
    results = {}
    for count in counts:
        pod_ids = [f"pod-{i:03d}" for i in range(count)]
        with tempfile.TemporaryDirectory() as data_dir:
            settings = FederationSettings(
                data_dir=Path(data_dir),
                listen="127.0.0.1:0",
                admin_token="bench-admin",
                poll_interval_s=30.0,
                pods=tuple(PodDeclaration(pod_id, f"token-{pod_id}") for pod_id in pod_ids),
            )
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, daemon=True)
            thread.start()
            running = asyncio.run_coroutine_threadsafe(start_federation(settings), loop).result(30)
            hosts = host_pods(pod_ids, running.address)
            try:
                with FederationClient(running.address, "bench-admin") as admin:
                    ok = wait_until(
                        lambda count=count: (
                            sum(p.connectivity == federation_pb2.CONNECTIVITY_REACHABLE for p in admin.list_pods())
                            == count
                        ),
                        timeout_s=120,
                    )
                    assert ok, "pods did not all register"
                    server_ms, client_ms = [], []
                    for _ in range(repeats):
                        started = time.perf_counter()
                        response = admin.halt_all(HaltReason.MAINTENANCE, "bench", timeout=timedelta(seconds=5))
                        client_ms.append((time.perf_counter() - started) * 1000)
                        server_ms.append(response.elapsed.ToTimedelta().total_seconds() * 1000)
                        halted = sum(r.outcome == federation_pb2.POD_HALT_OUTCOME_HALTED for r in response.results)
                        assert halted == count, f"only {halted}/{count} halted"
                        for pod_id in pod_ids:
                            assert admin.resume(pod_id, "bench").delivered
                results[count] = (statistics.median(server_ms), max(server_ms), statistics.median(client_ms))
            finally:
                for host in hosts:
                    host.stop()
                asyncio.run_coroutine_threadsafe(running.stop(), loop).result(30)
                loop.call_soon_threadsafe(loop.stop)
                thread.join(5)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    status = bench_status(args.calls)
    print(f"\n### Status round trip ({args.calls} sequential calls, two processes on 127.0.0.1)\n")
    print("| path | p50 ms | p99 ms |\n|---|---:|---:|")
    for name, (p50, p99) in status.items():
        print(f"| {name} | {p50 * 1000:.3f} | {p99 * 1000:.3f} |")

    halts = bench_halt_all([1, 10, 100], args.repeats)
    print(f"\n### halt --all wall time ({args.repeats} runs each; pods hosted {PODS_PER_HOST} per process)\n")
    print("| pods | fan-out median ms | fan-out max ms | end-to-end median ms |\n|---:|---:|---:|---:|")
    for count, (median, worst, end_to_end) in halts.items():
        print(f"| {count} | {median:.1f} | {worst:.1f} | {end_to_end:.1f} |")


if __name__ == "__main__":
    main()
