"""Benchmark the gateway: orders per second to the paper venue with every check on, and
submit-to-acknowledge latency, for 1 and 20 concurrent pods; and the rate limiter's achieved
rate against its configured one. Prints Markdown tables.

The gateway runs as its own process (`slipstream serve gateway`); the load comes from this
one over gRPC (grpc.aio), each pod sending its next order when the previous is acknowledged.
Every acknowledged order is durable: committed to SQLite (WAL) before the answer.

Usage: .venv/bin/python bench/bench_gateway.py [--orders 4000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import grpc
from slipstream_api.v1 import common_pb2, gateway_pb2, gateway_pb2_grpc

from slipstream.demo.processes import ServiceProcess
from slipstream.gateway.ratelimit import RateLimiter
from slipstream.transport import auth

PODS = 20


def config(pods: int) -> str:
    lines = [
        'admin_token = "bench-admin"',
        "[risk]",
        "max_orders_per_second = 100000",
        'max_order_notional_usd = "1000000000"',
        "[[accounts]]",
        'name = "paper"',
        "walk_interval_seconds = 0",
        "[accounts.prices]",
        '"BTC/USDT" = "50000"',
    ]
    for index in range(pods):
        lines += [
            "[[pods]]",
            f'pod_id = "p{index}"',
            f'token = "t{index}"',
            'account = "paper"',
            "[pods.limits]",
            'capital_allocation_usd = "1000000"',
            'max_gross_notional_usd = "10000000"',
        ]
    return "\n".join(lines) + "\n"


async def load(address: str, pods: int, orders: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    decision = datetime(2026, 1, 1, tzinfo=timezone.utc)

    async def pod(index: int, count: int, stub: gateway_pb2_grpc.GatewayServiceStub) -> None:
        metadata = auth.bearer_metadata(f"t{index}")
        for n in range(count):
            request = gateway_pb2.SubmitOrderRequest(
                client_order_id=f"b{n}",
                symbol="BTC/USDT",
                side=common_pb2.ORDER_SIDE_BUY if n % 2 else common_pb2.ORDER_SIDE_SELL,
                type=gateway_pb2.ORDER_TYPE_MARKET,
                quantity="0.001",
                decision_price="50000",
            )
            request.decision_time.FromDatetime(decision)
            started = time.perf_counter()
            answer = await stub.SubmitOrder(request, metadata=metadata, timeout=10)
            latencies.append(time.perf_counter() - started)
            assert answer.order.status == gateway_pb2.ORDER_STATUS_FILLED, answer.order.reject_message

    async with grpc.aio.insecure_channel(address) as channel:
        stub = gateway_pb2_grpc.GatewayServiceStub(channel)
        await pod(0, 50, stub)  # warm up
        latencies.clear()
        started = time.perf_counter()
        await asyncio.gather(*(pod(i, orders // pods, stub) for i in range(pods)))
        return time.perf_counter() - started, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=4000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for pods in (1, PODS):
            data = Path(directory) / f"gw{pods}"
            data.mkdir()
            (data / "gateway.toml").write_text(config(PODS))
            process = ServiceProcess(
                "gateway",
                [
                    sys.executable,
                    "-m",
                    "slipstream.cli.main",
                    "--data-dir",
                    str(data),
                    "serve",
                    "gateway",
                    "--config",
                    str(data / "gateway.toml"),
                    "--listen",
                    "127.0.0.1:0",
                ],
            )
            try:
                elapsed, latencies = asyncio.run(load(process.wait_address(), pods, args.orders))
            finally:
                process.stop()
            ordered = sorted(latencies)
            rows.append(
                (
                    pods,
                    len(latencies) / elapsed,
                    statistics.median(ordered) * 1000,
                    ordered[int(0.99 * len(ordered))] * 1000,
                )
            )

    async def limiter_run(configured_per_s: float, requests: int) -> float:
        limiter = RateLimiter(1000.0 / configured_per_s, capacity=1, monotonic=time.monotonic)
        limiter.start()
        started = time.monotonic()
        await asyncio.gather(*(limiter.acquire(f"p{i % 20}") for i in range(requests)))
        elapsed = time.monotonic() - started
        await limiter.stop()
        grants = [t for t, _, _ in limiter.granted]
        worst = max(sum(1 for t in grants if start <= t < start + 1.0) for start in grants)
        return requests / elapsed, worst

    achieved, worst_window = asyncio.run(limiter_run(200.0, 1000))

    print("\n### Gateway: market orders to the paper venue, all checks on, durable before the answer\n")
    print("| pods | orders/s | submit-to-ack p50 ms | p99 ms |\n|---:|---:|---:|---:|")
    for pods, rate, p50, p99 in rows:
        print(f"| {pods} | {rate:,.0f} | {p50:.2f} | {p99:.2f} |")
    print("\n### Rate limiter: 1,000 requests from 20 pods against a configured 200 per second (burst 1)\n")
    print("| configured /s | achieved /s | most in any 1 s window |\n|---:|---:|---:|")
    print(f"| 200 | {achieved:.1f} | {worst_window} |")


if __name__ == "__main__":
    main()
