"""A trend follower: long when the fast moving average is above the slow one, short otherwise.

It sizes each position on the central volatility forecast (half its risk budget per symbol)
when the lake provides one, else on a fixed fraction of capital, and lets the SDK clip the
order to the limits in force.
"""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from slipstream.core.model import ExecutionIntent
from slipstream.examples import START_PRICES
from slipstream.pod import PodContext, Strategy
from slipstream.pod.runner import pod_main


class Momentum(Strategy):
    symbols = ("BTC/USD", "ETH/USD")
    execution_intent = ExecutionIntent.TAKER
    tick_interval_seconds = 0.2

    def __init__(
        self,
        fast: int = 5,
        slow: int = 20,
        capital_fraction: Decimal = Decimal("0.4"),
        rebalance_band: Decimal = Decimal("0.1"),
    ) -> None:
        self.fast, self.slow, self.capital_fraction = fast, slow, capital_fraction
        # Trade only when the position is off target by more than this fraction: sizing moves with
        # every price, and chasing it would pay the spread all day.
        self.rebalance_band = rebalance_band
        self.history: dict[str, deque[Decimal]] = {s: deque(maxlen=slow) for s in self.symbols}

    def on_tick(self, ctx: PodContext) -> None:
        budget = ctx.limits.capital_allocation_usd * self.capital_fraction / len(self.symbols)
        for symbol in self.symbols:
            price = ctx.price(symbol)
            prices = self.history[symbol]
            prices.append(price)
            if len(prices) < self.slow:
                continue
            fast = sum(list(prices)[-self.fast :], Decimal(0)) / self.fast
            slow = sum(prices, Decimal(0)) / len(prices)
            direction = 1 if fast > slow else -1
            size = ctx.vol_target_position(symbol, weight=Decimal(1) / len(self.symbols))
            if size is None:
                size = (budget / price).quantize(Decimal("0.0001"))
            target = size * direction
            if abs(target - ctx.position(symbol)) > abs(target) * self.rebalance_band:
                ctx.order_target(symbol, target)


if __name__ == "__main__":
    pod_main(Momentum, "momentum", START_PRICES)
