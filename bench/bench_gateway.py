"""Benchmark the gateway: orders per second to the paper venue with every check on, and
submit-to-acknowledge latency, for 1 and 20 concurrent pods, one call per order (SubmitOrder)
and through order-entry sessions (StreamOrders) with a few orders in flight per pod, single or
in order lists of 10 (a basket, a rebalance), each at saturation (the next message leaves when
an answer comes back) and at a fixed offered load (orders leave on schedule whatever the
answers, which is how latency at a given rate is measured); and the rate limiter's achieved
rate against its configured one. Prints Markdown tables.

The gateway runs as its own process (`slipstream serve gateway`); the load comes from a Node.js
process (bench/load/orders.js, @grpc/grpc-js), which costs the 2-core machine less CPU than a
Python client, so what is measured is the gateway. Every acknowledged order is durable:
committed to SQLite (WAL) before the answer.

Usage: .venv/bin/python bench/bench_gateway.py [--orders 6000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from slipstream.demo.processes import ServiceProcess
from slipstream.gateway.ratelimit import RateLimiter

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


LOAD = Path(__file__).parent / "load" / "orders.js"
# (entry, pods, messages in flight per pod, orders per message)
RUNS = (
    ("unary", 1, 1, 1),
    ("unary", 20, 1, 1),
    ("session", 1, 2, 1),
    ("session", 20, 4, 1),
    ("session", 1, 1, 10),
    ("session", 1, 2, 10),
    ("session", 20, 1, 10),
)


# Open load (pods, orders per message, orders per second offered): latency at a given rate, not
# at saturation; the orders leave on schedule whatever the answers.
OFFERED = (
    (1, 10, 2000),
    (20, 10, 2000),
    (20, 1, 500),
)
OFFERED_SECONDS = 10


def node_load(arguments: list[str]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is required for the load generator (see the README's setup)")
    finished = subprocess.run([node, str(LOAD), *arguments], check=True, capture_output=True, text=True, timeout=600)
    return json.loads(finished.stdout)  # type: ignore[no-any-return]


def load(address: str, entry: str, pods: int, window: int, listed: int, orders: int) -> tuple[float, list[float]]:
    """Run the Node load generator; return orders per second and the latencies in ms."""
    result = node_load(
        ["--address", address, "--pods", str(pods), "--orders", str(orders)]
        + ["--mode", entry, "--window", str(window), "--list", str(listed)]
    )
    return result["orders"] / result["seconds"], result["latencies_ms"]


def gateway_process(data: Path) -> ServiceProcess:
    data.mkdir()
    (data / "gateway.toml").write_text(config(PODS))
    return ServiceProcess(
        "gateway",
        [sys.executable, "-m", "slipstream.cli.main", "--data-dir", str(data)]
        + ["serve", "gateway", "--config", str(data / "gateway.toml"), "--listen", "127.0.0.1:0"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=6000)
    args = parser.parse_args()
    rows = []
    offered_rows = []
    with tempfile.TemporaryDirectory() as directory:
        for entry, pods, window, listed in RUNS:
            process = gateway_process(Path(directory) / f"{entry}-{pods}-{window}-{listed}")
            try:
                rate, latencies = load(process.wait_address(), entry, pods, window, listed, args.orders)
            finally:
                process.stop()
            ordered = sorted(latencies)
            p99 = ordered[int(0.99 * len(ordered))]
            rows.append((entry, pods, window, listed, rate, statistics.median(ordered), p99))
        for pods, listed, offered in OFFERED:
            process = gateway_process(Path(directory) / f"offered-{pods}-{listed}-{offered}")
            try:
                result = node_load(
                    ["--address", process.wait_address(), "--pods", str(pods), "--mode", "session"]
                    + ["--list", str(listed), "--rate", str(offered), "--seconds", str(OFFERED_SECONDS)]
                )
            finally:
                process.stop()
            ordered = sorted(result["latencies_ms"])
            answered = result["orders"] / result["seconds"]
            p99 = ordered[int(0.99 * len(ordered))]
            offered_rows.append((pods, listed, offered, answered, result["errors"], statistics.median(ordered), p99))

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
    print(
        "| entry | pods | messages in flight per pod | orders per message | orders/s | submit-to-ack p50 ms | p99 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for entry, pods, window, listed, rate, p50, p99 in rows:
        print(f"| {entry} | {pods} | {window} | {listed} | {rate:,.0f} | {p50:.2f} | {p99:.2f} |")
    print(f"\n### Gateway at a fixed offered load (sessions, {OFFERED_SECONDS} s each, orders sent on schedule)\n")
    print("| pods | orders per message | offered orders/s | answered orders/s | errors | p50 ms | p99 ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for pods, listed, offered, answered, errors, p50, p99 in offered_rows:
        print(f"| {pods} | {listed} | {offered:,} | {answered:,.0f} | {errors} | {p50:.2f} | {p99:.2f} |")
    print("\n### Rate limiter: 1,000 requests from 20 pods against a configured 200 per second (burst 1)\n")
    print("| configured /s | achieved /s | most in any 1 s window |\n|---:|---:|---:|")
    print(f"| 200 | {achieved:.1f} | {worst_window} |")


if __name__ == "__main__":
    main()
