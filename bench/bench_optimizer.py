"""Benchmark one cycle of the meta-optimizer's core and its HRP against PyPortfolioOpt and Riskfolio-Lib.

The cycle, for 50, 200, 500 and 1000 pods with 730 daily returns each: returns on allocated
capital from one snapshot per pod per day (allocations change every 90 days, a fifth of the
pods start late, 1% of days are missing), Ledoit-Wolf covariance, HRP, decay, the capital
constraints, vol-standardised limits for 4 of 40 symbols per pod, the BTC-correlation stress
test and risk overlay at every pod's caps, and each pod's liquidity capacity. Snapshots are
built in memory before the clock starts (reading them is the federation's store, measured
elsewhere).

HRP alone is compared on the sample covariance of complete returns, which is what the
references compute: ours is timed from the returns matrix (covariance included), PyPortfolioOpt's
HRPOpt(returns).optimize("single") and Riskfolio-Lib's HCPortfolio(returns).optimization(
model="HRP", codependence="pearson", rm="MV", linkage="single", leaf_order=False) likewise.

Usage: .venv/bin/python bench/bench_optimizer.py [--repeats 5] [--reference-max-pods 1000]
"""

from __future__ import annotations

import argparse
import functools
import math
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from slipstream.optimizer.constraints import CapitalPolicy, PodConstraint
from slipstream.optimizer.covariance import ledoit_wolf, sample_covariance
from slipstream.optimizer.cycle import CycleResult, run_allocation
from slipstream.optimizer.hrp import hrp_weights
from slipstream.optimizer.liquidity import SymbolLiquidity, pod_capacities
from slipstream.optimizer.sizing import SymbolRisk, pod_limits
from slipstream.optimizer.stress import CorrelationStress, risk_overlay, stress_btc_correlation

DAYS = 730
SYMBOLS = ["BTC/USDT"] + [f"S{i:02d}/USDT" for i in range(1, 40)]
SYMBOLS_PER_POD = 4
POD_VOL_TARGET = 0.2
DAY_NS = 86_400 * 10**9


def world(pods: int, seed: int = 7) -> tuple[pd.DataFrame, list[PodConstraint], pd.DataFrame]:
    """Snapshots, constraints and complete pod returns (for the HRP comparison)."""
    rng = np.random.default_rng(seed)
    factors = rng.normal(0, 0.006, (DAYS, 6))
    loadings = rng.normal(0, 1, (6, pods)) * rng.uniform(0.2, 1.0, pods)
    returns = factors @ loadings + rng.normal(0, 0.01, (DAYS, pods)) * rng.uniform(0.5, 2.0, pods) + 0.0004
    capital = np.repeat(rng.uniform(2e5, 2e6, pods)[None, :], DAYS + 1, axis=0)
    for day in range(90, DAYS + 1, 90):
        capital[day:] *= rng.uniform(0.8, 1.25, pods)
    pnl = np.vstack((np.zeros(pods), returns * capital[:-1]))
    nav = capital + np.cumsum(pnl, axis=0)
    observed = rng.random((DAYS + 1, pods)) > 0.01
    late = rng.random(pods) < 0.2
    start = np.where(late, rng.integers(100, DAYS - 10, pods), 0)
    observed &= np.arange(DAYS + 1)[:, None] >= start[None, :]
    day, pod = np.nonzero(observed)
    epoch = pd.Timestamp("2024-01-01", tz="UTC").value
    names = np.array([f"pod-{i:04d}" for i in range(pods)])
    snapshots = pd.DataFrame(
        {
            "pod_id": names[pod],
            "observe_time": pd.to_datetime(epoch + day * DAY_NS + rng.integers(0, DAY_NS, day.size), utc=True),
            "nav_usd": nav[day, pod],
            "capital_allocation_usd": capital[day, pod],
        }
    )
    total = float(capital[-1].sum())
    constraints = [
        PodConstraint(
            pod_id=str(names[i]),
            current_usd=float(capital[-1, i]),
            min_usd=0.2 * total / pods if i % 10 == 0 else 0.0,
            max_fraction=0.05,
            stage="incubation" if i % 7 == 0 else "production",
            stage_cap_usd=1.5e6 if i % 7 == 0 else math.inf,
        )
        for i in range(pods)
    ]
    return snapshots, constraints, pd.DataFrame(returns, columns=names)


def markets(seed: int = 11) -> tuple[np.ndarray, np.ndarray, list[SymbolLiquidity], np.ndarray]:
    """Symbol returns (BTC first), prices, liquidity, daily vol history."""
    rng = np.random.default_rng(seed)
    btc = rng.normal(0, 0.03, DAYS)
    betas = np.concatenate(([1.0], rng.uniform(0.3, 1.4, len(SYMBOLS) - 1)))
    returns = btc[:, None] * betas + rng.normal(0, 0.02, (DAYS, len(SYMBOLS))) * np.r_[0.0, np.ones(len(SYMBOLS) - 1)]
    prices = rng.uniform(0.1, 60_000, len(SYMBOLS))
    vol_history = pd.DataFrame(returns).ewm(span=35).std().to_numpy()
    liquidity = [
        SymbolLiquidity(symbol, float(rng.uniform(5e7, 5e9)), float(returns[:, s].std()), float(rng.uniform(0.5, 3)))
        for s, symbol in enumerate(SYMBOLS)
    ]
    return returns, prices, liquidity, vol_history


