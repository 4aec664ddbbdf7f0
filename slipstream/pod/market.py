"""Seeded simulated prices for example pods, until they read the data lake."""

from __future__ import annotations

import math
import random
import threading
from decimal import Decimal


class RandomWalkMarket:
    """Geometric random walk per symbol; the same seed gives the same path."""

    def __init__(self, start_prices: dict[str, float], seed: int, volatility_per_step: float = 0.002) -> None:
        self._rng = random.Random(seed)
        self._prices = dict(start_prices)
        self._sigma = volatility_per_step
        self._lock = threading.RLock()

    def step(self) -> dict[str, Decimal]:
        with self._lock:
            for symbol, price in self._prices.items():
                shock = self._rng.gauss(-0.5 * self._sigma**2, self._sigma)
                self._prices[symbol] = price * math.exp(shock)
            return self.marks()

    def marks(self) -> dict[str, Decimal]:
        with self._lock:
            return {symbol: Decimal(f"{price:.2f}") for symbol, price in self._prices.items()}
