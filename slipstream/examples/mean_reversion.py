"""A mean-reverter that quotes passively: it rests limit orders a band away from its average,
and stops adding on a side once its inventory reaches a cap.

Its declared intent is maker; the resting orders show up as open orders in Status and are
cancelled by a halt.
"""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from slipstream.core.errors import OrderRejected
from slipstream.core.model import ExecutionIntent
from slipstream.examples import START_PRICES
from slipstream.pod import PodContext, Strategy
from slipstream.pod.runner import pod_main


class MeanReversion(Strategy):
    symbols = ("LTC/USD",)
    execution_intent = ExecutionIntent.MAKER
    tick_interval_seconds = 0.25

    def __init__(
        self,
        window: int = 20,
        band: Decimal = Decimal("0.004"),
        clip_usd: Decimal = Decimal(5000),
        max_inventory_usd: Decimal = Decimal(25_000),
    ) -> None:
        self.window, self.band, self.clip_usd, self.max_inventory_usd = window, band, clip_usd, max_inventory_usd
        self.history: deque[Decimal] = deque(maxlen=window)

    def on_tick(self, ctx: PodContext) -> None:
        symbol = self.symbols[0]
        price = ctx.price(symbol)
        self.history.append(price)
        if len(self.history) < self.window:
            return
        mean = sum(self.history, Decimal(0)) / len(self.history)
        ctx.cancel_all()
        size = (self.clip_usd / price).quantize(Decimal("0.01"))
        inventory_usd = ctx.position(symbol) * price
        quotes = []
        if inventory_usd < self.max_inventory_usd:
            quotes.append((ctx.buy, mean * (1 - self.band)))
        if inventory_usd > -self.max_inventory_usd:
            quotes.append((ctx.sell, mean * (1 + self.band)))
        for side, limit in quotes:
            try:
                side(symbol, size, limit_price=limit.quantize(Decimal("0.01")))
            except OrderRejected:
                continue


if __name__ == "__main__":
    pod_main(MeanReversion, "mean-reversion", START_PRICES)