def full_cycle(
    snapshots: pd.DataFrame,
    constraints: list[PodConstraint],
    policy: CapitalPolicy,
    market: tuple[np.ndarray, np.ndarray, list[SymbolLiquidity], np.ndarray],
    books: np.ndarray,
) -> tuple[CycleResult, CorrelationStress]:
    symbol_returns, prices, liquidity, vol_history = market
    result = run_allocation(snapshots, constraints, policy)
    asset_cov = ledoit_wolf(symbol_returns).covariance
    annual_vol = np.sqrt(np.diag(asset_cov) * 365)
    pods = [pod.pod_id for pod in result.allocation.pods]
    exposures = np.zeros((len(pods), len(SYMBOLS)))
    for p, pod in enumerate(result.allocation.pods):
        risks = [SymbolRisk(SYMBOLS[s], float(annual_vol[s]), float(prices[s])) for s in books[p]]
        limits = pod_limits(pod.capital_usd, POD_VOL_TARGET, risks)
        for s, limit in zip(books[p], limits.symbol_limits, strict=True):
            assert limit.max_position_notional_usd is not None
            exposures[p, s] = float(limit.max_position_notional_usd) * (1 if (p + s) % 3 else -1)
    stress = stress_btc_correlation(pods, exposures, asset_cov, SYMBOLS)
    target = policy.total_capital_usd * POD_VOL_TARGET / math.sqrt(365)
    risk_overlay(exposures.sum(axis=0), asset_cov, vol_history, risk_target_usd_per_day=target)
    capital = np.array([pod.capital_usd for pod in result.allocation.pods])
    per_capital = np.divide(exposures, capital[:, None], out=np.zeros_like(exposures), where=capital[:, None] > 0)
    pod_capacities(pods, per_capital, liquidity, budget_bps=25.0, daily_trade_fraction=0.5)
    return result, stress


def timed(function: Callable[[], object], repeats: int) -> list[float]:
    durations = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return durations


def reference_weights(returns: pd.DataFrame) -> tuple[float, np.ndarray, float, np.ndarray]:
    from pypfopt import HRPOpt
    from riskfolio import HCPortfolio

    start = time.perf_counter()
    pypfopt = HRPOpt(returns).optimize(linkage_method="single")
    pypfopt_s = time.perf_counter() - start
    start = time.perf_counter()
    riskfolio = HCPortfolio(returns=returns).optimization(
        model="HRP", codependence="pearson", rm="MV", linkage="single", leaf_order=False
    )
    riskfolio_s = time.perf_counter() - start
    ordered = list(returns.columns)
    return (
        pypfopt_s,
        np.array([pypfopt[c] for c in ordered]),
        riskfolio_s,
        riskfolio["weights"].reindex(ordered).to_numpy(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reference-max-pods", type=int, default=1000)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    market = markets()
    rows = []
    for pods in (50, 200, 500, 1000):
        snapshots, constraints, returns = world(pods)
        policy = CapitalPolicy(sum(c.current_usd for c in constraints), max_turnover_usd=None)
        others = np.argsort(np.random.default_rng(pods).random((pods, len(SYMBOLS) - 1)), axis=1)
        books = np.column_stack((np.zeros(pods, dtype=int), others[:, : SYMBOLS_PER_POD - 1] + 1))
        run = functools.partial(full_cycle, snapshots, constraints, policy, market, books)
        result, stress = run()
        cycle = timed(run, args.repeats)
        matrix = returns.to_numpy()
        ours = hrp_weights(sample_covariance(matrix))
        hrp = statistics.median(timed(functools.partial(hrp_from_returns, matrix), args.repeats))
        enb = result.effective_number_of_bets
        row = [
            str(pods),
            f"{statistics.median(cycle) * 1000:.0f} / {min(cycle) * 1000:.0f}",
            f"{hrp * 1000:.1f}",
        ]
        if pods <= args.reference_max_pods:
            pypfopt_s, pypfopt_w, riskfolio_s, riskfolio_w = reference_weights(returns)
            row += [
                f"{pypfopt_s * 1000:.0f}",
                f"{riskfolio_s * 1000:.0f}",
                f"{min(pypfopt_s, riskfolio_s) / hrp:.0f}x",
                f"{np.abs(ours - pypfopt_w).max():.1e}",
                f"{np.abs(ours - riskfolio_w).max():.1e}",
            ]
        else:
            row += ["skipped", "skipped", "-", "-", "-"]
        row += [
            str(len(result.allocation.pods) - len(result.target_weights)),
            "-" if enb is None else f"{enb:.1f}",
            f"{stress.correlation_before:.2f} / {stress.correlation_after:.2f} ({len(stress.cuts)})",
        ]
        rows.append(row)
    print(f"\n### Optimizer cycle and HRP ({DAYS} daily returns per pod; ms, median of {args.repeats} runs)\n")
    print(
        "| pods | full cycle (median / best) | our HRP (cov + HRP) | PyPortfolioOpt HRP | Riskfolio-Lib HRP"
        " | speedup vs fastest | max abs dw vs PyPortfolioOpt | max abs dw vs Riskfolio | pods held (short history)"
        " | ENB | BTC corr before / after (pods cut) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\nReferences are timed once each; speedup = the fastest reference / our median.")


def hrp_from_returns(returns: np.ndarray) -> np.ndarray:
    return hrp_weights(sample_covariance(returns))


if __name__ == "__main__":
    main()
