"""Volatility standardisation: per-symbol position caps that give every pod the same daily risk per symbol.

A pod's volatility target in USD per day is capital × annualised target / sqrt(365) (crypto trades
every day; the same year as slipstream.volatility). A symbol with annualised volatility forecast σ
moves σ / sqrt(365) a day, so the notional whose one-day standard deviation equals the target is
    max notional = vol_target_usd_per_day / daily σ,   max quantity = max notional / price.
The cap is the lower of that and the symbol's liquidity capacity, if given. Decimal limits are
rounded down (cents, quantity step) so a cap never grants more than the computation allows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Context, Decimal

from slipstream.core.errors import InvalidArgument
from slipstream.core.model import PodLimits, SymbolLimit
from slipstream.optimizer.validation import finite_number
from slipstream.volatility.estimator import DAYS_PER_YEAR

CENT = Decimal("0.01")
# Wide enough for any cap, and rounding down: a limit never grants more than the computation allows.
EXACT = Context(prec=80, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class SymbolRisk:
    """What sizing needs to know about one symbol."""

    symbol: str
    annualized_volatility: float
    price_usd: float
    liquidity_cap_usd: float = math.inf


@dataclass(frozen=True)
class SymbolCap:
    symbol: str
    daily_volatility: float
    max_notional_usd: float
    max_quantity: float
    binding: str


def daily_volatility(annualized: float, days_per_year: int = DAYS_PER_YEAR) -> float:
    """Annualised volatility (a fraction) per day: σ / sqrt(365)."""
    return annualized / math.sqrt(days_per_year)


def daily_vol_target_usd(capital_usd: float, volatility_target_annualized: float) -> float:
    """The pod's risk budget in USD of one-day standard deviation."""
    capital = finite_number(capital_usd, "capital_usd", minimum=0.0)
    target = finite_number(volatility_target_annualized, "volatility_target_annualized", minimum=0.0)
    return capital * daily_volatility(target)


def symbol_caps(vol_target_usd_per_day: float, symbols: Sequence[SymbolRisk]) -> tuple[SymbolCap, ...]:
    """Per-symbol caps: vol_target_usd_per_day / daily σ, or the liquidity capacity if lower."""
    budget = finite_number(vol_target_usd_per_day, "vol_target_usd_per_day", minimum=0.0)
    caps = []
    seen: set[str] = set()
    for i, risk in enumerate(symbols):
        where = f"symbols[{i}]"
        if not risk.symbol or risk.symbol in seen:
            raise InvalidArgument(f"{where}.symbol", f"must be a non-empty, unique symbol, got {risk.symbol!r}")
        seen.add(risk.symbol)
        volatility = finite_number(risk.annualized_volatility, f"{where}.annualized_volatility")
        if volatility <= 0:
            raise InvalidArgument(f"{where}.annualized_volatility", f"must be > 0, got {volatility}")
        price = finite_number(risk.price_usd, f"{where}.price_usd")
        if price <= 0:
            raise InvalidArgument(f"{where}.price_usd", f"must be > 0, got {price}")
        liquidity = finite_number(
            risk.liquidity_cap_usd, f"{where}.liquidity_cap_usd", minimum=0.0, allow_infinite=True
        )
        daily = daily_volatility(volatility)
        notional = budget / daily
        binding = "volatility target"
        if liquidity < notional:
            notional, binding = liquidity, "liquidity capacity"
        caps.append(SymbolCap(risk.symbol, daily, notional, notional / price, binding))
    return tuple(caps)


def symbol_limits(caps: Sequence[SymbolCap], quantity_step: Decimal = Decimal("0.00000001")) -> tuple[SymbolLimit, ...]:
    """The caps as the constitution's SymbolLimit, rounded down to cents and to `quantity_step`."""
    if quantity_step <= 0:
        raise InvalidArgument("quantity_step", f"must be > 0, got {quantity_step}")
    return tuple(
        SymbolLimit(
            symbol=cap.symbol,
            max_position_quantity=_round_down(cap.max_quantity, quantity_step),
            max_position_notional_usd=_round_down(cap.max_notional_usd, CENT),
        )
        for cap in caps
    )


def pod_limits(
    capital_usd: float,
    volatility_target_annualized: float,
    symbols: Sequence[SymbolRisk],
    *,
    max_gross_notional_usd: float | None = None,
    quantity_step: Decimal = Decimal("0.00000001"),
) -> PodLimits:
    """A pod's complete limits: its capital, its volatility target and a vol-standardised cap per symbol."""
    budget = daily_vol_target_usd(capital_usd, volatility_target_annualized)
    gross = None
    if max_gross_notional_usd is not None:
        gross = _round_down(finite_number(max_gross_notional_usd, "max_gross_notional_usd", minimum=0.0), CENT)
    return PodLimits(
        symbol_limits=symbol_limits(symbol_caps(budget, symbols), quantity_step),
        max_gross_notional_usd=gross,
        capital_allocation_usd=_round_down(float(capital_usd), CENT),
        volatility_target_annualized=float(volatility_target_annualized),
    )


def scale_limits(limits: PodLimits, factor: float, quantity_step: Decimal = Decimal("0.00000001")) -> PodLimits:
    """The limits with every position and gross cap multiplied by `factor` in [0, 1] (a stress cut), rounded down."""
    scale = finite_number(factor, "factor", minimum=0.0)
    if scale > 1:
        raise InvalidArgument("factor", f"must be <= 1, got {factor}")
    multiplier = Decimal(repr(scale))

    def cut(value: Decimal | None, step: Decimal) -> Decimal | None:
        return None if value is None else _round_down(value, step, multiplier)

    return replace(
        limits,
        symbol_limits=tuple(
            SymbolLimit(
                limit.symbol,
                cut(limit.max_position_quantity, quantity_step),
                cut(limit.max_position_notional_usd, CENT),
            )
            for limit in limits.symbol_limits
        ),
        max_gross_notional_usd=cut(limits.max_gross_notional_usd, CENT),
    )


def _round_down(value: float | Decimal, step: Decimal, multiplier: Decimal | None = None) -> Decimal:
    # repr is the shortest decimal that reads back as the same double: 1234.56, not 1234.5599999999999454.
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    if multiplier is not None:
        exact = EXACT.multiply(exact, multiplier)
    # Snap to 1/10,000 of the step first: a float a hair under a boundary (80,000 computed as
    # 79,999.99999999999) must not lose a whole step to rounding noise, which would also make
    # the same inputs give different limits when summation order differs.
    snapped = exact.quantize(step.scaleb(-4), rounding=ROUND_HALF_EVEN)
    return snapped.quantize(step, context=EXACT)
