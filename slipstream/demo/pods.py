"""The replay's cast: one pod per capability the federation must show, each trading daily bars.

Two of them have *constructed* skill: they are told a noisy version of tomorrow's move (a
`Foresight`), the only honest way to plant a known amount of alpha in real history. Everything
else about them (orders, fills, fees, limits, reports) is as real as for any pod.

- `alpha`: market neutral, long or short LTC against BTC on a noisy view of tomorrow's spread:
  genuine, significant alpha and no beta.
- `index`: twice its capital long BTC and ETH: profit that is only beta, a "leveraged index
  fund" that the lifecycle must retire as fake alpha.
- `liar`: trades like `index` but reports half of every position (the auditor must catch it).
- `passive`: declares a maker (passive) intent but sends market orders, paying the spread on all
  of its volume: a process failure.
- `maker`: quotes LTC a little below and above the last close and is filled as maker.
- `decaying`: sees tomorrow's ETH move well for its first months, then not at all: the
  optimizer's decay rule must strangle it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from slipstream.core.model import ExecutionIntent
from slipstream.pod import PodContext, Strategy

DAY_S = 86_400.0
SIZE_STEP = Decimal("0.0001")


class Foresight:
    """Tomorrow's close-to-close return per symbol, as the replay knows it, for constructed skill."""

    def __init__(self, closes: pd.DataFrame) -> None:
        self._returns = closes.pct_change(fill_method=None).shift(-1)
        self.today: pd.Timestamp | None = None

    def next_return(self, symbol: str) -> float:
        if self.today is None or self.today not in self._returns.index:
            return 0.0
        value = self._returns.at[self.today, symbol]
        return 0.0 if pd.isna(value) else float(value)


def _size(usd: Decimal, price: Decimal) -> Decimal:
    return (usd / price).quantize(SIZE_STEP)


class DailyStrategy(Strategy):
    """A strategy ticked once per simulated day (its staleness is judged on that scale)."""

    tick_interval_seconds = DAY_S


class SpreadAlpha(DailyStrategy):
    symbols = ("LTC/USD", "BTC/USD")
    execution_intent = ExecutionIntent.TAKER

    def __init__(self, foresight: Foresight, hit_rate: float, seed: int) -> None:
        self.foresight, self.hit_rate, self.random = foresight, hit_rate, random.Random(seed)

    def on_tick(self, ctx: PodContext) -> None:
        spread = self.foresight.next_return("LTC/USD") - self.foresight.next_return("BTC/USD")
        right = self.random.random() < self.hit_rate
        direction = (1 if spread > 0 else -1) * (1 if right else -1)
        # Equal legs within both symbols' caps: a leg clipped alone would leave a bet on the market.
        leg = ctx.limits.capital_allocation_usd * Decimal("0.5")
        for symbol in self.symbols:
            cap = ctx.limits.for_symbol(symbol)
            if cap is not None and cap.max_position_notional_usd is not None:
                leg = min(leg, cap.max_position_notional_usd * Decimal("0.95"))
        ctx.order_target("LTC/USD", _size(leg, ctx.price("LTC/USD")) * direction)
        ctx.order_target("BTC/USD", -_size(leg, ctx.price("BTC/USD")) * direction)


class LeveragedIndex(DailyStrategy):
    symbols = ("BTC/USD", "ETH/USD")
    execution_intent = ExecutionIntent.TAKER

    def __init__(self, leverage: Decimal = Decimal(2), band: Decimal = Decimal("0.15")) -> None:
        self.leverage, self.band = leverage, band

    def on_tick(self, ctx: PodContext) -> None:
        per_symbol = ctx.limits.capital_allocation_usd * self.leverage / len(self.symbols)
        for symbol in self.symbols:
            target = _size(per_symbol, ctx.price(symbol))
            if abs(target - ctx.position(symbol)) > abs(target) * self.band:
                ctx.order_target(symbol, target)


class PassiveThatPays(DailyStrategy):
    """Declares a passive intent; its trend signal goes out as market orders all the same."""

    symbols = ("ETH/USD",)
    execution_intent = ExecutionIntent.MAKER

    def __init__(self, fast: int = 5, slow: int = 20) -> None:
        self.fast, self.slow = fast, slow
        self.prices: list[Decimal] = []

    def on_tick(self, ctx: PodContext) -> None:
        self.prices.append(ctx.price("ETH/USD"))
        if len(self.prices) < self.slow:
            return
        fast = sum(self.prices[-self.fast :], Decimal(0)) / self.fast
        slow = sum(self.prices[-self.slow :], Decimal(0)) / self.slow
        size = _size(ctx.limits.capital_allocation_usd * Decimal("0.5"), self.prices[-1])
        target = size if fast > slow else -size
        if target != ctx.position("ETH/USD"):
            ctx.order_target("ETH/USD", target)


class Quoter(DailyStrategy):
    """Quotes both sides of LTC around the last close, leaning against its inventory."""

    symbols = ("LTC/USD",)
    execution_intent = ExecutionIntent.MAKER

    def __init__(self, edge: Decimal = Decimal("0.01"), clip_fraction: Decimal = Decimal("0.05")) -> None:
        self.edge, self.clip_fraction = edge, clip_fraction

    def on_tick(self, ctx: PodContext) -> None:
        ctx.cancel_all()
        price = ctx.price("LTC/USD")
        clip = _size(ctx.limits.capital_allocation_usd * self.clip_fraction, price)
        if clip <= 0:
            return
        inventory = ctx.position("LTC/USD")
        cap = clip * 4
        if inventory < cap:
            ctx.buy("LTC/USD", clip, (price * (1 - self.edge)).quantize(Decimal("0.01")))
        if inventory > -cap:
            ctx.sell("LTC/USD", clip, (price * (1 + self.edge)).quantize(Decimal("0.01")))


class Decaying(DailyStrategy):
    symbols = ("ETH/USD",)
    execution_intent = ExecutionIntent.TAKER

    def __init__(self, foresight: Foresight, skilled_days: int, hit_rate: float, seed: int) -> None:
        self.foresight, self.skilled_days, self.hit_rate = foresight, skilled_days, hit_rate
        self.random, self.days = random.Random(seed), 0

    def on_tick(self, ctx: PodContext) -> None:
        self.days += 1
        hit_rate = self.hit_rate if self.days <= self.skilled_days else 0.5
        direction = 1 if self.foresight.next_return("ETH/USD") > 0 else -1
        if self.random.random() >= hit_rate:
            direction = -direction
        size = _size(ctx.limits.capital_allocation_usd * Decimal("0.8"), ctx.price("ETH/USD"))
        ctx.order_target("ETH/USD", size * direction)


@dataclass(frozen=True)
class Cast:
    pod_id: str
    strategy: Strategy
    role: str
    lies: bool = False
    own_account: bool = False


def cast(foresight: Foresight, seed: int) -> list[Cast]:
    return [
        Cast("alpha", SpreadAlpha(foresight, hit_rate=0.68, seed=seed), "genuine alpha (constructed skill)"),
        Cast("index", LeveragedIndex(), "leveraged index fund (fake alpha)"),
        Cast("liar", LeveragedIndex(leverage=Decimal(1)), "reports half of what it holds", lies=True),
        Cast("passive", PassiveThatPays(), "passive intent, pays the spread"),
        Cast("maker", Quoter(), "market maker", own_account=True),
        Cast("decaying", Decaying(foresight, skilled_days=150, hit_rate=0.8, seed=seed + 1), "decaying alpha"),
    ]
