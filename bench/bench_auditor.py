"""Benchmark one audit cycle: reconcile the exchange's holdings, the gateway's books and the
pods' reports for 10, 100 and 500 pods with 50 symbols across 5 accounts, fold the findings
into the tracker and persist them. The views come from memory (the network reads are the
exchange's and federation's latency, measured elsewhere); 5% of pods misreport.

Usage: .venv/bin/python bench/bench_auditor.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from slipstream.auditor.core import Auditor, AuditorSources
from slipstream.auditor.reconcile import AuditPolicy, PodReport
from slipstream.auditor.store import AuditStore
from slipstream.core.clock import SystemClock

SYMBOLS = [f"S{i:02d}/USDT:USDT" for i in range(50)]
ACCOUNTS = [f"account-{i}" for i in range(5)]


def world(pods: int, seed: int = 3) -> tuple[dict[str, dict[str, Decimal]], list[PodReport], dict[str, Decimal]]:
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    reports, exchange = [], {account: {} for account in ACCOUNTS}
    for index in range(pods):
        account = ACCOUNTS[index % len(ACCOUNTS)]
        booked = {s: Decimal(rng.randint(-1000, 1000)) / 100 for s in rng.sample(SYMBOLS, 10)}
        reported = dict(booked)
        if rng.random() < 0.05:
            symbol = next(iter(booked))
            reported[symbol] = booked[symbol] / 2
        for symbol, quantity in booked.items():
            exchange[account][symbol] = exchange[account].get(symbol, Decimal(0)) + quantity
        reports.append(PodReport(f"pod-{index:04d}", account, now, reported, booked))
    prices = {s: Decimal(rng.randint(1, 100_000)) for s in SYMBOLS}
    return exchange, reports, prices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for pods in (10, 100, 500):
        exchange, reports, prices = world(pods)
        with tempfile.TemporaryDirectory() as directory:
            sources = AuditorSources(
                {account: (lambda held=held: held) for account, held in exchange.items()},
                lambda reports=reports: reports,
                lambda prices=prices: prices,
            )
            auditor = Auditor(
                sources, AuditPolicy(), lambda pod, note: None, AuditStore(Path(directory)), SystemClock()
            )
            durations = [asyncio.run(auditor.run_audit()).duration_s for _ in range(args.repeats)]
            rows.append(
                (pods, statistics.median(durations) * 1000, max(durations) * 1000, len(auditor.open_discrepancies()))
            )
            auditor.store.close()
    print("\n### Audit cycle (50 symbols, 5 accounts, 5% of pods misreporting; views in memory)\n")
    print("| pods | median ms | max ms | open discrepancies |\n|---:|---:|---:|---:|")
    for pods, median, worst, found in rows:
        print(f"| {pods} | {median:.1f} | {worst:.1f} | {found} |")


if __name__ == "__main__":
    main()
