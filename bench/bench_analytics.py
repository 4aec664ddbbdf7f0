"""Benchmark the analytics core on synthetic data.

Residual returns: 500 pods x 730 days regressed on BTC and ETH with Newey-West (HAC) errors,
the batched fit against a plain statsmodels loop (`sm.OLS(y, X).fit(cov_type="HAC", ...)` per
pod) in the same run, with the largest absolute difference of alpha, betas, t-statistics,
p-values and R^2 between them. 2% of the pods joined late and 2% have a ten-day gap, so the
batching by validity mask is exercised. Goal: at least 10x faster, equal to 1e-10.

Implementation shortfall: 1,000,000 fills of 250,000 orders (some partially filled) with
string ids, costed per order and aggregated per pod, symbol and day. Goal: under 1 s.

Times are the best and the median of `--repeats` runs, single process. BLAS runs on one thread
for both sides by default: on a small shared machine a multi-threaded BLAS call waits for a busy
core, which turns sub-millisecond products into tens of milliseconds at random;
`--blas-threads 0` leaves OpenBLAS at its default.

Usage: .venv/bin/python bench/bench_analytics.py [--repeats 5] [--pods 500] [--days 730] [--fills 1000000]
       [--blas-threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import statsmodels.api as sm
from threadpoolctl import threadpool_limits

from slipstream.analytics.residual import ResidualReport, fit_residuals, newey_west_lags
from slipstream.analytics.shortfall import aggregate_shortfall, order_shortfall


def timed(action: Callable[[], object], repeats: int) -> tuple[list[float], object]:
    durations, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        durations.append(time.perf_counter() - start)
    return durations, result


def residual_world(pods: int, days: int, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2024-01-01", periods=days, freq="D", tz="UTC")
    btc = rng.normal(0.001, 0.03, days)
    eth = 0.9 * btc + rng.normal(0.0, 0.02, days)
    factors = pd.DataFrame({"BTC": btc, "ETH": eth}, index=index)
    betas = rng.normal(0.3, 0.8, (pods, 2))
    alphas = rng.normal(0.0, 0.001, pods)
    noise = rng.standard_t(5, (days, pods)) * 0.01
    noise[1:] += 0.2 * noise[:-1]
    returns = alphas + factors.to_numpy() @ betas.T + noise
    late = rng.choice(pods, max(1, pods // 50), replace=False)
    for pod in late:
        returns[: rng.integers(30, 200), pod] = np.nan
    gapped = rng.choice(np.setdiff1d(np.arange(pods), late), max(1, pods // 50), replace=False)
    for pod in gapped:
        start = rng.integers(0, days - 10)
        returns[start : start + 10, pod] = np.nan
    return pd.DataFrame(returns, index=index, columns=[f"pod-{i:04d}" for i in range(pods)]), factors


def statsmodels_loop(returns: pd.DataFrame, factors: pd.DataFrame) -> dict[str, np.ndarray]:
    design = sm.add_constant(factors.to_numpy())
    results = {}
    for pod in returns.columns:
        y = returns[pod].to_numpy()
        rows = np.isfinite(y)
        fit = sm.OLS(y[rows], design[rows]).fit(cov_type="HAC", cov_kwds={"maxlags": newey_west_lags(int(rows.sum()))})
        results[pod] = np.r_[fit.params, fit.tvalues, fit.pvalues, fit.rsquared]
    return results


def largest_difference(ours: ResidualReport, theirs: dict[str, np.ndarray]) -> float:
    worst = 0.0
    for pod, expected in theirs.items():
        fit = ours.fits[pod]
        mine = np.r_[fit.alpha_daily, fit.betas, fit.alpha_t, fit.beta_ts, fit.alpha_p, fit.beta_ps, fit.r_squared]
        worst = max(worst, float(np.abs(mine - expected).max()))
    return worst


def shortfall_world(fill_count: int, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    order_count = fill_count // 4
    order_ids = np.array([f"ord-{i:09d}" for i in range(order_count)], dtype=object)
    decision = rng.uniform(1.0, 100_000.0, order_count)
    orders = pd.DataFrame(
        {
            "order_id": order_ids,
            "pod_id": np.array([f"pod-{i:04d}" for i in range(500)], dtype=object)[rng.integers(0, 500, order_count)],
            "symbol": np.array(["BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT"], dtype=object)[
                rng.integers(0, 4, order_count)
            ],
            "side": np.array(["buy", "sell"], dtype=object)[rng.integers(0, 2, order_count)],
            "quantity": np.full(order_count, 4.0),
            "decision_price": decision,
            "decision_time": pd.Timestamp("2026-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 30 * 86_400, order_count), unit="s"),
            "end_price": decision * (1 + rng.normal(0.0, 0.002, order_count)),
        }
    )
    owner = np.repeat(np.arange(order_count), 4)
    fills = pd.DataFrame(
        {
            "fill_id": np.array([f"fill-{i:010d}" for i in range(fill_count)], dtype=object),
            "order_id": order_ids[owner],
            # Fills of 0.5 to 1.0 each: some orders fill completely, most partially.
            "quantity": rng.choice([0.5, 0.75, 1.0], fill_count),
            "price": decision[owner] * (1 + rng.normal(0.0002, 0.001, fill_count)),
            "fee_usd": rng.uniform(0.0, 2.0, fill_count),
        }
    )
    return orders, fills


def milliseconds(durations: list[float]) -> tuple[float, float]:
    return min(durations) * 1000, statistics.median(durations) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pods", type=int, default=500)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--fills", type=int, default=1_000_000)
    parser.add_argument("--blas-threads", type=int, default=1, help="0: OpenBLAS default")
    args = parser.parse_args()
    if args.blas_threads > 0:
        with threadpool_limits(limits=args.blas_threads, user_api="blas"):
            run(args)
    else:
        run(args)


def run(args: argparse.Namespace) -> None:
    returns, factors = residual_world(args.pods, args.days)
    ours_times, report = timed(lambda: fit_residuals(returns, factors), args.repeats)
    theirs_times, theirs = timed(lambda: statsmodels_loop(returns, factors), max(2, args.repeats // 2))
    assert isinstance(report, ResidualReport) and isinstance(theirs, dict)
    difference = largest_difference(report, theirs)
    ours_best, ours_median = milliseconds(ours_times)
    theirs_best, theirs_median = milliseconds(theirs_times)

    orders, fills = shortfall_world(args.fills)
    cost_times, per_order = timed(lambda: order_shortfall(orders, fills), args.repeats)
    assert isinstance(per_order, pd.DataFrame)
    aggregate_times, aggregated = timed(lambda: aggregate_shortfall(per_order), args.repeats)
    assert isinstance(aggregated, pd.DataFrame)

    print(
        f"\n### Residual returns: {args.pods} pods x {args.days} days on BTC and ETH, HAC "
        f"(maxlags {newey_west_lags(args.days)} for full histories), BLAS threads: {args.blas_threads or 'default'}\n"
    )
    print("| implementation | best ms | median ms | speed-up (best) | max abs difference vs statsmodels |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| batched numpy (ours) | {ours_best:.1f} | {ours_median:.1f} | {theirs_best / ours_best:.1f}x "
        f"| {difference:.2e} |"
    )
    print(f"| statsmodels loop | {theirs_best:.1f} | {theirs_median:.1f} | 1.0x | - |")
    print(f"\n{len(report.fits)} pods fitted; the difference covers alpha, betas, HAC t-statistics, p-values and R^2.")

    cost_best, cost_median = milliseconds(cost_times)
    aggregate_best, aggregate_median = milliseconds(aggregate_times)
    print(f"\n### Implementation shortfall: {len(fills):,} fills of {len(orders):,} orders\n")
    print("| step | best ms | median ms | goal |\n|---|---:|---:|---|")
    print(f"| per-order shortfall (dedupe, validate, cost) | {cost_best:.0f} | {cost_median:.0f} | < 1000 ms |")
    groups = f"{len(aggregated):,} rows"
    print(f"| aggregate per pod, symbol and day ({groups}) | {aggregate_best:.0f} | {aggregate_median:.0f} | - |")


if __name__ == "__main__":
    main()
