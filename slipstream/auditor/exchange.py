"""The auditor's window on an exchange account: reads only, with a key that cannot trade.

`ReadOnlyAccount` exposes the few read calls an audit needs and nothing else; the ccxt client
it wraps is held in a closure, not an attribute, so no code path through this object can reach
an order method. At start it asks the exchange what the key may do and refuses a trading key.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import ccxt

from slipstream.core.errors import FailedPrecondition

# Binance reports a key's permissions; other venues need their own probe (not implemented).
_TRADING_FLAGS = ("enableFutures", "enableSpotAndMarginTrading", "enableMargin", "enableVanillaOptions")


class ReadOnlyAccount:
    __slots__ = ("account", "_read_positions", "_read_permissions", "_read_marks")

    def __init__(self, account: str, exchange: ccxt.Exchange) -> None:
        self.account = account

        def read_marks(symbols: tuple[str, ...]) -> dict[str, Decimal]:
            marks = {}
            for symbol in symbols:
                ticker = exchange.fetch_mark_price(symbol)
                price = ticker.get("markPrice") or ticker.get("last")
                if price:
                    marks[symbol] = Decimal(str(price))
            return marks

        def read_positions() -> dict[str, Decimal]:
            positions: dict[str, Decimal] = {}
            for position in exchange.fetch_positions():
                contracts = Decimal(str(position.get("contracts") or 0)) * Decimal(
                    str(position.get("contractSize") or 1)
                )
                signed = contracts if position.get("side") != "short" else -contracts
                if signed != 0:
                    positions[str(position["symbol"])] = signed
            return positions

        def read_permissions() -> dict[str, Any]:
            return dict(exchange.sapiGetAccountApiRestrictions())

        self._read_positions: Callable[[], dict[str, Decimal]] = read_positions
        self._read_permissions: Callable[[], dict[str, Any]] = read_permissions
        self._read_marks: Callable[[tuple[str, ...]], dict[str, Decimal]] = read_marks

    def marks(self, symbols: tuple[str, ...]) -> dict[str, Decimal]:
        """Mark prices, USD per base unit, for valuing differences."""
        return self._read_marks(symbols)

    def positions(self) -> dict[str, Decimal]:
        """Signed positions in base units by symbol, as the exchange holds them."""
        return self._read_positions()

    def ensure_read_only(self) -> None:
        """Refuse a key that can trade: the auditor must not be able to move the market."""
        permissions = self._read_permissions()
        allowed = [flag for flag in _TRADING_FLAGS if permissions.get(flag)]
        if allowed:
            raise FailedPrecondition(
                f"account {self.account!r}: the auditor's key can trade ({', '.join(allowed)}); give it a read-only key"
            )
