"""Domain records of the federation's registry."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from slipstream.core.model import ExecutionIntent, HaltCommand, Health, PodConfig, PodStatus, TradingState


class Connectivity(enum.Enum):
    PENDING = "pending"
    REACHABLE = "reachable"
    LAGGING = "lagging"
    UNREACHABLE = "unreachable"


class HaltOutcomeKind(enum.Enum):
    HALTED = "halted"
    ALREADY_HALTED = "already_halted"
    TIMEOUT = "timeout"
    FAILED = "failed"


@dataclass(frozen=True)
class PodRecord:
    pod_id: str
    address: str
    language: str
    execution_intent: ExecutionIntent
    register_time: datetime
    connectivity: Connectivity
    missed_poll_count: int
    desired_config: PodConfig
    pending_halt: HaltCommand | None
    last_status: PodStatus | None
    last_poll_time: datetime | None

    @property
    def health(self) -> Health:
        """The pod's own health only while it is reachable; otherwise the telemetry is missing."""
        if self.connectivity is not Connectivity.REACHABLE or self.last_status is None:
            return Health.UNKNOWN
        return self.last_status.health


@dataclass(frozen=True)
class Snapshot:
    """One point of a pod's time series, as the optimizer reads it."""

    pod_id: str
    observe_time: datetime
    nav_usd: Decimal
    realized_pnl_usd: Decimal
    unrealized_pnl_usd: Decimal
    net_exposure_usd: Decimal
    gross_exposure_usd: Decimal
    capital_allocation_usd: Decimal
    trading_state: TradingState
    config_version: int

    @classmethod
    def of(cls, pod_id: str, observe_time: datetime, status: PodStatus) -> Snapshot:
        return cls(
            pod_id=pod_id,
            observe_time=observe_time,
            nav_usd=status.nav_usd,
            realized_pnl_usd=status.realized_pnl_usd,
            unrealized_pnl_usd=status.unrealized_pnl_usd,
            net_exposure_usd=status.net_exposure_usd,
            gross_exposure_usd=status.gross_exposure_usd,
            capital_allocation_usd=status.config.limits.capital_allocation_usd,
            trading_state=status.trading_state,
            config_version=status.config.config_version,
        )


@dataclass(frozen=True)
class PodHaltResult:
    pod_id: str
    outcome: HaltOutcomeKind
    error_message: str
    latency: timedelta
