"""Benchmark a full federation cycle (poll, audit, lifecycle, allocate, stress, push) for 10, 100
and 500 pods, and the demo's simulated days per second. Prints Markdown tables.

Every service is a real gRPC server on 127.0.0.1 and every pod a real pod server, all in this
process on one simulated clock (the demo's replay). Each size first replays 35 days, so every pod
has the daily returns the optimizer and analytics need (20 and 30), then times cycles.

Usage: .venv/bin/python bench/bench_orchestrator.py [--sizes 10,100,500] [--cycles 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from slipstream.demo.pods import Cast, Foresight, LeveragedIndex, SpreadAlpha
from slipstream.demo.replay import Replay, ReplaySettings

WARM_DAYS = 35


def crowd(size: int) -> object:
    def make(foresight: Foresight, seed: int) -> list[Cast]:
        members = []
        for i in range(size):
            strategy = (
                SpreadAlpha(foresight, hit_rate=0.55, seed=seed + i)
                if i % 2
                else LeveragedIndex(leverage=Decimal(1) + Decimal(i % 5) / 4)
            )
            members.append(Cast(f"p{i:03d}", strategy, "bench"))
        return members

    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,500")
    parser.add_argument("--cycles", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as directory:
            replay = Replay(
                ReplaySettings(
                    Path(directory),
                    days=WARM_DAYS,
                    cycle_days=10**6,
                    total_capital_usd=1_000_000.0 * size / 6,
                    cast=crowd(size),  # type: ignore[arg-type]
                )
            )
            started = time.perf_counter()
            replay.start()
            start_s = time.perf_counter() - started
            try:
                started = time.perf_counter()
                replay.run()
                days_per_s = WARM_DAYS / (time.perf_counter() - started)
                assert replay.orchestrator is not None
                timings, steps = [], {}
                for _ in range(args.cycles):
                    began = time.perf_counter()
                    cycle = replay.orchestrator.run_cycle("bench")
                    timings.append(time.perf_counter() - began)
                    assert all(step.ok for step in cycle.steps), [s.detail for s in cycle.steps if not s.ok]
                    for step in cycle.steps:
                        steps.setdefault(step.name, []).append(step.duration_s)
            finally:
                replay.stop()
        rows.append(
            (size, start_s, days_per_s, statistics.median(timings), {k: statistics.median(v) for k, v in steps.items()})
        )

    print("\n### Federation cycle, every service and pod a real gRPC server in one process\n")
    print("| pods | start s | replay days/s | cycle median s | poll | audit | lifecycle | allocate |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, start_s, days_per_s, cycle_s, steps in rows:
        parts = " | ".join(f"{steps[name] * 1000:,.0f} ms" for name in ("poll", "audit", "lifecycle", "allocate"))
        print(f"| {size} | {start_s:.1f} | {days_per_s:.1f} | {cycle_s:.2f} | {parts} |")


if __name__ == "__main__":
    main()
