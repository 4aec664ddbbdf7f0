"""What a pod author writes: a `Strategy` subclass that trades through a `PodContext`.

No protobuf appears here. The SDK calls `on_tick` on its own thread every
`tick_interval_seconds`; Status, Configure and Halt are answered on the server's thread
whatever the strategy is doing.
"""

from __future__ import annotations

import abc
from decimal import Decimal
from typing import TYPE_CHECKING

from slipstream.core.model import ExecutionIntent, HaltState, OrderSide, PodConfig, PodLimits, TradingState

if TYPE_CHECKING:
    from slipstream.pod.account import Fill
    from slipstream.pod.runtime import PodRuntime


class PodContext:
    """The strategy's handle on its pod: prices, positions, limits and order placement."""

    def __init__(self, runtime: PodRuntime) -> None:
        self._runtime = runtime

    def price(self, symbol: str) -> Decimal:
        """Return the current mark of `symbol` in USD."""
        return self._runtime.mark(symbol)

    def position(self, symbol: str) -> Decimal:
        """Return the signed position in base units."""
        return self._runtime.position(symbol)

    @property
    def limits(self) -> PodLimits:
        return self._runtime.control.config.limits

    @property
    def parameters(self) -> dict[str, str]:
        return self._runtime.control.config.parameter_map

    @property
    def trading_state(self) -> TradingState:
        return self._runtime.control.trading_state

    def buy(self, symbol: str, quantity: Decimal, limit_price: Decimal | None = None) -> Fill | None:
        """Buy now at market, or rest a limit order; raise OrderRejected if the limits forbid it."""
        return self._runtime.place_order(symbol, OrderSide.BUY, quantity, limit_price)

    def sell(self, symbol: str, quantity: Decimal, limit_price: Decimal | None = None) -> Fill | None:
        """Sell now at market, or rest a limit order; raise OrderRejected if the limits forbid it."""
        return self._runtime.place_order(symbol, OrderSide.SELL, quantity, limit_price)

    def order_target(self, symbol: str, target_quantity: Decimal) -> Fill | None:
        """Trade at market towards `target_quantity`, clipped to what the limits and state allow."""
        return self._runtime.order_target(symbol, target_quantity)

    def cancel_all(self) -> int:
        """Cancel every resting order; allowed even when halted."""
        return self._runtime.cancel_all()

    def volatility(self, symbol: str) -> float | None:
        """The central annualised volatility forecast of `symbol` (a fraction), if one is known."""
        return self._runtime.volatility(symbol)

    def vol_target_position(self, symbol: str, weight: Decimal = Decimal(1)) -> Decimal | None:
        """The quantity whose expected annual volatility in USD is `weight` x capital x the pod's
        volatility target, sized on the central forecast (Carver's volatility targeting).

        None until both a forecast and a volatility target are known.
        """
        forecast = self.volatility(symbol)
        limits = self.limits
        if forecast is None or forecast <= 0 or limits.volatility_target_annualized <= 0:
            return None
        risk_usd = weight * limits.capital_allocation_usd * Decimal(str(limits.volatility_target_annualized))
        return (risk_usd / Decimal(str(forecast)) / self.price(symbol)).quantize(Decimal("0.0001"))


class Strategy(abc.ABC):
    """Base class of a pod's strategy; override `on_tick` and, if useful, the hooks."""

    symbols: tuple[str, ...] = ("BTC/USDT",)
    execution_intent: ExecutionIntent = ExecutionIntent.TAKER
    tick_interval_seconds: float = 0.5

    def on_start(self, ctx: PodContext) -> None:
        """Called once on the strategy thread before the first tick."""

    @abc.abstractmethod
    def on_tick(self, ctx: PodContext) -> None:
        """Called every tick on the strategy thread: read prices, decide, trade."""

    def on_configure(self, ctx: PodContext, config: PodConfig) -> None:
        """Called on the strategy thread after a new configuration took effect."""

    def on_halt(self, ctx: PodContext, halt: HaltState) -> None:
        """Called on the strategy thread after a halt took effect (trading is already blocked)."""
