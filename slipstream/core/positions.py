"""Position accounting shared by every book: average entry price and realised PnL from fills."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from slipstream.core.model import OrderSide

# Internal precision of prices and money: far below any tick or cent, and it keeps reports short.
PRECISION = Decimal("1e-10")


@dataclass
class Holding:
    quantity: Decimal = Decimal(0)
    average_entry_price: Decimal = Decimal(0)
    realized_pnl_usd: Decimal = Decimal(0)
    fees_usd: Decimal = Decimal(0)

    def apply(self, side: OrderSide, quantity: Decimal, price: Decimal, fee_usd: Decimal = Decimal(0)) -> Decimal:
        """Book one fill; return the PnL it realised (before fees)."""
        signed = quantity * side.sign
        before = self.quantity
        after = before + signed
        realized = Decimal(0)
        if before == 0 or (before > 0) == (signed > 0):
            total = abs(before) + quantity
            self.average_entry_price = ((abs(before) * self.average_entry_price + quantity * price) / total).quantize(
                PRECISION
            )
        else:
            closed = min(abs(before), quantity)
            realized = (price - self.average_entry_price) * closed * (1 if before > 0 else -1)
            if after == 0:
                self.average_entry_price = Decimal(0)
            elif (after > 0) != (before > 0):
                self.average_entry_price = price
        self.quantity = after
        self.realized_pnl_usd += realized
        self.fees_usd += fee_usd
        return realized
