"""The constitution's vocabulary as plain domain objects.

Domain enums have no "unspecified" member: the transport layer rejects the proto zero value
at the edge, so code past it can never see an unset side, state or reason.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from slipstream.core.errors import InvalidArgument

POD_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class TradingState(enum.Enum):
    ACTIVE = "active"
    REDUCE_ONLY = "reduce_only"
    HALTED = "halted"


class Health(enum.Enum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    UNHEALTHY = "unhealthy"
    UNKNOWN = "unknown"


class ExecutionIntent(enum.Enum):
    MAKER = "maker"
    TAKER = "taker"
    MIXED = "mixed"


class HaltReason(enum.Enum):
    MANUAL = "manual"
    RISK_VIOLATION = "risk_violation"
    PERFORMANCE_FAILURE = "performance_failure"
    MAINTENANCE = "maintenance"


class OrderSide(enum.Enum):
    BUY = "buy"
    SELL = "sell"

    @property
    def sign(self) -> int:
        return 1 if self is OrderSide.BUY else -1


@dataclass(frozen=True)
class SymbolLimit:
    """Caps on the absolute position in one symbol; None means no cap."""

    symbol: str
    max_position_quantity: Decimal | None = None
    max_position_notional_usd: Decimal | None = None


@dataclass(frozen=True)
class PodLimits:
    """Risk limits granted by the centre; None means no cap."""

    symbol_limits: tuple[SymbolLimit, ...] = ()
    max_gross_notional_usd: Decimal | None = None
    capital_allocation_usd: Decimal = Decimal(0)
    volatility_target_annualized: float = 0.0

    def for_symbol(self, symbol: str) -> SymbolLimit | None:
        return next((limit for limit in self.symbol_limits if limit.symbol == symbol), None)

    def validate(self, path: str) -> None:
        """Raise InvalidArgument naming the first bad field below `path`."""
        seen: set[str] = set()
        for index, limit in enumerate(self.symbol_limits):
            where = f"{path}.symbol_limits[{index}]"
            if not limit.symbol:
                raise InvalidArgument(f"{where}.symbol", "must not be empty")
            if limit.symbol in seen:
                raise InvalidArgument(f"{where}.symbol", f"duplicate symbol {limit.symbol!r}")
            seen.add(limit.symbol)
            for name in ("max_position_quantity", "max_position_notional_usd"):
                value = getattr(limit, name)
                if value is not None and value < 0:
                    raise InvalidArgument(f"{where}.{name}", "must be >= 0")
        if self.max_gross_notional_usd is not None and self.max_gross_notional_usd < 0:
            raise InvalidArgument(f"{path}.max_gross_notional_usd", "must be >= 0")
        if self.capital_allocation_usd < 0:
            raise InvalidArgument(f"{path}.capital_allocation_usd", "must be >= 0")
        vol = self.volatility_target_annualized
        if not math.isfinite(vol):
            raise InvalidArgument(f"{path}.volatility_target_annualized", f"must be finite, got {vol}")
        if vol < 0:
            raise InvalidArgument(f"{path}.volatility_target_annualized", f"must be >= 0, got {vol}")


# Far below int64's maximum, so the federation can always re-issue a configuration above one a pod holds.
MAX_CONFIG_VERSION = 2**62


@dataclass(frozen=True)
class PodConfig:
    """One complete, versioned configuration; version 0 is the unconfigured initial state."""

    config_version: int = 0
    trading_state: TradingState = TradingState.ACTIVE
    limits: PodLimits = field(default_factory=PodLimits)
    parameters: tuple[tuple[str, str], ...] = ()

    @property
    def parameter_map(self) -> dict[str, str]:
        return dict(self.parameters)

    def validate(self, path: str = "config") -> None:
        """Raise InvalidArgument naming the first bad field below `path`."""
        if not 1 <= self.config_version <= MAX_CONFIG_VERSION:
            raise InvalidArgument(
                f"{path}.config_version", f"must be between 1 and {MAX_CONFIG_VERSION}, got {self.config_version}"
            )
        self.limits.validate(f"{path}.limits")


@dataclass(frozen=True)
class Position:
    """A holding as reported: values are the reporter's, not recomputed, so an audit can check them."""

    symbol: str
    quantity: Decimal
    mark_price: Decimal
    average_entry_price: Decimal
    notional_usd: Decimal
    unrealized_pnl_usd: Decimal

    @classmethod
    def marked(cls, symbol: str, quantity: Decimal, mark_price: Decimal, average_entry_price: Decimal) -> Position:
        """Build a position valued at `mark_price`."""
        return cls(
            symbol=symbol,
            quantity=quantity,
            mark_price=mark_price,
            average_entry_price=average_entry_price,
            notional_usd=quantity * mark_price,
            unrealized_pnl_usd=(mark_price - average_entry_price) * quantity,
        )


@dataclass(frozen=True)
class OpenOrder:
    client_order_id: str
    symbol: str
    side: OrderSide
    quantity: Decimal
    remaining_quantity: Decimal
    limit_price: Decimal | None
    create_time: datetime


@dataclass(frozen=True)
class HaltState:
    reason: HaltReason
    requested_by: str
    note: str
    halt_time: datetime


@dataclass(frozen=True)
class HaltCommand:
    """A request to pull a pod's kill switch."""

    reason: HaltReason
    requested_by: str
    cancel_open_orders: bool = True
    note: str = ""
    config_version: int = 0

    def validate(self) -> None:
        if not self.requested_by.strip():
            raise InvalidArgument("requested_by", "must not be empty")
        if len(self.requested_by) > 128:
            raise InvalidArgument("requested_by", "must be at most 128 characters")
        if len(self.note) > 1024:
            raise InvalidArgument("note", "must be at most 1024 characters")
        if self.config_version < 0:
            raise InvalidArgument("config_version", "must be >= 0")


@dataclass(frozen=True)
class HaltOutcome:
    """What a pod answered to a halt."""

    already_halted: bool
    cancelled_order_count: int
    halt_time: datetime


@dataclass(frozen=True)
class PodStatus:
    """A pod's complete report at one instant."""

    pod_id: str
    trading_state: TradingState
    health: Health
    positions: tuple[Position, ...]
    open_orders: tuple[OpenOrder, ...]
    realized_pnl_usd: Decimal
    config: PodConfig
    execution_intent: ExecutionIntent
    uptime: timedelta
    report_time: datetime
    language: str
    net_exposure_usd: Decimal
    gross_exposure_usd: Decimal
    unrealized_pnl_usd: Decimal
    nav_usd: Decimal
    halt: HaltState | None = None


def validate_pod_id(pod_id: str, field_name: str = "pod_id") -> str:
    """Return the id if it is 1-64 characters of [A-Za-z0-9._-], else raise InvalidArgument."""
    if not POD_ID_PATTERN.match(pod_id):
        raise InvalidArgument(field_name, "must be 1-64 characters of [A-Za-z0-9._-]")
    return pod_id
