"""A pod-local paper account: positions, average entry, realised PnL, fees and resting orders.

It stands in for an exchange account until a pod trades through the gateway. Market orders
fill at once at the mark as taker; limit orders rest and fill as maker when the mark crosses.
Thread-safe: the strategy thread trades while the server thread reads it for Status.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from slipstream.core.model import OpenOrder, OrderSide, Position
from slipstream.core.positions import PRECISION, Holding


@dataclass(frozen=True)
class Fill:
    client_order_id: str
    symbol: str
    side: OrderSide
    quantity: Decimal
    price: Decimal
    fee_usd: Decimal
    maker: bool


Method = TypeVar("Method", bound=Callable[..., Any])


def _locked(method: Method) -> Method:
    @functools.wraps(method)
    def wrapper(self: PaperAccount, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class PaperAccount:
    remote = False  # in-process: cancelling is instant

    def __init__(self, maker_fee_bps: Decimal = Decimal(2), taker_fee_bps: Decimal = Decimal(5)) -> None:
        self._maker_fee = maker_fee_bps / Decimal(10_000)
        self._taker_fee = taker_fee_bps / Decimal(10_000)
        self._holdings: dict[str, Holding] = {}
        self._orders: dict[str, OpenOrder] = {}
        self.realized_pnl_usd = Decimal(0)
        self.fills: list[Fill] = []
        self._lock = threading.RLock()

    @_locked
    def position(self, symbol: str) -> Decimal:
        holding = self._holdings.get(symbol)
        return holding.quantity if holding else Decimal(0)

    @_locked
    def positions(self, marks: dict[str, Decimal]) -> tuple[Position, ...]:
        return tuple(
            Position.marked(symbol, h.quantity, marks[symbol], h.average_entry_price)
            for symbol, h in sorted(self._holdings.items())
            if h.quantity != 0
        )

    @_locked
    def gross_usd(self, marks: dict[str, Decimal]) -> Decimal:
        return sum((abs(h.quantity) * marks[s] for s, h in self._holdings.items()), Decimal(0))

    @property
    def open_orders(self) -> tuple[OpenOrder, ...]:
        with self._lock:
            return tuple(self._orders.values())

    @_locked
    def fill_market(
        self, client_order_id: str, symbol: str, side: OrderSide, quantity: Decimal, price: Decimal
    ) -> Fill:
        return self._fill(client_order_id, symbol, side, quantity, price, maker=False)

    @_locked
    def rest_limit(self, order: OpenOrder) -> None:
        self._orders[order.client_order_id] = order

    @_locked
    def cancel_all(self) -> int:
        count = len(self._orders)
        self._orders.clear()
        return count

    @_locked
    def on_mark(self, symbol: str, price: Decimal) -> list[Fill]:
        """Fill every resting order the new mark crosses, at its limit price."""
        fills = []
        for order in list(self._orders.values()):
            if order.symbol != symbol or order.limit_price is None:
                continue
            crossed = price <= order.limit_price if order.side is OrderSide.BUY else price >= order.limit_price
            if crossed:
                del self._orders[order.client_order_id]
                fills.append(
                    self._fill(
                        order.client_order_id,
                        symbol,
                        order.side,
                        order.remaining_quantity,
                        order.limit_price,
                        maker=True,
                    )
                )
        return fills

    def _fill(
        self, client_order_id: str, symbol: str, side: OrderSide, quantity: Decimal, price: Decimal, *, maker: bool
    ) -> Fill:
        fee = (quantity * price * (self._maker_fee if maker else self._taker_fee)).quantize(PRECISION)
        self.realized_pnl_usd += self._holdings.setdefault(symbol, Holding()).apply(side, quantity, price) - fee
        fill = Fill(client_order_id, symbol, side, quantity, price, fee, maker)
        self.fills.append(fill)
        return fill
