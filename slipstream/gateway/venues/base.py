"""What the gateway needs from a venue, in domain terms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from slipstream.gateway.model import Liquidity, Order, OrderStatus


@dataclass(frozen=True)
class VenueFill:
    exchange_trade_id: str
    quantity: Decimal
    price: Decimal
    fee_usd: Decimal
    liquidity: Liquidity
    fill_time: datetime


@dataclass(frozen=True)
class VenueReport:
    """The venue's account of one order: its id, status and the fills not reported before."""

    exchange_order_id: str
    status: OrderStatus
    fills: tuple[VenueFill, ...] = field(default=())
    reject_message: str = ""


# Called by a venue when a resting order fills or ends on its own (gateway order id, report).
Listener = Callable[[str, VenueReport], None]


class Venue(Protocol):
    account: str
    # True when orders live outside this process (an exchange): they are recorded before sending.
    external: bool

    def reference_price(self, symbol: str) -> Decimal | None:
        """The venue's current mark for `symbol`, or None when it does not trade it."""
        ...

    def symbols(self) -> list[str]:
        """The symbols traded on this account."""
        ...

    def set_listener(self, listener: Listener) -> None: ...

    def resume(self, order: Order, booked_trade_ids: frozenset[str]) -> None:
        """Follow an order an earlier process left open, whose fills so far are `booked_trade_ids`."""
        ...

    def unavailable(self) -> str | None:
        """Why the venue cannot take orders now (its last error, summarised), or None when it can."""
        ...

    async def submit(self, order: Order) -> VenueReport: ...

    async def cancel(self, order: Order) -> VenueReport: ...

    async def close(self) -> None: ...
