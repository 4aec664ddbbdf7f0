"""Crash faults over many seeds: kill -9 of the federation, the gateway and the auditor at seeded
random moments of a trading run, each seed on a fresh system, more kills per seed than CI runs.

Each seed kills every service once (in a seeded order) and then more, picked by the seed, each
at a random point of the order flow; after every restart the killed service's state is checked,
and after the seed's kills every order, fill, nonce and feed event is. The harness is the one
tests/hardening/test_crash_faults.py uses (tests/hardening/crash_run.py). Prints a Markdown
table; the columns from "lost" to "state lost" must be zero. The last column counts the orders a
killed gateway left pending or working in its store: how often a kill caught orders in flight.

Usage: .venv/bin/python bench/bench_faults.py [--seeds 5] [--kills 6]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "hardening"), str(ROOT / "tests")]

from crash_run import CrashRun, Outcome, markdown_table  # noqa: E402
from support import LoopThread  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5, help="seeds 1..N, each on a fresh system")
    parser.add_argument("--kills", type=int, default=6, help="kills per seed (at least one of each service)")
    args = parser.parse_args()
    outcomes: list[Outcome] = []
    loop = LoopThread()
    started = time.monotonic()
    try:
        for seed in range(1, args.seeds + 1):
            with tempfile.TemporaryDirectory() as root, CrashRun(Path(root), loop, kills_per_seed=args.kills) as run:
                outcomes.append(run.run(seed))
            for problem in outcomes[-1].problems:
                print(f"seed {seed}: {problem}", file=sys.stderr)
    finally:
        loop.close()
    print(markdown_table(outcomes))
    print(f"\n{args.seeds} seeds, {args.kills} kills each, in {time.monotonic() - started:.0f} s")
    clean = all(
        not o.problems and o.lost + o.duplicated + o.nonce_violations + o.feed_gaps + o.state_lost == 0
        for o in outcomes
    )
    sys.exit(0 if clean else 1)


if __name__ == "__main__":
    main()
