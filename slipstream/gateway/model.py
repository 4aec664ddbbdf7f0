"""The gateway's domain: order requests, orders, fills, and why an order may be refused."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from slipstream.core.errors import InvalidArgument
from slipstream.core.model import OrderSide

CLIENT_ORDER_ID = re.compile(r"^[A-Za-z0-9._:-]{1,36}$")


class OrderType(enum.Enum):
    MARKET = "market"
    LIMIT = "limit"


class TimeInForce(enum.Enum):
    GTC = "gtc"
    IOC = "ioc"
    FOK = "fok"


class OrderStatus(enum.Enum):
    PENDING = "pending"
    OPEN = "open"
    PARTIALLY_FILLED = "partially_filled"
    FILLED = "filled"
    CANCELED = "canceled"
    REJECTED = "rejected"

    @property
    def is_open(self) -> bool:
        return self in (OrderStatus.PENDING, OrderStatus.OPEN, OrderStatus.PARTIALLY_FILLED)


class RejectReason(enum.Enum):
    POD_HALTED = "pod_halted"
    REDUCE_ONLY = "reduce_only"
    MAX_ORDER_QUANTITY = "max_order_quantity"
    MAX_ORDER_NOTIONAL = "max_order_notional"
    PRICE_COLLAR = "price_collar"
    MESSAGE_THROTTLE = "message_throttle"
    POSITION_LIMIT = "position_limit"
    GROSS_NOTIONAL_LIMIT = "gross_notional_limit"
    SELF_TRADE = "self_trade"
    UNKNOWN_SYMBOL = "unknown_symbol"
    VENUE = "venue"
    REDUCE_ONLY_ORDER = "reduce_only_order"
    NOT_CONFIGURED = "not_configured"
    POD_UNREACHABLE = "pod_unreachable"
    VENUE_UNAVAILABLE = "venue_unavailable"


class Liquidity(enum.Enum):
    MAKER = "maker"
    TAKER = "taker"


@dataclass(frozen=True)
class OrderRequest:
    """What a pod asks for; validated before any check runs."""

    client_order_id: str
    symbol: str
    side: OrderSide
    type: OrderType
    quantity: Decimal
    limit_price: Decimal | None
    time_in_force: TimeInForce
    post_only: bool
    reduce_only: bool
    decision_price: Decimal
    decision_time: datetime

    def validate(self, now: datetime) -> None:
        if not CLIENT_ORDER_ID.match(self.client_order_id):
            raise InvalidArgument("client_order_id", "must be 1-36 characters of [A-Za-z0-9._:-]")
        if not self.symbol:
            raise InvalidArgument("symbol", "must not be empty")
        if self.quantity <= 0:
            raise InvalidArgument("quantity", f"must be > 0, got {self.quantity}")
        if self.type is OrderType.LIMIT and self.limit_price is None:
            raise InvalidArgument("limit_price", "is required for a limit order")
        if self.type is OrderType.MARKET and self.limit_price is not None:
            raise InvalidArgument("limit_price", "must be empty for a market order")
        if self.limit_price is not None and self.limit_price <= 0:
            raise InvalidArgument("limit_price", f"must be > 0, got {self.limit_price}")
        if self.post_only and self.type is not OrderType.LIMIT:
            raise InvalidArgument("post_only", "applies to limit orders only")
        if self.decision_price <= 0:
            raise InvalidArgument("decision_price", f"must be > 0, got {self.decision_price}")
        if self.decision_time > now:
            raise InvalidArgument("decision_time", "must not be in the future")


@dataclass(frozen=True)
class Order:
    pod_id: str
    order_id: str
    account: str
    request: OrderRequest
    status: OrderStatus
    exchange_order_id: str
    filled_quantity: Decimal
    average_fill_price: Decimal | None
    fees_usd: Decimal
    reject_reason: RejectReason | None
    reject_message: str
    reference_price: Decimal | None
    create_time: datetime
    update_time: datetime

    @property
    def remaining(self) -> Decimal:
        return self.request.quantity - self.filled_quantity


@dataclass(frozen=True)
class Fill:
    pod_id: str
    fill_id: str
    order_id: str
    client_order_id: str
    exchange_trade_id: str
    symbol: str
    side: OrderSide
    quantity: Decimal
    price: Decimal
    fee_usd: Decimal
    liquidity: Liquidity
    fill_time: datetime


@dataclass(frozen=True)
class Position:
    symbol: str
    quantity: Decimal
    average_entry_price: Decimal
    realized_pnl_usd: Decimal
    fees_usd: Decimal
    last_fill_time: datetime | None
