"""Square-root market impact: expected slippage, capacity, and the impact coefficient from our own fills.

Model (Tóth, Lemperière, Deremble, de Lataillade, Kockelkoren and Bouchaud, "Anomalous price
impact and the critical nature of liquidity in financial markets", Phys. Rev. X 1, 2011; Almgren,
Thum, Hauptmann and Li, "Direct estimation of equity market impact", Risk, 2005):
    slippage_bps(Q) = half_spread_bps + Y · σ_daily · sqrt(Q / V_daily) · 1e4
with Q a metaorder's notional traded within a day, V the symbol's daily volume (both USD) and
σ_daily its daily volatility (a fraction). Y is of order one across markets and eras (Tóth et al.;
Bouchaud, Bonart, Donier and Gould, "Trades, Quotes and Prices", 2018, ch. 12), so Y = 1 until
we have enough trades of our own.

Capacity is the largest Q whose expected slippage stays within a budget B, in closed form:
    Q* = V · ((B - half_spread) / (Y · σ · 1e4))², zero when the spread alone exceeds B.

Calibration: a metaorder's impact y = slippage - half spread (bps, positive = cost) is regressed
through the origin on x = σ · sqrt(Q / V) · 1e4. The noise of y scales with σ (the price keeps
moving while the order works), so both sides are divided by σ: weighted least squares with
weights 1/σ², Y = Σ(x y / σ²) / Σ(x² / σ²), standard error from the weighted residuals. Fewer
than `min_trades` metaorders, or an estimate that is not significantly positive (t < 2), keep Y = 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slipstream.core.errors import InvalidArgument
from slipstream.optimizer.validation import finite_number, matrix, vector

DEFAULT_IMPACT_COEFFICIENT = 1.0
BPS = 1e4
SURFACE_PARTICIPATION = (0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1)


@dataclass(frozen=True)
class SymbolLiquidity:
    symbol: str
    daily_volume_usd: float
    daily_volatility: float
    half_spread_bps: float
    impact_coefficient: float = DEFAULT_IMPACT_COEFFICIENT


@dataclass(frozen=True)
class ImpactCalibration:
    coefficient: float
    standard_error: float | None
    trade_count: int
    calibrated: bool
    reason: str


@dataclass(frozen=True)
class PodCapacity:
    pod_id: str
    capacity_usd: float
    binding_symbol: str | None
    reason: str


def expected_slippage_bps(
    quantity_usd: ArrayLike,
    daily_volume_usd: ArrayLike,
    daily_volatility: ArrayLike,
    half_spread_bps: ArrayLike,
    impact_coefficient: ArrayLike = DEFAULT_IMPACT_COEFFICIENT,
) -> NDArray[np.float64]:
    """Expected cost in bps of trading `quantity_usd` within a day; broadcasts like numpy."""
    quantity = _non_negative(quantity_usd, "quantity_usd")
    volume = _positive(daily_volume_usd, "daily_volume_usd")
    sigma = _non_negative(daily_volatility, "daily_volatility")
    spread = _non_negative(half_spread_bps, "half_spread_bps")
    coefficient = _non_negative(impact_coefficient, "impact_coefficient")
    return np.asarray(spread + coefficient * sigma * np.sqrt(quantity / volume) * BPS)


def capacity_usd(
    budget_bps: ArrayLike,
    daily_volume_usd: ArrayLike,
    daily_volatility: ArrayLike,
    half_spread_bps: ArrayLike,
    impact_coefficient: ArrayLike = DEFAULT_IMPACT_COEFFICIENT,
) -> NDArray[np.float64]:
    """The largest daily notional whose expected slippage is within `budget_bps` (inf if impact is zero)."""
    budget = _non_negative(budget_bps, "budget_bps")
    volume = _positive(daily_volume_usd, "daily_volume_usd")
    sigma = _non_negative(daily_volatility, "daily_volatility")
    spread = _non_negative(half_spread_bps, "half_spread_bps")
    coefficient = _non_negative(impact_coefficient, "impact_coefficient")
    room = np.maximum(budget - spread, 0.0)
    impact_per_root = coefficient * sigma * BPS
    with np.errstate(divide="ignore", invalid="ignore"):
        capacity = np.where(impact_per_root > 0, volume * (room / impact_per_root) ** 2, np.inf)
    return np.asarray(np.where(room > 0, capacity, 0.0))


def slippage_surface(
    liquidity: SymbolLiquidity, participation: Sequence[float] = SURFACE_PARTICIPATION
) -> tuple[tuple[float, float], ...]:
    """(order notional USD, expected slippage bps) at the given fractions of daily volume."""
    fractions = _non_negative(participation, "participation")
    sizes = fractions * liquidity.daily_volume_usd
    slippage = expected_slippage_bps(
        sizes,
        liquidity.daily_volume_usd,
        liquidity.daily_volatility,
        liquidity.half_spread_bps,
        liquidity.impact_coefficient,
    )
    return tuple((float(size), float(bps)) for size, bps in zip(sizes, slippage, strict=True))


def max_position_usd(liquidity: SymbolLiquidity, budget_bps: float, daily_trade_fraction: float) -> float:
    """The largest position that can be traded `daily_trade_fraction` of a day within the slippage budget."""
    fraction = _trade_fraction(daily_trade_fraction)
    capacity = capacity_usd(
        budget_bps,
        liquidity.daily_volume_usd,
        liquidity.daily_volatility,
        liquidity.half_spread_bps,
        liquidity.impact_coefficient,
    )
    return float(capacity) / fraction


def pod_capacities(
    pod_ids: Sequence[str],
    exposure_per_capital: ArrayLike,
    liquidity: Sequence[SymbolLiquidity],
    *,
    budget_bps: float,
    daily_trade_fraction: float,
) -> tuple[PodCapacity, ...]:
    """Each pod's largest capital before trading any of its symbols costs more than `budget_bps`.

    `exposure_per_capital[p, s]` is pod p's position in symbol s per USD of its capital (signed or
    not); it trades `daily_trade_fraction` of each position a day, so at capital K its daily
    metaorder is fraction · |exposure| · K and K may grow to min over s of capacity_s / (fraction · |exposure|).
    """
    exposure = np.abs(matrix(exposure_per_capital, "exposure_per_capital", shape=(len(pod_ids), len(liquidity))))
    fraction = _trade_fraction(daily_trade_fraction)
    budget = finite_number(budget_bps, "budget_bps", minimum=0.0)
    capacities = capacity_usd(
        budget,
        [s.daily_volume_usd for s in liquidity],
        [s.daily_volatility for s in liquidity],
        [s.half_spread_bps for s in liquidity],
        [s.impact_coefficient for s in liquidity],
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        per_symbol = np.where(exposure > 0, capacities[None, :] / (fraction * exposure), np.inf)
    binding = np.argmin(per_symbol, axis=1) if per_symbol.shape[1] else np.zeros(len(pod_ids), dtype=np.intp)
    result = []
    for p, pod_id in enumerate(pod_ids):
        if not per_symbol.shape[1] or not math.isfinite(per_symbol[p, binding[p]]):
            result.append(PodCapacity(pod_id, math.inf, None, "no exposure to a symbol with finite liquidity"))
            continue
        s = int(binding[p])
        capacity = float(per_symbol[p, s])
        result.append(
            PodCapacity(
                pod_id,
                capacity,
                liquidity[s].symbol,
                f"{liquidity[s].symbol}: trading {fraction:.0%} of a {exposure[p, s]:.2f}x position a day"
                f" costs {budget:g} bps at {capacity:,.0f} USD of capital",
            )
        )
    return tuple(result)


def calibrate_impact(
    quantity_usd: ArrayLike,
    daily_volume_usd: ArrayLike,
    daily_volatility: ArrayLike,
    slippage_bps: ArrayLike,
    half_spread_bps: ArrayLike,
    *,
    min_trades: int = 30,
) -> ImpactCalibration:
    """Y from executed metaorders (one entry per metaorder), or the default when the data cannot support one."""
    quantity = vector(quantity_usd, "quantity_usd", non_negative=True)
    n = quantity.shape[0]
    volume = vector(daily_volume_usd, "daily_volume_usd", length=n, non_negative=True)
    sigma = vector(daily_volatility, "daily_volatility", length=n, non_negative=True)
    slippage = vector(slippage_bps, "slippage_bps", length=n)
    spread = vector(half_spread_bps, "half_spread_bps", length=n, non_negative=True)
    if np.any(volume == 0):
        raise InvalidArgument("daily_volume_usd", f"entry {int(np.argmax(volume == 0))} is 0: values must be > 0")
    usable = (sigma > 0) & (quantity > 0)
    count = int(usable.sum())
    if count < max(min_trades, 2):
        return ImpactCalibration(
            DEFAULT_IMPACT_COEFFICIENT, None, count, False, f"{count} metaorders, {min_trades} needed: default Y"
        )
    x = np.sqrt(quantity[usable] / volume[usable])
    y = (slippage[usable] - spread[usable]) / (sigma[usable] * BPS)
    coefficient = float(x @ y / (x @ x))
    residual = y - coefficient * x
    standard_error = math.sqrt(float(residual @ residual) / (count - 1) / float(x @ x))
    if coefficient <= 2 * standard_error:
        return ImpactCalibration(
            DEFAULT_IMPACT_COEFFICIENT,
            standard_error,
            count,
            False,
            f"estimate {coefficient:.3f} ± {standard_error:.3f} is not significantly positive: default Y",
        )
    return ImpactCalibration(
        coefficient, standard_error, count, True, f"Y {coefficient:.3f} ± {standard_error:.3f} from {count} metaorders"
    )


def _trade_fraction(value: float) -> float:
    fraction = finite_number(value, "daily_trade_fraction")
    if fraction <= 0:
        raise InvalidArgument("daily_trade_fraction", f"must be > 0, got {value}")
    return fraction


def _non_negative(values: ArrayLike, field: str) -> NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64)
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        raise InvalidArgument(field, f"must be finite and >= 0, got {array[bad].flat[0]}")
    return array


def _positive(values: ArrayLike, field: str) -> NDArray[np.float64]:
    array = _non_negative(values, field)
    if np.any(array == 0):
        raise InvalidArgument(field, "must be > 0")
    return array


def trade_metaorders(
    trade_time_ms: ArrayLike, price: ArrayLike, quantity: ArrayLike, side: ArrayLike, *, bucket_ms: int = 60_000
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Metaorder proxies from public trades, for `calibrate_impact`: (notional USD, slippage bps) per bucket.

    Public trades carry no parent order, so each `bucket_ms` window's net aggressor flow stands in
    for one metaorder: Q = |net signed notional| and its slippage is the price move from the
    window's first to last trade, signed by the flow's direction (positive when the price moved
    with the flow, which is what impact is). Trades of unknown side (0) are left out.
    """
    times = np.asarray(trade_time_ms, dtype=np.int64)
    prices = _positive(price, "price")
    sizes = _non_negative(quantity, "quantity")
    sides = np.asarray(side, dtype=np.int8)
    known = sides != 0
    times, prices, sizes, sides = times[known], prices[known], sizes[known], sides[known]
    if times.size == 0:
        return np.empty(0), np.empty(0)
    order = np.argsort(times, kind="stable")
    times, prices, sizes, sides = times[order], prices[order], sizes[order], sides[order]
    bucket = times // bucket_ms
    starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    ends = np.r_[starts[1:], times.size] - 1
    signed = np.where(sides == 1, 1.0, -1.0) * sizes * prices
    flow = np.add.reduceat(signed, starts)
    move_bps = (prices[ends] - prices[starts]) / prices[starts] * BPS
    return np.abs(flow), np.sign(flow) * move_bps
